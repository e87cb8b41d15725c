import CleanStationCore
import Fluent
import Foundation
import Vapor

// The types every page shares: form fields in, choices, badges and order
// rows out, and the toast that follows a form's post.

/// An option of a select.
struct Choice: Encodable {
    var value: String
    var label: String
    var selected: Bool
}

/// A status as a badge: its words and its colour.
struct StatusView: Encodable {
    var code: String
    var label: String
    var tone: String

    init(_ status: OrderStatus) {
        code = status.rawValue
        label = status.words
        tone =
            switch status {
            case .orderCreated: "neutral"
            case .partsSent, .readyForPreQC: "info"
            case .readyForProduction, .testingComplete, .packagingComplete: "accent"
            case .readyForFinalQC: "warning"
            case .readyForShip, .shipped: "success"
            case .cancelled: "danger"
            }
    }
}

/// One order in a table.
struct OrderRow {
    var id: String
    var href: String
    var poNumber: String
    var customerName: String
    var projectName: String
    var wantDate: String
    var status: StatusView
    var builds: String
    /// "Overdue" or "Due soon" against the want date, else empty.
    var due: String
    var dueTone: String
    /// "2 × Ready to ship · 1 × Ready for Final QC" when the builds stand apart.
    var breakdown: String

    init(_ order: some OrderHeader, buildNumbers: [String], today: String) {
        id = order.id?.uuidString.lowercased() ?? ""
        href = SiteURL.order(.value(id)).path
        poNumber = order.poNumber
        customerName = order.customerName
        projectName = order.projectName ?? ""
        wantDate = order.wantDate
        status = StatusView(order.status)
        builds = buildNumbers.joined(separator: ", ")
        (due, dueTone) = Self.due(order.wantDate, today: today, status: order.status)
        breakdown = Self.words(Lifecycle.breakdown(text: order.statusBreakdown, status: order.status, builds: buildNumbers.count))
    }

    /// The table of a list of orders, written here rather than by Leaf: a template interpreted row by row, cell by
    /// cell, was a third of a queue page's CPU. Every value is escaped as Leaf escapes `#(…)`.
    static func table(_ rows: [OrderRow]) -> String {
        guard !rows.isEmpty else { return "" }
        var html = #"<div class="table-wrap"><table class="table">"#
        html += #"<thead><tr><th scope="col">PO</th><th scope="col">Customer</th><th scope="col">Builds</th>"#
        html += #"<th scope="col">Want date</th><th scope="col">Status</th></tr></thead><tbody>"#
        for row in rows {
            html += #"<tr><td><a href=""# + row.href.escapedForHTML() + #"">"# + row.poNumber.escapedForHTML() + "</a></td><td>"
            html += row.customerName.escapedForHTML()
            if !row.projectName.isEmpty { html += #"<br><small class="muted">"# + row.projectName.escapedForHTML() + "</small>" }
            html += "</td><td>" + row.builds.escapedForHTML() + "</td><td>" + row.wantDate.escapedForHTML()
            if !row.due.isEmpty {
                html += #" <span class="badge "# + row.dueTone.escapedForHTML() + #"">"# + row.due.escapedForHTML() + "</span>"
            }
            html +=
                #"</td><td><span class="badge "# + row.status.tone.escapedForHTML() + #"">"# + row.status.label.escapedForHTML() + "</span>"
            if !row.breakdown.isEmpty { html += #"<br><small class="muted">"# + row.breakdown.escapedForHTML() + "</small>" }
            html += "</td></tr>"
        }
        return html + "</tbody></table></div>"
    }

    static func words(_ parts: [(status: OrderStatus, count: Int)]) -> String {
        parts.count > 1 ? parts.map { "\($0.count) × \($0.status.words)" }.joined(separator: " · ") : ""
    }

    static func due(_ wantDate: String, today: String, status: OrderStatus) -> (String, String) {
        let standing = WantDate.standing(wantDate, today: today, status: status)
        return (standing?.words ?? "", standing == .overdue ? "danger" : standing == .atRisk ? "warning" : "")
    }

    /// `today` once for the page, not a calendar per row.
    /// One order of the API's list.
    init(_ item: OrdersController.OrderList.Item, today: String) {
        let order = item.summary
        id = order.id
        href = SiteURL.order(.value(id)).path
        poNumber = order.poNumber
        customerName = order.customerName
        projectName = order.projectName ?? ""
        wantDate = order.wantDate
        status = StatusView(order.status)
        builds = item.buildNumbers.joined(separator: ", ")
        (due, dueTone) = Self.due(wantDate, today: today, status: order.status)
        breakdown = Self.words(order.statusBreakdown.map { ($0.status, $0.builds) })
    }

    /// `2026-11-29 05:18` on the plant's clock (`PlantTime`) from a record's UTC timestamp.
    static func shortTime(_ timestamp: String?) -> String {
        timestamp.map { PlantTime.minute($0) } ?? ""
    }
}

/// The fields of a URL-encoded form, in order. The names are the JSON paths
/// of the API's bodies (`builds[0].legs.model`), so that a field error of
/// the API lands next to the input it concerns.
struct FormFields: Sendable {
    var pairs: [(name: String, value: String)]

    init(_ request: Request) {
        self.init(body: request.body.string ?? "")
    }

    init(body: String) {
        pairs = body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    func value(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The value trimmed, `nil` when empty.
    func text(_ name: String) -> String? {
        guard let value = value(name)?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}

/// A one-time message shown after a redirect (the toast); an error's
/// text starts with `!`.
struct Flash: Encodable {
    var message: String
    var isError: Bool

    static func read(_ request: Request) -> Flash? {
        guard let value = request.cookies[WebSession.flashCookie]?.string.removingPercentEncoding, !value.isEmpty else { return nil }
        return value.hasPrefix("!") ? Flash(message: String(value.dropFirst()), isError: true) : Flash(message: value, isError: false)
    }

    static func encode(_ message: String, isError: Bool = false) -> String {
        ((isError ? "!" : "") + message).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// A redirect after a form post, carrying its message.
    static func redirect(_ request: Request, to path: String, _ message: String, isError: Bool = false) -> Response {
        let response = request.redirect(to: path, redirectType: .normal)
        response.cookies[WebSession.flashCookie] = request.application.webSession.cookie(encode(message, isError: isError))
        return response
    }

    /// Runs an action of a page's form; an API refusal goes back to the page
    /// as an error toast instead of a page of its own.
    static func perform(
        _ request: Request, then path: String, _ message: String, _ action: () async throws -> Void
    ) async throws -> Response {
        do {
            try await action()
        } catch let error as APIError where [.conflict, .unprocessableEntity, .forbidden].contains(error.status) {
            let details = error.details.map(\.description).joined(separator: "; ")
            return redirect(request, to: path, details.isEmpty ? error.message : details, isError: true)
        }
        return redirect(request, to: path, message)
    }
}
