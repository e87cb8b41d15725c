import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// The audit trail for admins: entries, filtered, and the chain check.
enum AuditController {
    /// Every check of ADR 009, against the primary and the latest checkpoint.
    static func verify(_ request: Request) async throws -> RecordVerification {
        try await AuditTrail.verification(request.application)
    }

    /// Which entries to show: each filter is optional; `from` and `to` are days (`YYYY-MM-DD`, UTC) and include `to`.
    struct Filter: Sendable {
        var resourceType: String?
        var resourceID: String?
        var userID: String?
        var action: String?
        var from: String?
        var to: String?

        /// The filters and the page of a request's query, 422 naming the field that is wrong.
        static func read(_ request: Request) throws -> (filter: Filter, page: Int, limit: Int) {
            func text(_ name: String) -> String? {
                request.query[String.self, at: name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            var errors: [FieldError] = []
            let filter = Filter(
                resourceType: text("resourceType"), resourceID: text("resourceId"), userID: text("userId"), action: text("action"),
                from: text("from"), to: text("to"))
            for (name, value) in [("from", filter.from), ("to", filter.to)] {
                if let value, !OrderRequest.isCalendarDate(value) {
                    errors.append(FieldError(field: name, message: "must be a date as YYYY-MM-DD"))
                }
            }
            let limit = request.boundedQuery("limit", default: 50, range: 1...100, &errors)
            let page = request.boundedQuery("page", default: 1, range: 1...1_000_000, &errors)
            guard errors.isEmpty else { throw APIError.validation(errors) }
            return (filter, page, limit)
        }

        var conditions: [any SQLExpression] {
            var conditions: [any SQLExpression] = []
            func add(_ column: String, _ op: SQLBinaryOperator, _ value: String?) {
                guard let value else { return }
                conditions.append(SQLBinaryExpression(left: SQLColumn(column), op: op, right: SQLBind(value)))
            }
            add("resource_type", .equal, resourceType)
            add("resource_id", .equal, resourceID)
            add("user_id", .equal, userID)
            add("action", .equal, action)
            // `at` is an ISO 8601 timestamp in UTC: a day's entries sort from its date up to the next day's.
            add("at", .greaterThanOrEqual, from)
            add("at", .lessThan, to.map { WantDate.day($0, plus: 1) })
            return conditions
        }
    }

    /// One page of entries, newest first, and how many match (counted up to a cap past this page).
    static func entries(
        _ filter: Filter, page: Int, limit: Int, on database: any Database
    ) async throws -> (records: [AuditRecord], total: Int, exact: Bool) {
        let sql = database as! any SQLDatabase
        let conditions = filter.conditions
        let select = conditions.reduce(sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log")) {
            $0.where($1)
        }
        let rows = try await select.orderBy("seq", .descending).limit(limit).offset((page - 1) * limit).all()
        let (total, exact) = try await sql.cappedCount(of: "audit_log", where: conditions, from: (page - 1) * limit)
        return (try rows.map(AuditRecord.init(row:)), total, exact)
    }

    static func list(_ request: Request) async throws -> JSONValue {
        let (filter, page, limit) = try Filter.read(request)
        let (records, total, exact) = try await entries(filter, page: page, limit: limit, on: request.readDB)
        let items = records.map { record -> JSONValue in
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
