import CleanStationCore
import Vapor

/// Tracing for people (issue 18): a serial number, and the builds whose
/// signed checklists recorded it; a part's number, and every build whose BOM
/// holds it, with a CSV of the same list for a recall.
enum TraceabilityPages {
    struct View: Encodable {
        /// A build that holds the part. The rows are written here rather than by Leaf, as the queues' are
        /// (`OrderRow.table`): two hundred rows through the template were about half of the page's CPU.
        struct Row {
            var poNumber: String
            var customer: String
            var build: String
            var href: String
            var status: StatusView
            var quantity: Int
            var shippedOn: String
            /// The lot the build took, for a lot-tracked part.
            var lot: String

            /// The table's rows, each value escaped as Leaf escapes `#(…)`.
            static func html(_ rows: [Row]) -> String {
                rows.reduce(into: "") { html, row in
                    html += "<tr><td>" + row.poNumber.escapedForHTML() + "</td><td>" + row.customer.escapedForHTML()
                    html += #"</td><td><a href=""# + row.href.escapedForHTML() + #"">"# + row.build.escapedForHTML()
                    html += #"</a></td><td><span class="badge "# + row.status.tone.escapedForHTML() + #"">"#
                    html += row.status.label.escapedForHTML() + #"</span></td><td class="num">\#(row.quantity)</td><td>"#
                    html += row.shippedOn.escapedForHTML() + "</td><td>" + row.lot.escapedForHTML() + "</td></tr>"
                }
            }
        }

        /// A signed checklist that recorded the serial number, written in Swift as `Row` is.
        struct SerialRow {
            var serial: String
            var item: String
            var checklist: String
            var poNumber: String
            var build: String
            var href: String
            var status: StatusView
            var signedAt: String
            var current: Bool

            static func html(_ rows: [SerialRow]) -> String {
                rows.reduce(into: "") { html, row in
                    html += "<tr><td><code>" + row.serial.escapedForHTML() + "</code></td><td>" + row.item.escapedForHTML()
                    html += "</td><td>" + row.checklist.escapedForHTML() + (row.current ? "" : #" <span class="badge">superseded</span>"#)
                    html += "</td><td>" + row.poNumber.escapedForHTML() + #"</td><td><a href=""# + row.href.escapedForHTML() + #"">"#
                    html += row.build.escapedForHTML() + #"</a></td><td><span class="badge "# + row.status.tone.escapedForHTML() + #"">"#
                    html += row.status.label.escapedForHTML() + "</span></td><td>" + row.signedAt.escapedForHTML() + "</td></tr>"
                }
            }
        }

        var serialFields: [FormField]
        /// Nil before a serial number is asked for.
        var serial: String?
        /// The serial numbers' rows as HTML (`SerialRow.html`); empty when none was found.
        var serialRows: String
        var serialsTruncated: Bool
        var serialsNotBelieved: Int
        var serialLimit: Int
        var fields: [FormField]
        /// Nil before a part is asked for.
        var part: String?
        var name: String
        /// The builds' rows as HTML (`Row.html`); empty when none holds the part.
        var rows: String
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
            serialRows: View.SerialRow.html(
                serials?.matches.map { match in
                    View.SerialRow(
                        serial: match.serial, item: match.item, checklist: match.checklist.words, poNumber: match.poNumber,
                        build: match.buildNumber,
                        href: SiteURL.build(.value(match.orderId), .value(match.buildNumber)).path, status: StatusView(match.status),
                        signedAt: String(match.signedAt.prefix(10)), current: match.current)
                } ?? []), serialsTruncated: serials?.truncated ?? false, serialsNotBelieved: serials?.notBelieved ?? 0,
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
            rows: View.Row.html(
                found?.builds.map { build in
                    View.Row(
                        poNumber: build.poNumber, customer: build.customerName, build: build.buildNumber,
                        href: SiteURL.build(.value(build.orderId), .value(build.buildNumber)).path, status: StatusView(build.status),
                        quantity: build.quantity,
                        // Builds shipped before shipments were recorded (issue 16) have their status, not a date.
                        shippedOn: build.shippedOn ?? (build.status == .shipped ? "Shipped, date not recorded" : "Not shipped"),
                        lot: build.lot ?? "")
                } ?? []), lot: found?.lot ?? "", truncated: found?.truncated ?? false, limit: TraceabilityController.pageLimit,
            csv: SiteURL.whereUsedCSV.with(
                parameters: ["part", "shippedFrom", "shippedTo", "lot"].compactMap { name in
                    values[name].flatMap { $0.isEmpty ? nil : (name, $0) }
                }))
        let response = try await Chrome.render(request, "where-used", title: "Trace", view, section: SiteURL.whereUsed.path)
        response.status = status
        return response
    }
}
