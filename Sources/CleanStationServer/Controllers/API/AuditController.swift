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

    /// A page of the audit trail, newest first.
    struct AuditList: APIResponse {
        struct Entry: Encodable, Sendable {
            var seq: Int
            var at: String
            var userId: String?
            var sessionId: String?
            var action: String
            var resourceType: String
            var resourceId: String?
            /// As the entry keeps them: what was before and after, in the entry's own shape.
            var oldValue: JSONValue?
            var newValue: JSONValue?
            var outcome: String
            var clientAddress: String?
            var requestId: String?
            /// The entry's link in the hash chain.
            var hash: String
        }

        var items: [Entry]
        var total: Int
        var totalExact: Bool
        var page: Int
        var limit: Int

        static let example = AuditList(
            items: [
                Entry(
                    seq: 42, at: "2026-12-06T09:30:00.000Z", userId: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b",
                    sessionId: "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e", action: "UPDATE", resourceType: "order", resourceId: "PO-2026-0042",
                    oldValue: .object([JSONMember("notes", "")]), newValue: .object([JSONMember("notes", "Deliver on a Tuesday")]),
                    outcome: "SUCCESS", clientAddress: "10.0.4.17", requestId: "5d6e7f8a-9b0c-4d1e-8f2a-3b4c5d6e7f8a",
                    hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
            ], total: 1, totalExact: true, page: 1, limit: 50)
    }

    static func list(_ request: Request) async throws -> AuditList {
        let (filter, page, limit) = try Filter.read(request)
        let (records, total, exact) = try await entries(filter, page: page, limit: limit, on: request.readDB)
        func json(_ value: String?) -> JSONValue? { value.flatMap { try? JSONParser.parse($0) } }
        return AuditList(
            items: records.map { record in
                AuditList.Entry(
                    seq: Int(record.seq), at: record.at, userId: record.userID, sessionId: record.sessionID, action: record.action,
                    resourceType: record.resourceType, resourceId: record.resourceID, oldValue: json(record.oldValue),
                    newValue: json(record.newValue), outcome: record.outcome, clientAddress: record.clientAddress,
                    requestId: record.requestID, hash: record.hash)
            }, total: total, totalExact: exact, page: page, limit: limit)
    }
}
