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
    private var lastSeq: Int64
    /// The catch-up running or queued last; each waits for the one before.
    private var latest: Task<Void, any Error>?
    private nonisolated let pending = NIOLockedValueBox(false)

    /// `threadPool` runs the file writes: they may block (a disk busy
    /// writing back), and tasks run on the event loops (ADR 007).
    init(file: RotatingFile, threadPool: NIOThreadPool, logger: Logger, database: @escaping @Sendable () -> any Database) {
        self.file = file
        self.threadPool = threadPool
        self.database = database
        self.logger = logger
        self.lastSeq =
            file.lastLine().flatMap { try? JSONParser.parse(Data($0.utf8)) }.flatMap { $0["seq"]?.number }.map { Int64($0) } ?? 0
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
        let sql = database() as! any SQLDatabase
        while true {
            let rows = try await sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log")
                .where("seq", .greaterThan, lastSeq).orderBy("seq").limit(500).all()
            let records = try rows.map(AuditRecord.init(row:))
            guard let last = records.last else { return }
            let lines = records.map { JSONSerializer.string($0.jsonValue, style: .compact) }
            try await threadPool.runIfActive { [file] in try file.append(lines) }
            lastSeq = last.seq
        }
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
