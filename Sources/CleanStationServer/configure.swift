import CleanStationCore
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import JWT
import Vapor

/// The one app factory, used by `cleanstation serve`, the other commands
/// and the tests.
public func configure(_ app: Application, config: Config) async throws {
    app.storage[ConfigKey.self] = config
    app.storage[CatalogStoreKey.self] = CatalogStore(.builtIn)
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.routes.defaultMaxBodySize = "1mb"
    for notice in config.notices { app.logger.notice("\(notice)") }

    switch config.database {
    case .postgres(let url):
        var configuration = try SQLPostgresConfiguration(url: url)
        configuration.searchPath = nil
        app.databases.use(
            .postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(10)), as: .psql)
    case .sqlite(let path):
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .debug), as: .sqlite)
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory, maxConnectionsPerEventLoop: 1, sqlLogLevel: .debug), as: .sqlite)
    }
    app.migrations.add(Migrations.all)

    try await SigningKeys.install(on: app, config: config)
    app.storage[FieldCipherKey.self] = FieldCipher(keyData: try encryptionKey(config))
    app.storage[LoginRateLimiterKey.self] = LoginRateLimiter(limit: config.loginAttemptsPerMinute)
    app.storage[DocumentStorageKey.self] = LocalDiskStorage(root: URL(fileURLWithPath: config.documentsDirectory))

    let metrics = AppMetrics()
    app.storage[MetricsKey.self] = metrics
    app.middleware = Middlewares()
    app.middleware.use(MetricsMiddleware(metrics: metrics))
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(APIErrorMiddleware())
    Routes.register(on: app)
}

/// The event loops an app should run on. The embedded SQLite database has
/// one writer, and a second connection would meet `SQLITE_BUSY` instead of
/// waiting: with SQLite the app runs on one event loop, hence one
/// connection, and writes queue in order.
public func eventLoopGroupProvider(for config: Config) -> Application.EventLoopGroupProvider {
    switch config.database {
    case .postgres: .singleton
    case .sqlite, .sqliteInMemory: .shared(sqliteEventLoopGroup)
    }
}

private let sqliteEventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

/// Brings the schema up to date where the deployment allows it (development
/// migrates on start; elsewhere pending migrations stop the start), then
/// loads the stored catalogue, storing the built-in one on a first start.
public func prepareDatabase(_ app: Application) async throws {
    if app.config.deployment == .development {
        try await app.autoMigrate()
    } else {
        try await app.migrator.setupIfNeeded().get()
        let pending = try await app.migrator.previewPrepareBatch().get()
        guard pending.isEmpty else {
            throw Abort(.internalServerError, reason: "\(pending.count) migration(s) are pending: run `cleanstation migrate` first")
        }
    }
    app.catalogStore.replace(with: try await CatalogStore.load(on: app.db))
}

public enum Migrations {
    public static let all: [any Migration] = [
        CreateUsers(), CreateSessions(), CreateOrders(), CreateAuditLog(), CreateCatalog(), AddMFA(), CreateDocuments(), CreateChecklists(),
        AddBuildClaims(), CreateServiceOrders(), CreateNotifications(), CreateOutsourcing(), CreateAssembly(),
    ]
}

/// `ENCRYPTION_KEY`; in development a key kept beside the SQLite file (so
/// that secrets survive a restart), or a throw-away one.
private func encryptionKey(_ config: Config) throws -> Data {
    if let key = config.encryptionKey { return key }
    guard case .sqlite(let path) = config.database else { return Data((0..<32).map { _ in UInt8.random(in: 0...255) }) }
    let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("encryption.key")
    if let stored = try? Data(contentsOf: file), stored.count == 32 { return stored }
    let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: file.path, contents: key, attributes: [.posixPermissions: 0o600]) else {
        throw Config.Missing(names: [], problems: ["cannot write the development encryption key to \(file.path)"])
    }
    return key
}

struct FieldCipherKey: StorageKey {
    typealias Value = FieldCipher
}

struct DocumentStorageKey: StorageKey {
    typealias Value = any DocumentStorage
}

struct LoginRateLimiterKey: StorageKey {
    typealias Value = LoginRateLimiter
}

struct ConfigKey: StorageKey {
    typealias Value = Config
}

extension Application {
    public var config: Config { storage[ConfigKey.self]! }
    var fieldCipher: FieldCipher { storage[FieldCipherKey.self]! }
    var loginRateLimiter: LoginRateLimiter { storage[LoginRateLimiterKey.self]! }
    var documentStorage: any DocumentStorage { storage[DocumentStorageKey.self]! }
}
