import CleanStationCore
import SQLKit
import Vapor

/// The audit trail for admins: entries, filtered, and the chain check.
enum AuditController {
    /// Every check of ADR 009, against the primary and the latest checkpoint.
    static func verify(_ request: Request) async throws -> RecordVerification {
        try await AuditTrail.verification(request.application)
    }

    static func list(_ request: Request) async throws -> JSONValue {
        let sql = request.readDB as! any SQLDatabase
        var conditions: [any SQLExpression] = []
        for (parameter, column) in [
            ("resourceType", "resource_type"), ("resourceId", "resource_id"), ("userId", "user_id"), ("action", "action"),
        ] {
            if let value = request.query[String.self, at: parameter] {
                conditions.append(SQLBinaryExpression(left: SQLColumn(column), op: SQLBinaryOperator.equal, right: SQLBind(value)))
            }
        }
        var errors: [FieldError] = []
        let limit = request.boundedQuery("limit", default: 50, range: 1...100, &errors)
        let page = request.boundedQuery("page", default: 1, range: 1...1_000_000, &errors)
        guard errors.isEmpty else { throw APIError.validation(errors) }
        let select = conditions.reduce(sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log")) {
            $0.where($1)
        }
        let rows = try await select.orderBy("seq", .descending).limit(limit).offset((page - 1) * limit).all()
        let (total, exact) = try await sql.cappedCount(of: "audit_log", where: conditions, from: (page - 1) * limit)
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
            JSONMember("items", .array(items)), JSONMember("total", .number(Double(total))), JSONMember("totalExact", .bool(exact)),
            JSONMember("page", .number(Double(page))), JSONMember("limit", .number(Double(limit))),
        ])
    }
}
