import CleanStationCore
import Fluent
import Vapor

/// Procurement's outsourcing tracker: BOM lines sent to suppliers, moved on
/// PENDING → SENT → RECEIVED from the order page and the procurement dashboard.
enum OutsourcingPages {
    /// The lines shown together, and the page their buttons come back to.
    struct Tracker: Encodable {
        var lines: [Line]
        var back: String
    }

    struct Line: Encodable {
        var id: String
        /// Where its next status is posted.
        var action: String
        var poNumber: String
        var orderHref: String
        var buildNumber: String
        var lineID: String
        var supplier: String
        var expected: String
        var note: String
        var status: String
        var tone: String
        /// The next status and its button, when the signed-in role may move it on.
        var next: String?
        var nextLabel: String?
    }

    static func lines(_ found: [OutsourcedLine], orders: [UUID: Order], canAdvance: Bool) -> [Line] {
        found.map { line in
            let order = orders[line.$order.id]
            let canAdvance = canAdvance && order.map { Outsourcing.problem(at: $0.status) == nil } == true
            let next: (String, String)? =
                switch line.status {
                case .pending: ("SENT", "Mark \(line.lineID) sent")
                case .sent: ("RECEIVED", "Mark \(line.lineID) received")
                case .received: nil
                }
            return Line(
                id: line.id?.uuidString.lowercased() ?? "",
                action: SiteURL.outsourcingLine(.value(line.id?.uuidString.lowercased() ?? "")).path,
                poNumber: order?.poNumber ?? "",
                orderHref: SiteURL.order(line.$order.id).path, buildNumber: line.buildNumber, lineID: line.lineID,
                supplier: line.supplier, expected: line.expectedDate ?? "", note: line.note,
                status: AuditWords.sentence(line.status.rawValue),
                tone: line.status == .received ? "success" : line.status == .sent ? "info" : "warning",
                next: canAdvance ? next?.0 : nil, nextLabel: canAdvance ? next?.1 : nil)
        }
    }

    /// Lines of every order still to come back, for the dashboard.
    static func open(on database: any Database) async throws -> Tracker {
        let found = try await OutsourcedLine.query(on: database).filter(\.$status != .received).sort(\.$expectedDate).sort(\.$lineID)
            .limit(200).all()
        let orders = try await Order.query(on: database).filter(\.$id ~~ Set(found.map(\.$order.id))).all()
        return Tracker(
            lines: lines(found, orders: Dictionary(uniqueKeysWithValues: orders.map { ($0.id!, $0) }), canAdvance: true),
            back: SiteURL.procurement.path)
    }

    static func mark(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let input = ProcurementController.Outsource(
            lineId: fields.value("lineId") ?? "", supplier: fields.value("supplier") ?? "", expectedDate: fields.text("expectedDate"),
            note: fields.text("note"))
        return try await Flash.perform(request, then: try OrderPages.backToOrder(request), "\(fields.value("lineId") ?? "") outsourced.") {
            _ = try await ProcurementController.mark(request, input)
        }
    }

    static func advance(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let input = ProcurementController.Advance(status: .string(fields.value("status") ?? ""))
        let back = LoginPages.safeNext(fields.value("return"))
        return try await Flash.perform(request, then: back, "Outsourced line \(AuditWords.sentence(fields.value("status") ?? "")).") {
            _ = try await ProcurementController.advance(request, input)
        }
    }
}
