import CleanStationCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import SQLKit
import Vapor

/// Copies committed audit entries, in chain order, to the audit JSON-lines
/// file (ops.md). It reads from the database, which stays the record of
/// truth: an entry whose transaction rolled back never reaches the file,
/// and after a crash the copy resumes after the last line written.
actor AuditFileExporter {
    private let file: RotatingFile
    private let threadPool: NIOThreadPool
    private let database: @Sendable () -> any Database
    private let logger: Logger
    private let seal: RecordSeal
    /// Where checkpoints of the chain's head go, and after how many entries.
    private let checkpoints: (store: AuditCheckpoints, every: Int64)
    private var lastSeq: Int64
    /// The checkpoints; read on the first catch-up, and again when the chain no longer holds the newest.
    private var known: AuditCheckpoints.Loaded?
    /// The hash of the last entry written to the file, which the next must link to.
    private var lastHash: String?
    /// Set when the chain no longer continues the file: nothing more is written.
    private var diverged = false
    /// The checkpoint the chain was last found not to hold (said once in the log).
    private var refusedAt: Int64?
    /// The catch-up running or queued last; each waits for the one before.
    private var latest: Task<Void, any Error>?
    private nonisolated let pending = NIOLockedValueBox(false)

    /// `threadPool` runs the file writes: they may block (a disk busy
    /// writing back), and tasks run on the event loops (ADR 007).
    init(
        file: RotatingFile, threadPool: NIOThreadPool, logger: Logger, seal: RecordSeal,
        checkpoints: (store: AuditCheckpoints, every: Int64),
        database: @escaping @Sendable () -> any Database
    ) {
        self.file = file
        self.threadPool = threadPool
        self.database = database
        self.logger = logger
        self.seal = seal
        self.checkpoints = checkpoints
        let lastLine = file.lastLine().flatMap { try? JSONParser.parse(Data($0.utf8)) }
        self.lastSeq = lastLine?["seq"]?.number.map { Int64($0) } ?? 0
        self.lastHash = lastLine?["hash"]?.string
    }

    /// Asks for a catch-up soon; pokes that arrive while one is queued
    /// are folded into it.
    nonisolated func poke() {
        let queued = pending.withLockedValue { pending in
            defer { pending = true }
            return pending
        }
        guard !queued else { return }
        Task { await self.catchUpLogging() }
    }

    /// Writes every entry after the last one written. Catch-ups run one
    /// after the other: the actor is re-entered at each `await`, and two
    /// running at once would read the same entries and write them twice.
    func catchUp() async throws {
        let previous = latest
        let next = Task {
            _ = await previous?.result
            try await self.drain()
        }
        latest = next
        try await next.value
    }

    private func drain() async throws {
        pending.withLockedValue { $0 = false }
        guard !diverged else { return }
        let sql = database() as! any SQLDatabase
        while true {
            let rows = try await sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log")
                .where("seq", .greaterThan, lastSeq).orderBy("seq").limit(500).all()
            let records = try rows.map(AuditRecord.init(row:))
            guard let first = records.first, let last = records.last else { break }
            // The file is a copy of the chain: what comes next must link to the last line written. If it does not,
            // entries were removed or rewritten behind the application; the file is left as it stands, as evidence.
            if let lastHash, first.seq != lastSeq + 1 || first.prevHash != lastHash {
                diverged = true
                logger.critical(
                    "the audit chain no longer continues the audit file: entries were removed or rewritten; the file is no longer written. Run `cleanstation audit verify`; after an accepted restore, start with a new audit file",
                    metadata: ["entry": "\(first.seq)", "path": .string(file.path)])
                return
            }
            let lines = records.map { JSONSerializer.string($0.jsonValue, style: .compact) }
            try await threadPool.runIfActive { [file] in try file.append(lines) }
            lastSeq = last.seq
            lastHash = last.hash
            if let head = records.last(where: { $0.sealHolds(seal) }) {
                try await checkpointIfDue(head)
            }
        }
    }

    /// Every `every` entries, a sealed checkpoint of an entry whose own seal
    /// holds, if the chain still holds the checkpoint before it: after
    /// entries were cut off the end, a new checkpoint would vouch for the
    /// shortened chain, so none is written until a restore is accepted
    /// (the checkpoints are read again then: it may have been accepted elsewhere).
    private func checkpointIfDue(_ head: AuditRecord) async throws {
        if known == nil { known = try await checkpoints.store.load(sealedBy: seal) }
        guard var loaded = known else { return }
        guard head.seq - (loaded.latest?.seq ?? 0) >= checkpoints.every else { return }
        if let previous = loaded.latest, try await !AuditTrail.chainHolds(previous, on: database()) {
            loaded = try await checkpoints.store.load(sealedBy: seal)
            known = loaded
            if let previous = loaded.latest, try await !AuditTrail.chainHolds(previous, on: database()) {
                guard refusedAt != previous.seq else { return }
                refusedAt = previous.seq
                logger.critical(
                    "the audit chain no longer holds its checkpoint: no new checkpoint is written; run `cleanstation audit verify`",
                    metadata: ["checkpoint_seq": "\(previous.seq)", "checkpoint_at": .string(previous.at)])
                return
            }
        }
        let checkpoint = AuditCheckpoint(
            seq: head.seq, hash: head.hash, at: AuditLog.timestamp(Date()), since: loaded.acceptedAt, seal: seal)
        try await checkpoints.store.write(checkpoint)
        loaded.all.append(checkpoint)
        known = loaded
    }

    private func catchUpLogging() async {
        do {
            try await catchUp()
        } catch {
            logger.error("cannot write the audit file", metadata: ["path": .string(file.path), "error": "\(String(reflecting: error))"])
        }
    }
}

/// Writes what is left when the application stops.
struct AuditFileFlush: LifecycleHandler {
    let exporter: AuditFileExporter

    func shutdownAsync(_ application: Application) async {
        try? await exporter.catchUp()
    }
}

struct AuditFileExporterKey: StorageKey {
    typealias Value = AuditFileExporter
}

extension Application {
    var auditFileExporter: AuditFileExporter? { storage[AuditFileExporterKey.self] }
}
