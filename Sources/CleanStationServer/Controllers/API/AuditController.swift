import CleanStationCore
import SQLKit
import Vapor

/// The audit trail for admins: entries, filtered, and the chain check.
enum AuditController {
    static func verify(_ request: Request) async throws -> AuditLog.Verification {
        try await AuditLog.verify(on: request.readDB)
    }

    static func list(_ request: Request) async throws -> JSONValue {
        let sql = request.readDB as! any SQLDatabase
        var select = sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log")
        var count = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_log")
        for (parameter, column) in [
            ("resourceType", "resource_type"), ("resourceId", "resource_id"), ("userId", "user_id"), ("action", "action"),
        ] {
            if let value = request.query[String.self, at: parameter] {
                select = select.where(SQLColumn(column), .equal, SQLBind(value))
                count = count.where(SQLColumn(column), .equal, SQLBind(value))
            }
        }
        let limit = min(max(request.query[Int.self, at: "limit"] ?? 50, 1), 100)
        let page = max(request.query[Int.self, at: "page"] ?? 1, 1)
        let rows = try await select.orderBy("seq", .descending).limit(limit).offset((page - 1) * limit).all()
        let total = try await count.first()?.decode(column: "n", as: Int.self) ?? 0
        let items = try rows.map { row -> JSONValue in
            let record = try AuditRecord(row: row)
            func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
            func json(_ value: String?) -> JSONValue { value.flatMap { try? JSONParser.parse($0) } ?? .null }
            return .object([
                JSONMember("seq", .number(Double(record.seq))), JSONMember("at", .string(record.at)),
                JSONMember("userId", text(record.userID)),
                JSONMember("sessionId", text(record.sessionID)), JSONMember("action", .string(record.action)),
                JSONMember("resourceType", .string(record.resourceType)), JSONMember("resourceId", text(record.resourceID)),
                JSONMember("oldValue", json(record.oldValue)), JSONMember("newValue", json(record.newValue)),
                JSONMember("outcome", .string(record.outcome)), JSONMember("clientAddress", text(record.clientAddress)),
                JSONMember("requestId", text(record.requestID)), JSONMember("hash", .string(record.hash)),
            ])
        }
        return .object([
            JSONMember("items", .array(items)), JSONMember("total", .number(Double(total))), JSONMember("page", .number(Double(page))),
            JSONMember("limit", .number(Double(limit))),
        ])
    }
}
