import CleanStationCore
import CleanStationExports
import Fluent
import SQLKit
import Vapor

/// The order's status, and the lock every change of it takes.
extension OrdersController {
    // MARK: Lifecycle

    /// `POST /api/v1/orders/{id}/status`: moves every build of the order
    /// that may move (`BuildFlow`); when none may, the refusal as before.
    static func changeStatus(_ request: Request) async throws -> OrdersController.OrderDetail {
        try await changeStatus(request, try request.input(StatusChange.self))
    }

    static func changeStatus(_ request: Request, _ input: StatusChange) async throws -> OrdersController.OrderDetail {
        let id = try request.uuidParameter("orderID", "The order")
        let (target, note) = try input.checked()
        let moved = try await BuildFlow.move(
            orderID: id, to: target, note: note, by: try request.principal(), actor: request.auditActor, on: request.db,
            mail: request.mailContext)
        if target == .shipped { await DeviceHistory.fileAfterShipping(moved.builds, of: id, request) }
        return try await detail(of: id, request: request)
    }

    /// `{status, note}`: where an order or a build moves, and why.
    struct StatusChange: APIInput {
        var status: JSONValue
        var note: String?

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> StatusChange? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["status", "note"]) else { return nil }
            let status = reader.member(object, "status")
            let note = reader.optionalString(object, "note")
            return status.map { StatusChange(status: $0, note: note) }
        }

        func check(_ reader: inout JSONFieldReader) -> (OrderStatus, String?)? {
            let target = reader.enumeration(OrderStatus.self, status, at: .root.key("status"))
            if let note, note.count > OrderRequest.maximumNotes { reader.fail(.root.key("note"), "must have at most 2000 characters") }
            return target.map { ($0, note) }
        }
    }

    /// Holds the order's row until the transaction ends, so that checks and
    /// writes about one order do not interleave (PostgreSQL; SQLite has a
    /// single writer already).
    static func lock(_ id: UUID, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        _ = try await sql.raw("SELECT id FROM orders WHERE id = \(bind: id) FOR UPDATE").all()
    }

    /// The customer contact, opened (it is stored sealed).
    static func contact(_ order: Order, cipher: FieldCipher) throws -> String? {
        try order.customerContact.map { String(decoding: try cipher.open($0), as: UTF8.self) }
    }

    static func timestamp(_ date: Date) -> String {
        AuditLog.timestamp(date)
    }
}
