import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Keeps this instance's catalogue snapshot in step with the database when
/// several instances share it: an import commits with
/// `NOTIFY catalog_changed`, and every instance `LISTEN`s on a connection of
/// its own (straight to PostgreSQL: PgBouncer in transaction mode cannot
/// hold a LISTEN, hence `DATABASE_LISTEN_URL`) and reloads its snapshot.
/// Each time it starts listening (at boot, after a lost connection, with
/// growing delays) it reloads once, for what it may have missed.
final class CatalogChangeListener: Sendable {
    static let channel = "catalog_changed"

    private let configuration: PostgresConnection.Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let reload: @Sendable () async throws -> Void
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)
    /// One element per reload of the snapshot (for tests and logs).
    let reloadEvents: AsyncStream<Void>
    private let reloaded: AsyncStream<Void>.Continuation

    init(
        url: String, eventLoopGroup: any EventLoopGroup, logger: Logger, reload: @escaping @Sendable () async throws -> Void
    ) throws {
        var configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        configuration.options.connectTimeout = .seconds(10)
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.reload = reload
        (reloadEvents, reloaded) = AsyncStream.makeStream(of: Void.self)
    }

    func start() {
        task.withLockedValue { task in
            guard task == nil else { return }
            task = Task { await self.listen() }
        }
    }

    func stop() async {
        let running = task.withLockedValue { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
        try? await connection.withLockedValue { $0 }?.close()
        await running?.value
        reloaded.finish()
    }

    private func listen() async {
        var delay: Duration = .milliseconds(500)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    on: eventLoopGroup.next(), configuration: configuration, id: 1, logger: logger)
                self.connection.withLockedValue { $0 = connection }
                defer { Task { try? await connection.close() } }
                if Task.isCancelled { return }
                try await connection.listen(on: Self.channel) { notifications in
                    try await reloadSnapshot()
                    delay = .milliseconds(500)
                    for try await _ in notifications { try await reloadSnapshot() }
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "the catalogue listener lost its connection; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(30))
        }
    }

    private func reloadSnapshot() async throws {
        try await reload()
        reloaded.yield()
        logger.debug("catalogue snapshot reloaded")
    }
}

/// Starts the listener with the server and stops it with the server.
struct CatalogChangeLifecycle: LifecycleHandler {
    let listener: CatalogChangeListener

    func didBootAsync(_ application: Application) async throws {
        listener.start()
    }

    func shutdownAsync(_ application: Application) async {
        await listener.stop()
    }
}

struct CatalogChangeListenerKey: StorageKey {
    typealias Value = CatalogChangeListener
}

extension Application {
    var catalogChangeListener: CatalogChangeListener? { storage[CatalogChangeListenerKey.self] }
}
