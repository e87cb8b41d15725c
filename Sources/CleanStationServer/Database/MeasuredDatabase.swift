import Fluent
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import Prometheus
import SQLKit
import Vapor

/// What every query of one database reports: its duration to the
/// `postgresql_query_duration_seconds` histogram, the connections in use to
/// `postgresql_connections_active`, and a warning with the SQL text (no
/// parameters) when it takes longer than the threshold (ops.md).
final class QueryProbe: Sendable {
    let name: String
    let slowThreshold: Duration
    /// Where slow queries are reported; the database's own logger when nil.
    let logger: Logger?
    private let active = NIOLockedValueBox(0)
    // Made once: a registry look-up per query would sit on the hot path.
    private let durations: DurationHistogram
    private let connections: Gauge

    init(name: String, metrics: AppMetrics, slowThreshold: Duration, logger: Logger? = nil) {
        self.name = name
        self.logger = logger
        self.durations = metrics.queryDuration(database: name)
        self.connections = metrics.connectionsActive(database: name)
        self.slowThreshold = slowThreshold
    }

    /// Holds a connection-in-use mark for the life of `work`'s future.
    func holding<T>(_ work: () -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        adjustActive(by: 1)
        return work().always { _ in self.adjustActive(by: -1) }
    }

    func measure<T>(
        _ statement: @escaping @Sendable () -> String, logger: Logger, holdsConnection: Bool, _ work: () -> EventLoopFuture<T>
    ) -> EventLoopFuture<T> {
        let start = ContinuousClock.now
        let future = holdsConnection ? holding(work) : work()
        return future.always { _ in self.record(ContinuousClock.now - start, statement, logger: logger) }
    }

    func measure<T>(
        _ statement: @escaping @Sendable () -> String, logger: Logger, holdsConnection: Bool, _ work: () async throws -> T
    ) async throws -> T {
        let start = ContinuousClock.now
        if holdsConnection { adjustActive(by: 1) }
        defer {
            if holdsConnection { adjustActive(by: -1) }
            record(ContinuousClock.now - start, statement, logger: logger)
        }
        return try await work()
    }

    private func record(_ duration: Duration, _ statement: () -> String, logger databaseLogger: Logger) {
        let logger = self.logger ?? databaseLogger
        durations.record(duration)
        if duration >= slowThreshold {
            logger.warning(
                "slow query",
                metadata: [
                    "database": .string(name), "duration_ms": .stringConvertible(duration.milliseconds), "sql": .string(statement()),
                ])
        }
    }

    private func adjustActive(by delta: Int) {
        let value = active.withLockedValue { count in
            count += delta
            return count
        }
        connections.set(Int64(value))
    }
}

/// A database configuration whose databases report to a `QueryProbe`.
struct MeasuredConfiguration: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    let probe: QueryProbe
    /// The key that seals records written through these databases (`Database.recordSeal`).
    let seal: RecordSeal
    /// Whether reads run as named prepared statements on PostgreSQL (`DATABASE_PREPARED_STATEMENTS`, ADR 019).
    var prepares = false
    /// A group of one event loop that owns the driver's connections, whichever
    /// loop a request runs on: the embedded SQLite database has one writer, so
    /// it gets one connection, while HTTP is served on every core (issue 17).
    var connectionLoop: (any EventLoopGroup)? = nil

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        guard let connectionLoop else {
            return MeasuredDriver(base: base.makeDriver(for: databases), probe: probe, seal: seal, prepares: prepares)
        }
        let own = Databases(threadPool: databases.threadPool, on: connectionLoop)
        return MeasuredDriver(
            base: base.makeDriver(for: own), probe: probe, seal: seal, prepares: prepares, connectionLoop: connectionLoop.next())
    }
}

struct MeasuredDriver: DatabaseDriver {
    let base: any DatabaseDriver
    let probe: QueryProbe
    let seal: RecordSeal
    let prepares: Bool
    var connectionLoop: (any EventLoop)? = nil

    func makeDatabase(with context: DatabaseContext) -> any Database {
        var context = context
        if let connectionLoop {
            context = DatabaseContext(
                configuration: context.configuration, logger: context.logger, eventLoop: connectionLoop, history: context.history,
                pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace)
        }
        return MeasuredDatabase(base: base.makeDatabase(with: context), probe: probe, seal: seal, prepares: prepares, pinned: false)
    }

    func shutdown() { base.shutdown() }
    func shutdownAsync() async { await base.shutdownAsync() }
}

/// Forwards everything to the driver's database, measuring each query.
/// Inside a transaction or a held connection (`pinned`) the connection is
/// already counted as active; outside, each query holds one while it runs.
struct MeasuredDatabase: Database, SQLDatabase {
    let base: any Database
    let probe: QueryProbe
    let seal: RecordSeal
    let prepares: Bool
    let pinned: Bool
    /// `base` as SQLKit's database, cast once: a query used it several times.
    private let sql: any SQLDatabase

    init(base: any Database, probe: QueryProbe, seal: RecordSeal, prepares: Bool, pinned: Bool) {
        (self.base, self.probe, self.seal, self.prepares, self.pinned) = (base, probe, seal, prepares, pinned)
        sql = base as! any SQLDatabase
    }

    var context: DatabaseContext { base.context }
    var inTransaction: Bool { base.inTransaction }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        let action = "\(query.action)"
        let schema = query.schema
        return probe.measure({ "\(action) \(schema) (fluent)" }, logger: base.logger, holdsConnection: !pinned) {
            base.execute(query: query, onOutput: onOutput)
        }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { base.execute(schema: schema) }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { base.execute(enum: `enum`) }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let probe = probe
        let seal = seal
        let prepares = prepares
        let work = { base.transaction { closure(MeasuredDatabase(base: $0, probe: probe, seal: seal, prepares: prepares, pinned: true)) } }
        return pinned ? work() : probe.holding(work)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let probe = probe
        let seal = seal
        let prepares = prepares
        let work = {
            base.withConnection { closure(MeasuredDatabase(base: $0, probe: probe, seal: seal, prepares: prepares, pinned: true)) }
        }
        return pinned ? work() : probe.holding(work)
    }

    var logger: Logger { sql.logger }
    var eventLoop: any EventLoop { sql.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }
    var dialect: any SQLDialect { sql.dialect }
    var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let sql = sql
        if let read = preparedRead(query) {
            let database = self
            return eventLoop.makeFutureWithTask { try await database.run(read, onRow) }
        }
        return probe.measure({ sql.serialize(query).sql }, logger: sql.logger, holdsConnection: !pinned) {
            sql.execute(sql: query, onRow)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let sql = sql
        if let read = preparedRead(query) { return try await run(read, onRow) }
        try await probe.measure({ sql.serialize(query).sql }, logger: sql.logger, holdsConnection: !pinned) {
            try await sql.execute(sql: query, onRow)
        }
    }

    /// `query` as a prepared statement (ADR 019): a `SELECT` outside a transaction, on PostgreSQL, when the
    /// configuration prepares. A transaction's statements run unprepared: a preparation that fails in one (any
    /// statement after an error does) would stay failed on its connection. (Fluent counts a held connection,
    /// `withConnection`, as a transaction too.)
    private func preparedRead(_ query: any SQLExpression) -> PreparedRead? {
        guard prepares, !base.inTransaction, let postgres = base as? any PostgresDatabase else { return nil }
        let (text, binds) = sql.serialize(query)
        guard StatementRegistry.isPreparable(text), let (bindings, types) = PreparedStatements.bindings(binds),
            let number = PreparedStatements.number(for: text, types: types, logger: sql.logger)
        else { return nil }
        return PreparedRead(
            database: postgres, number: number, bindings: bindings, text: text, logger: sql.logger, logLevel: sql.queryLogLevel)
    }

    private func run(_ read: PreparedRead, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await probe.measure({ read.text }, logger: read.logger, holdsConnection: !pinned) { try await read.run(onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await sql.withSession(closure)
    }
}

/// One read, ready to run as prepared statement `number`.
private struct PreparedRead: Sendable {
    let database: any PostgresDatabase
    let number: Int
    let bindings: PostgresBindings
    let text: String
    let logger: Logger
    let logLevel: Logger.Level?

    func run(_ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        if let logLevel {
            logger.log(level: logLevel, "Executing query", metadata: ["sql": .string(text), "binds": .string("\(bindings)")])
        }
        let (number, bindings, logger) = (number, bindings, logger)
        try await database.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await PreparedStatements.run(number, bindings, on: connection, logger: logger) { onRow(PreparedRow($0)) }
            }
        }.get()
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}

extension Database {
    /// The key that seals the records written through this database; every
    /// database of the app (and each transaction of one) carries it.
    var recordSeal: RecordSeal {
        get throws {
            guard let measured = self as? MeasuredDatabase else {
                throw Abort(.internalServerError, reason: "records are written only through the application's databases")
            }
            return measured.seal
        }
    }
}
