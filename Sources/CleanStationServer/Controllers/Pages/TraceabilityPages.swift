import CleanStationCore
import Vapor

/// Tracing for people (issue 18): a serial number, and the builds whose
/// signed checklists recorded it; a part's number, and every build whose BOM
/// holds it, with a CSV of the same list for a recall.
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
            /// The lot the build took, for a lot-tracked part.
            var lot: String
        }

        struct SerialRow: Encodable {
            var serial: String
            var item: String
            var checklist: String
            var poNumber: String
            var build: String
            var href: String
            var status: StatusView
            var signedAt: String
            var current: Bool
        }

        var serialFields: [FormField]
        /// Nil before a serial number is asked for.
        var serial: String?
        var serialRows: [SerialRow]
        var serialsTruncated: Bool
        var serialsNotBelieved: Int
        var serialLimit: Int
        var fields: [FormField]
        /// Nil before a part is asked for.
        var part: String?
        var name: String
        var rows: [Row]
        /// The lot asked for, if any.
        var lot: String
        var truncated: Bool
        var limit: Int
        var csv: String
    }

    static func show(_ request: Request) async throws -> Response {
        let values = ["part", "shippedFrom", "shippedTo", "lot"].reduce(into: [String: String]()) {
            $0[$1] = request.query[String.self, at: $1] ?? ""
        }
        var errors: [String: String] = [:]
        var found: TraceabilityController.WhereUsed?
        var status = HTTPResponseStatus.ok
        let serialText = request.query[String.self, at: "serial"] ?? ""
        var serials: TraceabilityController.SerialSearch?
        if request.query[String.self, at: "serial"] != nil {
            do {
                serials = try await TraceabilityController.serials(request)
            } catch let error as APIError where error.status == .unprocessableEntity {
                errors = error.fieldMessages
                status = .unprocessableEntity
            }
        } else if values.values.contains(where: { !$0.isEmpty }) {
            do {
                found = try await TraceabilityController.whereUsed(
                    try TraceabilityController.Query.read(request), request: request, limit: TraceabilityController.pageLimit)
            } catch let error as APIError where error.status == .unprocessableEntity {
                errors = error.fieldMessages
                status = .unprocessableEntity
            }
        }
        let view = View(
            serialFields: [
                FormField(
                    "serial", "Serial number", value: serialText, errors: errors, hint: "Or its first characters; capitals or not",
                    required: true)
            ],
            serial: serials?.serial,
            serialRows: serials?.matches.map { match in
                View.SerialRow(
                    serial: match.serial, item: match.item, checklist: match.checklist.words, poNumber: match.poNumber,
                    build: match.buildNumber,
                    href: SiteURL.build(.value(match.orderId), .value(match.buildNumber)).path, status: StatusView(match.status),
                    signedAt: String(match.signedAt.prefix(10)), current: match.current)
            } ?? [], serialsTruncated: serials?.truncated ?? false, serialsNotBelieved: serials?.notBelieved ?? 0,
            serialLimit: TraceabilityController.serialLimit,
            fields: [
                FormField(
                    "part", "Part or assembly number", value: values["part"] ?? "", errors: errors, hint: "As on the BOM: T2-CTRL-EDR1",
                    required: true),
                FormField("shippedFrom", "Shipped on or after", type: "date", value: values["shippedFrom"] ?? "", errors: errors),
                FormField("shippedTo", "Shipped on or before", type: "date", value: values["shippedTo"] ?? "", errors: errors),
                FormField(
                    "lot", "Lot", value: values["lot"] ?? "", errors: errors, hint: "For a lot-tracked part: only the builds that took it"),
            ], part: found?.part, name: found?.name ?? "",
            rows: found?.builds.map { build in
                View.Row(
                    poNumber: build.poNumber, customer: build.customerName, build: build.buildNumber,
                    href: SiteURL.build(.value(build.orderId), .value(build.buildNumber)).path, status: StatusView(build.status),
                    quantity: build.quantity,
                    // Builds shipped before shipments were recorded (issue 16) have their status, not a date.
                    shippedOn: build.shippedOn ?? (build.status == .shipped ? "Shipped, date not recorded" : "Not shipped"),
                    lot: build.lot ?? "")
            } ?? [], lot: found?.lot ?? "", truncated: found?.truncated ?? false, limit: TraceabilityController.pageLimit,
            csv: SiteURL.whereUsedCSV.with(
                parameters: ["part", "shippedFrom", "shippedTo", "lot"].compactMap { name in
                    values[name].flatMap { $0.isEmpty ? nil : (name, $0) }
                }))
        let response = try await Chrome.render(request, "where-used", title: "Trace", view, section: SiteURL.whereUsed.path)
        response.status = status
        return response
    }
}
