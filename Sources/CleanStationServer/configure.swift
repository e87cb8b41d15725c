import CleanStationCore
import CleanStationMail
import CleanStationS3
import Crypto
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import JWT
import Leaf
import Vapor

/// The one app factory, used by `cleanstation serve`, the other commands
/// and the tests.
public func configure(_ app: Application, config: Config) async throws {
    PlantTime.zone = config.plantTimeZone
    app.storage[ConfigKey.self] = config
    app.storage[CatalogStoreKey.self] = CatalogStore(.builtIn)
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.routes.defaultMaxBodySize = "1mb"
    for notice in config.notices { app.logger.notice("\(notice)") }

    let metrics = AppMetrics()
    app.storage[MetricsKey.self] = metrics
    let key = try encryptionKey(config)
    let seal = RecordSeal(
        keyID: config.auditSigningKeyID, key: try auditSigningKey(config, encryptionKey: key, logger: app.logger),
        olderKeys: config.auditVerifyKeys)
    app.storage[RecordSealKey.self] = seal
    useDatabases(app, config: config, metrics: metrics, seal: seal)
    app.migrations.add(Migrations.all)
    if case .postgres(let url) = config.database {
        let listener = try CatalogChangeListener(
            url: config.listenDatabaseURL ?? url, eventLoopGroup: app.eventLoopGroup, logger: app.logger
        ) {
            [unowned app] in
            if let stored = try await CatalogStore.read(on: app.db) { app.catalogStore.replace(with: stored) }
        }
        app.storage[CatalogChangeListenerKey.self] = listener
        app.lifecycle.use(CatalogChangeLifecycle(listener: listener))
    }

    try await SigningKeys.install(on: app, config: config)
    app.storage[FieldCipherKey.self] = FieldCipher(keyData: key)
    app.storage[WebSessionKey.self] = WebSession(
        encryptionKey: SymmetricKey(data: key), publicURL: config.publicURL, deployed: config.isStrict)
    app.storage[LoginRateLimiterKey.self] = LoginRateLimiter(limit: config.loginAttemptsPerMinute)
    app.storage[BackgroundWorkKey.self] = BackgroundWork(logger: app.logger)
    app.storage[ReportsCacheKey.self] = ReportsCache()
    app.lifecycle.use(BackgroundWorkLifecycle())
    await app.storage.setWithAsyncShutdown(PasswordHasherKey.self, to: PasswordHasher()) { try await $0.shutdown() }
    // One client per bucket: temporary credentials are fetched once for all its users.
    let s3 = config.objectStore.map { S3Client(settings: $0, http: app.http.client.shared) }
    if let s3 {
        app.storage[DocumentStorageKey.self] = S3Storage(client: s3)
    } else {
        app.storage[DocumentStorageKey.self] = LocalDiskStorage(root: URL(fileURLWithPath: config.documentsDirectory))
    }

    app.middleware = Middlewares()
    // A server span per request, continuing the caller's W3C trace context;
    // without an OTLP endpoint there is no tracer and no middleware.
    if config.tracingEndpoint != nil { app.middleware.use(TracingMiddleware()) }
    app.middleware.use(MetricsMiddleware(metrics: metrics))
    app.middleware.use(RequestIDMiddleware())
    let checkpoints = AuditCheckpoints(config: config, s3: s3)
    app.storage[AuditCheckpointsKey.self] = checkpoints
    var pokes: [@Sendable () -> Void] = []
    if let path = config.auditLogPath {
        let file: RotatingFile
        do {
            file = try RotatingFile(path: path, maxBytes: config.auditLogMaxBytes, filesKept: config.auditLogFilesKept)
        } catch {
            throw Config.Missing(names: [], problems: ["AUDIT_LOG_PATH \(path) cannot be opened: \(error.localizedDescription)"])
        }
        let exporter = AuditFileExporter(
            file: file, threadPool: app.threadPool, logger: app.logger, seal: seal,
            checkpoints: (checkpoints, every: Int64(config.auditCheckpointEvery))
        ) { [unowned app] in app.db }
        app.storage[AuditFileExporterKey.self] = exporter
        pokes.append { exporter.poke() }
        app.lifecycle.use(AuditFileFlush(exporter: exporter))
    }
    if let mail = config.mail {
        let outbox = MailOutbox(
            transport: try SMTPClient(settings: mail.smtp, group: app.eventLoopGroup), from: mail.from, retryBase: mail.retryBase,
            logger: app.logger, cipher: app.fieldCipher
        ) { [unowned app] in app.db }
        app.storage[MailOutboxKey.self] = outbox
        pokes.append { outbox.poke() }
        app.lifecycle.use(MailOutboxLifecycle(outbox: outbox))
    }
    if !pokes.isEmpty { app.middleware.use(AfterWriteMiddleware(pokes: pokes)) }
    if app.environment != .testing { app.lifecycle.use(DueDatesLifecycle()) }
    app.middleware.use(APIErrorMiddleware())
    // The pages' templates, styles and scripts are read from Resources/Views
    // and Public under the working directory (the image's /app).
    app.views.use(.leaf)
    app.leaf.cache = TemplateCache(enabled: app.environment.isRelease)
    app.middleware.use(PublicFilesMiddleware(publicDirectory: app.directory.publicDirectory))
    Routes.register(on: app)
    Pages.register(on: app)
}

/// The primary database and, when `DATABASE_READONLY_URL` is set, the
/// replica; both measured (`QueryProbe`). The pool of one instance holds at
/// most `DATABASE_POOL_SIZE` connections, pruned after 30 s idle.
private func useDatabases(_ app: Application, config: Config, metrics: AppMetrics, seal: RecordSeal) {
    func measured(
        _ factory: DatabaseConfigurationFactory, _ name: String, connectionLoop: (any EventLoopGroup)? = nil, prepares: Bool = false
    )
        -> MeasuredConfiguration
    {
        MeasuredConfiguration(
            base: factory.make(), probe: QueryProbe(name: name, metrics: metrics, slowThreshold: config.slowQueryThreshold), seal: seal,
            prepares: prepares, connectionLoop: connectionLoop)
    }
    switch config.database {
    case .postgres(let url):
        let loops = max(1, app.eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 })
        func postgres(_ url: String, poolSize: Int, waitSeconds: Int64) throws -> DatabaseConfigurationFactory {
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.searchPath = nil
            configuration.coreConfiguration.options.connectTimeout = .seconds(60)
            return .postgres(
                configuration: configuration, maxConnectionsPerEventLoop: max(1, poolSize / loops),
                connectionPoolTimeout: .seconds(waitSeconds), pruneInterval: .seconds(10), maxIdleTimeBeforePruning: .seconds(30),
                encodingContext: .default, decodingContext: .default, sqlLogLevel: .debug)
        }
        // `Config.load` has checked both URLs.
        app.databases.use(
            measured(
                try! postgres(url, poolSize: config.databasePoolSize, waitSeconds: config.databasePoolWait), "primary",
                prepares: config.databasePreparedStatements), as: .psql)
        if let replicaURL = config.readOnlyDatabaseURL {
            app.databases.use(
                measured(
                    try! postgres(replicaURL, poolSize: config.databasePoolSize, waitSeconds: 2), "replica",
                    prepares: config.databasePreparedStatements), as: .replica,
                isDefault: false)
            app.storage[ReplicaStateKey.self] = ReplicaState()
        }
    case .sqlite(let path):
        try? FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        app.databases.use(
            measured(
                .sqlite(.file(path), connectionPoolTimeout: .seconds(config.databasePoolWait), sqlLogLevel: .debug), "primary",
                connectionLoop: sqliteConnectionLoop), as: .sqlite)
    case .sqliteInMemory:
        app.databases.use(
            measured(
                .sqlite(.memory, connectionPoolTimeout: .seconds(config.databasePoolWait), sqlLogLevel: .debug), "primary",
                connectionLoop: sqliteConnectionLoop), as: .sqlite)
    }
}

/// The embedded SQLite database has one writer, and a second connection
/// would meet `SQLITE_BUSY` instead of waiting (and an in-memory database
/// would be another database): its one connection lives on this loop, and
/// every request's queries queue there, in order, from whichever core.
private let sqliteConnectionLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)

/// Brings the schema up to date where the deployment allows it (development
/// migrates on start; elsewhere pending migrations stop the start), then
/// loads the stored catalogue, storing the built-in one on a first start.
public func prepareDatabase(_ app: Application) async throws {
    // Only read first: the application's role may not create the migrations' table (ADR 009).
    let pending: Result<[(any Migration, DatabaseID?)], any Error>
    do { pending = .success(try await app.migrator.previewPrepareBatch().get()) } catch { pending = .failure(error) }
    // Development migrates what is pending, unless it has a migration role of its own: then, as in
    // production, `cleanstation migrate` does (docker-compose.yml).
    if app.config.deployment == .development, app.config.migrationDatabaseURL == nil, (try? pending.get())?.isEmpty != true {
        try await app.autoMigrate()
    } else {
        switch pending {
        case .failure(let error):
            throw Abort(.internalServerError, reason: "the database has no migrations applied: run `cleanstation migrate` first (\(error))")
        case .success(let list) where !list.isEmpty:
            throw Abort(.internalServerError, reason: "\(list.count) migration(s) are pending: run `cleanstation migrate` first")
        case .success: break
        }
    }
    // ADR 009: staging and production never run as a role that could rewrite the records.
    if app.config.isStrict, let problem = try await DatabaseRoles.rewriteProblem(on: app.db) {
        throw Abort(
            .internalServerError,
            reason: "\(problem): connect (DATABASE_URL) as the application's own role, granted by `cleanstation migrate` "
                + "run as the schema's owner (DATABASE_MIGRATION_URL)")
    }
    app.catalogStore.replace(with: try await CatalogStore.load(on: app.db))
}

public enum Migrations {
    public static let all: [any Migration] = [
        CreateUsers(), CreateSessions(), CreateOrders(), CreateAuditLog(), CreateCatalog(), AddMFA(), CreateDocuments(), CreateChecklists(),
        AddBuildClaims(), CreateServiceOrders(), CreateNotifications(), CreateOutsourcing(), CreateAssembly(), CreateMailOutbox(),
        AddOrderSearchIndex(), CreateOrderComments(), AddOrderBuildNumbers(), ChecklistsFollowTheBuild(), SealRecords(),
        AccountRecovery(), SaltBackupCodes(), CreatePasswordResetTokens(), BuildsOnTheirOwnPath(), QueueIndex(), CreateServiceCarts(),
        CreateBuildParts(), CreateDeviceHistoryRecords(), CreateSerialNumbers(), AddReportIndexes(), CreateLots(), StoreStays(),
        CoverTheResultsReports(),
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

/// `AUDIT_SIGNING_KEY`; in development a key kept beside the SQLite file,
/// or one derived from the encryption key (said in the log). Production and
/// staging refuse to start without it (`Config.load`).
private func auditSigningKey(_ config: Config, encryptionKey: Data, logger: Logger) throws -> Data {
    if let key = config.auditSigningKey { return key }
    guard case .sqlite(let path) = config.database else {
        logger.notice("AUDIT_SIGNING_KEY is not set: sealing records with a key derived from the encryption key")
        return HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: encryptionKey), info: Data("cleanstation audit seal".utf8), outputByteCount: 32
        ).withUnsafeBytes { Data($0) }
    }
    let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("audit-signing.key")
    if let stored = try? Data(contentsOf: file), stored.count >= 32 { return stored }
    let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: file.path, contents: key, attributes: [.posixPermissions: 0o600]) else {
        throw Config.Missing(names: [], problems: ["cannot write the development audit signing key to \(file.path)"])
    }
    return key
}

struct RecordSealKey: StorageKey {
    typealias Value = RecordSeal
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
    var recordSeal: RecordSeal { storage[RecordSealKey.self]! }
    var loginRateLimiter: LoginRateLimiter { storage[LoginRateLimiterKey.self]! }
    var documentStorage: any DocumentStorage { storage[DocumentStorageKey.self]! }
}
