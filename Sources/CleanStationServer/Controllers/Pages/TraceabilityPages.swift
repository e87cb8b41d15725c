import CleanStationCore
import Vapor

/// Where-used for people (issue 18): a part's number, and every build whose
/// BOM holds it, with a CSV of the same list for a recall.
enum TraceabilityPages {
    struct View: Encodable {
        struct Row: Encodable {
            var poNumber: String
            var customer: String
            var build: String
            var href: String
            var status: StatusView
            var quantity: Int
            var shippedOn: String
        }

        var fields: [FormField]
        /// Nil before a part is asked for.
        var part: String?
        var name: String
        var rows: [Row]
        var truncated: Bool
        var limit: Int
        var csv: String
    }

    static func show(_ request: Request) async throws -> Response {
        let values = ["part", "shippedFrom", "shippedTo"].reduce(into: [String: String]()) {
            $0[$1] = request.query[String.self, at: $1] ?? ""
        }
        var errors: [String: String] = [:]
        var found: TraceabilityController.WhereUsed?
        var status = HTTPResponseStatus.ok
        if values.values.contains(where: { !$0.isEmpty }) {
            do {
                found = try await TraceabilityController.whereUsed(
                    try TraceabilityController.Query.read(request), request: request, limit: TraceabilityController.pageLimit)
            } catch let error as APIError where error.status == .unprocessableEntity {
                errors = error.fieldMessages
                status = .unprocessableEntity
            }
        }
        var query = URLComponents()
        query.queryItems = values.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }.map {
            URLQueryItem(name: $0.key, value: $0.value)
        }
        let view = View(
            fields: [
                FormField(
                    "part", "Part or assembly number", value: values["part"] ?? "", errors: errors, hint: "As on the BOM: T2-CTRL-EDR1",
                    required: true),
                FormField("shippedFrom", "Shipped on or after", type: "date", value: values["shippedFrom"] ?? "", errors: errors),
                FormField("shippedTo", "Shipped on or before", type: "date", value: values["shippedTo"] ?? "", errors: errors),
            ], part: found?.part, name: found?.name ?? "",
            rows: found?.builds.map { build in
                View.Row(
                    poNumber: build.poNumber, customer: build.customerName, build: build.buildNumber,
                    href: SiteURL.build(.value(build.orderId), .value(build.buildNumber)).path, status: StatusView(build.status),
                    quantity: build.quantity, shippedOn: build.shippedOn ?? "Not shipped")
            } ?? [], truncated: found?.truncated ?? false, limit: TraceabilityController.pageLimit,
            csv: SiteURL.whereUsedCSV.with(query: query.percentEncodedQuery ?? ""))
        let response = try await Chrome.render(request, "where-used", title: "Where used", view, section: SiteURL.whereUsed.path)
        response.status = status
        return response
    }
}
