import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

extension DatabaseID {
    /// The read replica (`DATABASE_READONLY_URL`).
    static let replica = DatabaseID(string: "replica")
}

/// Whether the replica is worth asking. After a failure it is skipped for
/// `pause`; the next read after that tries it again.
final class ReplicaState: Sendable {
    let pause: Duration
    private let downUntil = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    init(pause: Duration = .seconds(10)) {
        self.pause = pause
    }

    var isUsable: Bool {
        downUntil.withLockedValue { until in until.map { ContinuousClock.now >= $0 } ?? true }
    }

    func markDown() {
        downUntil.withLockedValue { $0 = ContinuousClock.now + pause }
    }

    func markUp() {
        downUntil.withLockedValue { $0 = nil }
    }
}

/// Read-only work on the replica, falling back to the primary when the
/// replica fails: a read never fails because the replica went away.
/// Rows are delivered only once the replica's answer is complete, so a
/// read retried on the primary never delivers a row twice.
struct ReplicaDatabase: Database, SQLDatabase {
    let replica: any Database
    let primary: any Database
    let state: ReplicaState

    var context: DatabaseContext { primary.context }
    var inTransaction: Bool { false }

    private func reading<Row: Sendable>(
        onReplica: @escaping @Sendable (@escaping @Sendable (Row) -> Void) -> EventLoopFuture<Void>,
        onPrimary: @escaping @Sendable () -> EventLoopFuture<Void>, deliver: @escaping @Sendable (Row) -> Void
    ) -> EventLoopFuture<Void> {
        guard state.isUsable else { return onPrimary() }
        let rows = NIOLockedValueBox<[Row]>([])
        let state = state
        let logger = primary.logger
        return onReplica { row in rows.withLockedValue { $0.append(row) } }
            .map { rows.withLockedValue { $0 }.forEach(deliver) }
            .flatMapError { error in
                logger.warning("the read replica failed; reading from the primary", metadata: ["error": "\(String(reflecting: error))"])
                state.markDown()
                return onPrimary()
            }
    }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        reading(
            onReplica: { replica.execute(query: query, onOutput: $0) }, onPrimary: { primary.execute(query: query, onOutput: onOutput) },
            deliver: onOutput)
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { primary.execute(schema: schema) }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { primary.execute(enum: `enum`) }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        primary.transaction(closure)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        primary.withConnection(closure)
    }

    private var primarySQL: any SQLDatabase { primary as! any SQLDatabase }
    private var replicaSQL: any SQLDatabase { replica as! any SQLDatabase }

    var logger: Logger { primarySQL.logger }
    var eventLoop: any EventLoop { primarySQL.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { primarySQL.version }
    var dialect: any SQLDialect { primarySQL.dialect }
    var queryLogLevel: Logger.Level? { primarySQL.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let replicaSQL = replicaSQL
        let primarySQL = primarySQL
        return reading(
            onReplica: { replicaSQL.execute(sql: query, $0) }, onPrimary: { primarySQL.execute(sql: query, onRow) }, deliver: onRow)
    }
}

extension Request {
    /// Where read-only work that may lag the primary by a moment goes
    /// (lists, dashboards, exports): the replica when one is configured,
    /// the primary otherwise or when the replica fails.
    var readDB: any Database {
        guard let state = application.storage[ReplicaStateKey.self] else { return db }
        return ReplicaDatabase(replica: db(.replica), primary: db, state: state)
    }
}

struct ReplicaStateKey: StorageKey {
    typealias Value = ReplicaState
}
