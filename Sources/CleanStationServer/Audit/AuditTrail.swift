import CleanStationCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The audit trail for the command line and the API: verification of every
/// record (ADR 009) and checkpoints of the chain's head.
public enum AuditTrail {
    public struct Result: Sendable {
        public var intact: Bool
        /// Objects in the bucket's checkpoint prefix that the application did not write: said, not held against the chain.
        public var warnings: [String]
        public var checked: Int
        public var results: Int
        public var checkpoint: Int64?
        public var firstBroken: Int64?
        public var reason: String?
    }

    public static func verify(_ app: Application, checkpoints: Bool = true) async throws -> Result {
        let verification = try await verification(app, checkpoints: checkpoints)
        return Result(
            intact: verification.intact, warnings: verification.warnings, checked: verification.checked,
            results: verification.resultsChecked,
            checkpoint: verification.checkpointSeq, firstBroken: verification.firstBroken, reason: verification.reason)
    }

    static func verification(_ app: Application, checkpoints: Bool = true) async throws -> RecordVerification {
        let loaded = checkpoints ? try await app.auditCheckpoints.load(sealedBy: app.recordSeal) : nil
        return try await RecordVerification.run(on: app.db, seal: app.recordSeal, checkpoints: loaded)
    }

    /// Whether the chain still has the checkpoint's entry, with its hash.
    static func chainHolds(_ checkpoint: AuditCheckpoint, on database: any Database) async throws -> Bool {
        let sql = database as! any SQLDatabase
        let row = try await sql.select().column("hash").from("audit_log").where("seq", .equal, checkpoint.seq).first()
        return try row?.decode(column: "hash", as: String.self) == checkpoint.hash
    }

    public enum CheckpointError: Error, CustomStringConvertible {
        case chainBroken(String)
        case notHeld(seq: Int64, at: String)
        case nothingToAccept

        public var description: String {
            switch self {
            case .chainBroken(let reason): "the audit chain does not hold: \(reason)"
            case .notHeld(let seq, let at):
                "the chain no longer holds the checkpoint of \(at) (entry \(seq)): run `cleanstation audit verify`; "
                    + "after a point-in-time restore, accept it with `cleanstation audit checkpoint --accept-restore`"
            case .nothingToAccept: "the chain holds every checkpoint: there is no restore to accept"
            }
        }
    }

    /// Writes a checkpoint of the chain's head now, once the head's seal
    /// holds and the chain still holds the newest checkpoint; nil when
    /// there is nowhere to keep it or nothing to checkpoint.
    ///
    /// With `acceptingRestore`, after a point-in-time restore: the chain
    /// must hold on its own, the newest checkpoint must be ahead of it, and
    /// the acceptance is recorded in the chain (`AUDIT_RESTORE_ACCEPTED`,
    /// with the entries lost) and in the checkpoint, which names the one it
    /// supersedes.
    @discardableResult
    public static func checkpoint(_ app: Application, acceptingRestore: Bool = false) async throws -> Int64? {
        guard app.auditCheckpoints.isConfigured else { return nil }
        let seal = app.recordSeal
        let loaded = try await app.auditCheckpoints.load(sealedBy: seal)
        let latest = loaded.latest
        var accepts: AuditCheckpoint.Link?
        if acceptingRestore {
            let alone = try await verification(app, checkpoints: false)
            guard alone.intact else { throw CheckpointError.chainBroken(alone.reason ?? "") }
            guard let latest, try await !chainHolds(latest, on: app.db) else { throw CheckpointError.nothingToAccept }
            accepts = .init(seq: latest.seq, hash: latest.hash)
            try await app.db.transaction { transaction in
                let head = try await AuditLog.lockHead(on: transaction as! any SQLDatabase)
                try await AuditLog.append(
                    AuditEvent(
                        action: "AUDIT_RESTORE_ACCEPTED", resourceType: "audit_log", resourceID: nil,
                        newValue: .object([
                            JSONMember("checkpointSeq", .number(Double(latest.seq))), JSONMember("checkpointAt", .string(latest.at)),
                            JSONMember("chainEndedAt", .number(Double(head.seq))),
                            JSONMember("entriesLost", .number(Double(max(0, latest.seq - head.seq)))),
                        ])),
                    actor: AuditActor(), on: transaction)
            }
        } else if let latest, try await !chainHolds(latest, on: app.db) {
            throw CheckpointError.notHeld(seq: latest.seq, at: latest.at)
        }
        let sql = app.db as! any SQLDatabase
        guard
            let row = try await sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log").orderBy(
                "seq", .descending
            )
            .limit(1).first()
        else { return nil }
        let head = try AuditRecord(row: row)
        guard head.sealHolds(seal) else {
            throw CheckpointError.chainBroken("the last entry's seal does not hold")
        }
        try await app.auditCheckpoints.write(
            AuditCheckpoint(
                seq: head.seq, hash: head.hash, at: AuditLog.timestamp(Date()), accepts: accepts,
                since: accepts == nil ? loaded.acceptedAt : nil, seal: seal))
        return head.seq
    }
}

struct AuditCheckpointsKey: StorageKey {
    typealias Value = AuditCheckpoints
}

extension Application {
    var auditCheckpoints: AuditCheckpoints { storage[AuditCheckpointsKey.self]! }
}
