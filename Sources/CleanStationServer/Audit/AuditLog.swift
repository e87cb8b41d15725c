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

    static let columns = [
        "seq", "at", "user_id", "session_id", "action", "resource_type", "resource_id", "old_value", "new_value", "outcome",
        "client_address", "user_agent", "request_id", "prev_hash", "hash",
    ]

    /// SHA-256 over the canonical JSON of every field but `hash`.
    func computedHash() -> String {
        SHA256.hash(data: JSONSerializer.bytes(.object(hashedMembers), style: .canonical)).hexString
    }

    /// The entry as one JSON object, hash included: a line of the audit file.
    var jsonValue: JSONValue { .object(hashedMembers + [JSONMember("hash", .string(hash))]) }

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
            prevHash, hash,
        ]
    }
}

/// The tamper-evident audit trail: every write appends an entry, in the
/// writer's transaction, chained to the previous one by its hash.
enum AuditLog {
    static let genesisHash = String(repeating: "0", count: 64)

    /// Appends one entry. Call it inside the transaction of the write it
    /// records; the head row's lock orders concurrent appends.
    static func append(_ event: AuditEvent, actor: AuditActor, on database: any Database, now: Date = Date()) async throws {
        let sql = database as! any SQLDatabase
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        guard let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1\(unsafeRaw: lock)").first() else {
            throw Abort(.internalServerError, reason: "audit_head is missing")
        }
        let seq = try head.decode(column: "seq", as: Int64.self) + 1
        let record = AuditRecord(
            seq: seq, at: timestamp(now), event: event, actor: actor, prevHash: try head.decode(column: "hash", as: String.self))
        var insert = sql.insert(into: "audit_log").columns(AuditRecord.columns)
        insert = insert.values(record.values.map { SQLBind($0) })
        try await insert.run()
        try await sql.update("audit_head").set("seq", to: seq).set("hash", to: record.hash).where("id", .equal, 1).run()
    }

    struct Verification: Content {
        var intact: Bool
        var checked: Int
        /// The first entry whose hash or link does not hold.
        var firstBroken: Int64?
        var reason: String?
    }

    /// Recomputes the whole chain, in order, and names the first broken entry.
    static func verify(on database: any Database) async throws -> Verification {
        let sql = database as! any SQLDatabase
        var previous: (seq: Int64, hash: String) = (0, genesisHash)
        var checked = 0
        let pageSize: Int64 = 1_000
        while true {
            let rows = try await sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log")
                .where("seq", .greaterThan, previous.seq).orderBy("seq").limit(Int(pageSize)).all()
            if rows.isEmpty { break }
            for row in rows {
                let record: AuditRecord
                do {
                    record = try AuditRecord(row: row)
                } catch {
                    return Verification(
                        intact: false, checked: checked, firstBroken: previous.seq + 1, reason: "the entry cannot be read: \(error)")
                }
                if record.seq != previous.seq + 1 {
                    return Verification(
                        intact: false, checked: checked, firstBroken: previous.seq + 1, reason: "entry \(previous.seq + 1) is missing")
                }
                if record.prevHash != previous.hash {
                    return Verification(
                        intact: false, checked: checked, firstBroken: record.seq,
                        reason: "its previous hash does not match entry \(previous.seq)")
                }
                if record.computedHash() != record.hash {
                    return Verification(
                        intact: false, checked: checked, firstBroken: record.seq, reason: "its content does not match its hash")
                }
                previous = (record.seq, record.hash)
                checked += 1
            }
        }
        if let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first(),
            try head.decode(column: "seq", as: Int64.self) != previous.seq
        {
            return Verification(
                intact: false, checked: checked, firstBroken: previous.seq + 1, reason: "entries after \(previous.seq) are missing")
        }
        return Verification(intact: true, checked: checked, firstBroken: nil, reason: nil)
    }

    /// RFC 3339 UTC with milliseconds, stored as text so that it hashes the same on every database.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

extension Digest {
    var hexString: String {
        map { String(format: "%02x", $0) }.joined()
    }
}
