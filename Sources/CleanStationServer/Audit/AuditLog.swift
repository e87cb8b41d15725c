import CleanStationCore
import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// Who did something, from where: the request's part of an audit entry.
struct AuditActor: Sendable {
    var userID: UUID?
    var sessionID: UUID?
    var clientAddress: String?
    var userAgent: String?
    var requestID: String?

    static let system = AuditActor()
}

/// What was done to what, with the values before and after.
struct AuditEvent: Sendable {
    var action: String
    var resourceType: String
    var resourceID: String?
    var oldValue: JSONValue?
    var newValue: JSONValue?
    var outcome: String = "SUCCESS"
}

/// One row of `audit_log`, as stored and as hashed.
struct AuditRecord: Sendable, Codable, Equatable {
    var seq: Int64
    var at: String
    var userID: String?
    var sessionID: String?
    var action: String
    var resourceType: String
    var resourceID: String?
    var oldValue: String?
    var newValue: String?
    var outcome: String
    var clientAddress: String?
    var userAgent: String?
    var requestID: String?
    var prevHash: String
    var hash: String
    /// The seal of `hash` (ADR 009): the key's id and the HMAC; nil on entries written before keyed integrity.
    var keyID: String?
    var mac: String?

    static let columns = [
        "seq", "at", "user_id", "session_id", "action", "resource_type", "resource_id", "old_value", "new_value", "outcome",
        "client_address", "user_agent", "request_id", "prev_hash", "hash", "key_id", "mac",
    ]

    /// SHA-256 over the canonical JSON of every field but `hash`.
    func computedHash() -> String {
        SHA256.hash(data: JSONSerializer.bytes(.object(hashedMembers), style: .canonical)).hex
    }

    /// The entry as one JSON object, hash and seal included: a line of the audit file.
    var jsonValue: JSONValue {
        .object(
            hashedMembers + [
                JSONMember("hash", .string(hash)), JSONMember("keyId", keyID.map { .string($0) } ?? .null),
                JSONMember("mac", mac.map { .string($0) } ?? .null),
            ])
    }

    /// Whether the entry's seal holds: the application wrote this hash.
    func sealHolds(_ seal: RecordSeal) -> Bool {
        seal.check(RecordSeal.auditEntry(seq: seq, hash: hash), keyID: keyID, mac: mac) == .valid
    }

    /// Seals the entry's hash with the key the database does not hold.
    mutating func seal(with seal: RecordSeal) {
        let mark = seal.seal(RecordSeal.auditEntry(seq: seq, hash: hash))
        keyID = mark.keyID
        mac = mark.mac
    }

    private var hashedMembers: [JSONMember] {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        return [
            JSONMember("seq", .number(Double(seq))), JSONMember("at", .string(at)), JSONMember("userId", text(userID)),
            JSONMember("sessionId", text(sessionID)), JSONMember("action", .string(action)),
            JSONMember("resourceType", .string(resourceType)), JSONMember("resourceId", text(resourceID)),
            JSONMember("oldValue", text(oldValue)), JSONMember("newValue", text(newValue)), JSONMember("outcome", .string(outcome)),
            JSONMember("clientAddress", text(clientAddress)), JSONMember("userAgent", text(userAgent)),
            JSONMember("requestId", text(requestID)), JSONMember("prevHash", .string(prevHash)),
        ]
    }

    init(row: any SQLRow) throws {
        seq = try row.decode(column: "seq", as: Int64.self)
        at = try row.decode(column: "at", as: String.self)
        userID = try row.decode(column: "user_id", as: String?.self)
        sessionID = try row.decode(column: "session_id", as: String?.self)
        action = try row.decode(column: "action", as: String.self)
        resourceType = try row.decode(column: "resource_type", as: String.self)
        resourceID = try row.decode(column: "resource_id", as: String?.self)
        oldValue = try row.decode(column: "old_value", as: String?.self)
        newValue = try row.decode(column: "new_value", as: String?.self)
        outcome = try row.decode(column: "outcome", as: String.self)
        clientAddress = try row.decode(column: "client_address", as: String?.self)
        userAgent = try row.decode(column: "user_agent", as: String?.self)
        requestID = try row.decode(column: "request_id", as: String?.self)
        prevHash = try row.decode(column: "prev_hash", as: String.self)
        hash = try row.decode(column: "hash", as: String.self)
        keyID = try row.decode(column: "key_id", as: String?.self)
        mac = try row.decode(column: "mac", as: String?.self)
    }

    init(seq: Int64, at: String, event: AuditEvent, actor: AuditActor, prevHash: String) {
        self.seq = seq
        self.at = at
        self.userID = actor.userID?.uuidString.lowercased()
        self.sessionID = actor.sessionID?.uuidString.lowercased()
        self.action = event.action
        self.resourceType = event.resourceType
        self.resourceID = event.resourceID
        self.oldValue = event.oldValue.map { JSONSerializer.string($0, style: .canonical) }
        self.newValue = event.newValue.map { JSONSerializer.string($0, style: .canonical) }
        self.outcome = event.outcome
        self.clientAddress = actor.clientAddress
        self.userAgent = actor.userAgent
        self.requestID = actor.requestID
        self.prevHash = prevHash
        self.hash = ""
        self.hash = computedHash()
    }

    var values: [any Encodable & Sendable] {
        [
            seq, at, userID, sessionID, action, resourceType, resourceID, oldValue, newValue, outcome, clientAddress, userAgent, requestID,
            prevHash, hash, keyID, mac,
        ]
    }
}

/// The tamper-evident audit trail: every write appends an entry, in the
/// writer's transaction, chained to the previous one by its hash.
enum AuditLog {
    static let genesisHash = String(repeating: "0", count: 64)

    /// Appends one entry, sealed. Call it inside the transaction of the
    /// write it records; the head row's lock orders concurrent appends. The
    /// database accepts the entry only as the next link and moves the head
    /// itself; on PostgreSQL the head is locked through a function of the
    /// schema's owner: the application's role may not update it (ADR 009).
    static func append(_ event: AuditEvent, actor: AuditActor, on database: any Database, now: Date = Date()) async throws {
        let sql = database as! any SQLDatabase
        let head = try await lockHead(on: sql)
        var record = AuditRecord(seq: head.seq + 1, at: timestamp(now), event: event, actor: actor, prevHash: head.hash)
        record.seal(with: try database.recordSeal)
        var insert = sql.insert(into: "audit_log").columns(AuditRecord.columns)
        insert = insert.values(record.values.map { SQLBind($0) })
        try await insert.run()
    }

    /// A file taken out of the system (a BOM, a certificate, a document):
    /// who took which, and in what form (issue 17).
    static func recordExport(_ request: Request, resourceType: String, resourceID: String, details: [JSONMember]) async throws {
        try await request.db.transaction { transaction in
            try await append(
                AuditEvent(action: "EXPORT", resourceType: resourceType, resourceID: resourceID, newValue: .object(details)),
                actor: request.auditActor, on: transaction)
        }
    }

    /// The head, locked for the rest of the transaction.
    static func lockHead(on sql: any SQLDatabase) async throws -> (seq: Int64, hash: String) {
        let query: SQLQueryString =
            sql.dialect.name == "postgresql" ? "SELECT seq, hash FROM audit_head_lock()" : "SELECT seq, hash FROM audit_head WHERE id = 1"
        guard let head = try await sql.raw(query).first() else { throw Abort(.internalServerError, reason: "audit_head is missing") }
        return (try head.decode(column: "seq", as: Int64.self), try head.decode(column: "hash", as: String.self))
    }

    /// The time as `timestamp` writes it, to the millisecond (and half a
    /// microsecond more, so that the nearest binary fraction does not fall
    /// below the millisecond and print as the one before).
    static func toTheMillisecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000).rounded(.down) / 1_000 + 0.000_000_5)
    }

    /// A time `timestamp` wrote.
    static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// RFC 3339 UTC with milliseconds, stored as text so that it hashes the same on every database.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
