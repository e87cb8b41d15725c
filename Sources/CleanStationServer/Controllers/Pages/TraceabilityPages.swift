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
                    quantity: build.quantity,
                    // Builds shipped before shipments were recorded (issue 16) have their status, not a date.
                    shippedOn: build.shippedOn ?? (build.status == .shipped ? "Shipped, date not recorded" : "Not shipped"))
            } ?? [], truncated: found?.truncated ?? false, limit: TraceabilityController.pageLimit,
            csv: SiteURL.whereUsedCSV.with(
                parameters: ["part", "shippedFrom", "shippedTo"].compactMap { name in values[name].flatMap { $0.isEmpty ? nil : (name, $0) }
                }))
        let response = try await Chrome.render(request, "where-used", title: "Where used", view, section: SiteURL.whereUsed.path)
        response.status = status
        return response
    }
}
