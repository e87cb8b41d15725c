import CleanStationCore
import CleanStationMail
import CleanStationS3
import Foundation

/// Every setting of ops.md, read once from the environment. In production
/// a missing secret stops the start with a message naming it; development
/// fills in throw-away values and says so.
public struct Config: Sendable {
    public enum Deployment: String, Sendable, CaseIterable {
        case development, staging, production
    }

    public enum Database: Sendable, Equatable {
        case postgres(url: String)
        case sqlite(path: String)
        /// For tests: an in-memory SQLite database.
        case sqliteInMemory
    }

    public var deployment: Deployment
    public var host: String
    public var port: Int
    public var database: Database
    public var readOnlyDatabaseURL: String?
    /// `DATABASE_LISTEN_URL`: a direct connection for LISTEN (PgBouncer in transaction mode cannot hold one); `DATABASE_URL` by default.
    public var listenDatabaseURL: String?
    public var jwtPrivateKeyPEM: String?
    public var jwtPublicKeyPEM: String?
    /// bcrypt cost; at least 12 outside development and tests.
    public var passwordHashCost: Int
    public var appVersion: String
    public var logLevel: String
    /// AES-256 key for fields encrypted at rest (`ENCRYPTION_KEY`, base64 of 32 bytes).
    public var encryptionKey: Data?
    /// The HMAC key that seals audit entries, signed checklist records and the
    /// chain's checkpoints (`AUDIT_SIGNING_KEY`, base64 of at least 32 bytes).
    /// The database never holds it (ADR 009).
    public var auditSigningKey: Data?
    /// Its id, recorded with every MAC (`AUDIT_SIGNING_KEY_ID`, default `k1`).
    public var auditSigningKeyID = "k1"
    /// Keys retired by a rotation, kept to verify what they sealed (`AUDIT_VERIFY_KEYS`, `id:base64,…`).
    public var auditVerifyKeys: [String: Data] = [:]
    /// A checkpoint of the chain's head after this many entries (`AUDIT_CHECKPOINT_EVERY`, default 100).
    public var auditCheckpointEvery = 100
    /// Days a checkpoint put in S3 is locked against deletion (`AUDIT_CHECKPOINT_LOCK_DAYS`; 0: no Object Lock headers).
    public var auditCheckpointLockDays = 0
    /// `DATABASE_MIGRATION_URL`: the role that owns the schema; `cleanstation migrate`
    /// connects with it and grants the application's role (`DATABASE_URL`) what it may do.
    public var migrationDatabaseURL: String?
    /// Roles that must enrol in TOTP before using the API (`MFA_REQUIRED_ROLES`).
    public var mfaRequiredRoles: Set<Role> = []
    /// Where uploaded documents are kept on local disk (`DOCUMENTS_DIR`).
    public var documentsDirectory = "data/documents"
    /// The largest upload (`UPLOAD_LIMIT_MB`, default 25).
    public var uploadLimitBytes = 25 * 1_048_576
    /// Sign-in attempts one client address may make per minute.
    public var loginAttemptsPerMinute = 30
    /// Networks besides loopback that may read `/metrics` (`METRICS_ALLOW`, comma-separated `a.b.c.d/n`).
    public var metricsAllowList: [String] = []
    /// `TRUSTED_PROXIES`: peers whose `X-Forwarded-For` names the client (nginx, the load balancer's subnets).
    public var trustedProxies: [String] = []
    public enum LogFormat: String, Sendable {
        case json, text
    }

    /// `LOG_FORMAT`: JSON lines (the default), or text for a developer's terminal.
    public var logFormat: LogFormat = .json
    /// Queries slower than this are logged with their SQL (`SLOW_QUERY_MS`, default 1000).
    public var slowQueryThreshold: Duration = .seconds(1)
    /// The most database connections one instance holds (`DATABASE_POOL_SIZE`, default 8: three instances fit PgBouncer's pool of 25).
    public var databasePoolSize = 8
    /// Whether reads run as named prepared statements on PostgreSQL, planned once per connection
    /// (`DATABASE_PREPARED_STATEMENTS`, default on; off behind a PgBouncer older than 1.21 in transaction mode, ADR 019).
    public var databasePreparedStatements = true
    /// How long a query waits for a free connection of the primary before the request answers 503 (`DATABASE_POOL_WAIT_SECONDS`, default 10).
    public var databasePoolWait: Int64 = 10
    /// The audit JSON-lines file (`AUDIT_LOG_PATH`; `/var/log/cleanstation/audit.log` outside development, `data/audit.log` in it).
    public var auditLogPath: String? = nil
    /// Rotation of the audit file: size of one file (`AUDIT_LOG_MAX_MB`, default 100) and files kept (`AUDIT_LOG_FILES`, default 10).
    public var auditLogMaxBytes = 100 * 1_048_576
    public var auditLogFilesKept = 10
    /// What `Config.load` had to invent, for the start-up log.
    public var notices: [String] = []
    /// Where documents go: local disk (`documentsDirectory`) unless `S3_BUCKET` is set.
    public typealias ObjectStore = S3Settings
    public var objectStore: ObjectStore?
    /// E-mail notifications go out when `SMTP_URL` is set.
    public struct Mail: Sendable, Equatable {
        /// Where and how to submit: host, port, TLS, credentials, extra trust roots.
        public var smtp: SMTPSettings
        public var from: String
        /// The first retry's delay; each further retry doubles it.
        public var retryBase: Duration = .seconds(30)
    }
    public var mail: Mail?
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`: traces go there (OTLP/HTTP) when set; no tracing otherwise.
    public var tracingEndpoint: String?
    /// `PLANT_TIME_ZONE`: the plant's IANA time zone (default UTC), for "today" against want dates and the times pages show.
    public var plantTimeZone = TimeZone(identifier: "UTC")!
    /// The address users reach the application at, for links in e-mail and QR codes.
    public var publicURL = "http://127.0.0.1:3000"

    public var isStrict: Bool { deployment != .development }

    public struct Missing: Error, CustomStringConvertible {
        public var names: [String]
        public var problems: [String]

        public var description: String {
            (names.map { "\($0) is required in production" } + problems).joined(separator: "; ")
        }
    }

    public static func load(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Config {
        var missing: [String] = []
        var problems: [String] = []
        let deploymentName = environment["ENVIRONMENT"] ?? "development"
        guard let deployment = Deployment(rawValue: deploymentName) else {
            throw Missing(names: [], problems: ["ENVIRONMENT must be development, staging or production, not \(deploymentName)"])
        }
        let strict = deployment != .development
        func value(_ name: String) -> String? {
            if let direct = environment[name], !direct.isEmpty { return direct }
            guard let path = environment[name + "_FILE"], !path.isEmpty else { return nil }
            do {
                return try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                problems.append("\(name)_FILE cannot be read: \(error.systemReason)")
                return nil
            }
        }
        let port = environment["PORT"].map { Int($0) } ?? 3000
        if port == nil || !(1...65535).contains(port!) { problems.append("PORT must be a number from 1 to 65535") }
        var notices: [String] = []
        let database: Database
        let databaseURL = value("DATABASE_URL")
        let readOnlyURL = value("DATABASE_READONLY_URL")
        if let url = databaseURL {
            database = .postgres(url: url)
        } else {
            if strict { missing.append("DATABASE_URL") }
            let path = environment["SQLITE_PATH"] ?? "data/cleanstation.sqlite"
            database = .sqlite(path: path)
            notices.append("DATABASE_URL is not set: using the embedded SQLite database \(path)")
        }
        let privateKey = value("JWT_PRIVATE_KEY")
        let publicKey = value("JWT_PUBLIC_KEY")
        if privateKey == nil {
            if strict {
                missing.append("JWT_PRIVATE_KEY")
            } else {
                notices.append("JWT_PRIVATE_KEY is not set: signing with a throw-away RSA key")
            }
        }
        if strict, publicKey == nil { missing.append("JWT_PUBLIC_KEY") }
        var encryptionKey: Data?
        if let text = value("ENCRYPTION_KEY") {
            if let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32 {
                encryptionKey = key
            } else {
                problems.append("ENCRYPTION_KEY must be the base64 of 32 bytes")
            }
        } else if strict {
            missing.append("ENCRYPTION_KEY")
        }
        var auditKey: Data?
        if let text = value("AUDIT_SIGNING_KEY") {
            if let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32 {
                auditKey = key
            } else {
                problems.append("AUDIT_SIGNING_KEY must be the base64 of at least 32 bytes")
            }
        } else if strict {
            missing.append("AUDIT_SIGNING_KEY")
        }
        let auditKeyID = environment["AUDIT_SIGNING_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? "k1"
        func isKeyID(_ id: String) -> Bool {
            (1...32).contains(id.count) && id.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }
        }
        if !isKeyID(auditKeyID) { problems.append("AUDIT_SIGNING_KEY_ID must be 1 to 32 letters, digits, '.', '_' or '-'") }
        var verifyKeys: [String: Data] = [:]
        for entry in (value("AUDIT_VERIFY_KEYS") ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        where !entry.isEmpty {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, isKeyID(parts[0]), let key = Data(base64Encoded: parts[1]), key.count >= 32 else {
                problems.append("AUDIT_VERIFY_KEYS: each entry is id:base64 of at least 32 bytes")
                continue
            }
            guard parts[0] != auditKeyID, verifyKeys[parts[0]] == nil else {
                // Two keys under one id: every seal of one of them would read as edited.
                problems.append("AUDIT_VERIFY_KEYS: the id \(parts[0]) is used twice; give a new key a new AUDIT_SIGNING_KEY_ID")
                continue
            }
            verifyKeys[parts[0]] = key
        }
        let migrationURL = value("DATABASE_MIGRATION_URL")
        var mfaRoles: Set<Role> = strict ? [.admin, .qcPerson, .productionCoordinator] : []
        if let text = environment["MFA_REQUIRED_ROLES"] {
            mfaRoles = []
            for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                if let role = Role(rawValue: name) {
                    mfaRoles.insert(role)
                } else {
                    problems.append("MFA_REQUIRED_ROLES: \(name) is not a role")
                }
            }
        }
        let cost = environment["PASSWORD_HASH_COST"].flatMap(Int.init) ?? 12
        if strict, cost < 12 { problems.append("PASSWORD_HASH_COST must be at least 12 outside development") }
        let uploadLimit = environment["UPLOAD_LIMIT_MB"].map { Int($0) } ?? 25
        if uploadLimit == nil || !(1...1_024).contains(uploadLimit!) { problems.append("UPLOAD_LIMIT_MB must be a number from 1 to 1024") }
        func number(_ name: String, default fallback: Int, in range: ClosedRange<Int>) -> Int {
            guard let text = environment[name], !text.isEmpty else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                problems.append("\(name) must be a number from \(range.lowerBound) to \(range.upperBound)")
                return fallback
            }
            return value
        }
        let slowMilliseconds = number("SLOW_QUERY_MS", default: 1_000, in: 1...600_000)
        let poolSize = number("DATABASE_POOL_SIZE", default: 8, in: 1...500)
        let poolWait = number("DATABASE_POOL_WAIT_SECONDS", default: 10, in: 1...300)
        let prepared =
            environment["DATABASE_PREPARED_STATEMENTS"].map { text -> Bool? in
                switch text.lowercased() {
                case "", "on", "true", "1": true
                case "off", "false", "0": false
                default: nil
                }
            } ?? true
        if prepared == nil { problems.append("DATABASE_PREPARED_STATEMENTS must be on or off") }
        let auditMegabytes = number("AUDIT_LOG_MAX_MB", default: 100, in: 1...10_000)
        let auditFiles = number("AUDIT_LOG_FILES", default: 10, in: 1...1_000)
        let checkpointEvery = number("AUDIT_CHECKPOINT_EVERY", default: 100, in: 1...1_000_000)
        let checkpointLockDays = number("AUDIT_CHECKPOINT_LOCK_DAYS", default: 0, in: 0...36_500)
        let logFormat = LogFormat(rawValue: environment["LOG_FORMAT"] ?? "json")
        if logFormat == nil { problems.append("LOG_FORMAT must be json or text") }
        let logLevel = environment["LOG_LEVEL"] ?? "info"
        if !["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) {
            problems.append("LOG_LEVEL must be trace, debug, info, notice, warning, error or critical, not \(logLevel)")
        }
        let listenURL = value("DATABASE_LISTEN_URL")
        for (name, url) in [
            ("DATABASE_URL", databaseURL), ("DATABASE_READONLY_URL", readOnlyURL), ("DATABASE_LISTEN_URL", listenURL),
            ("DATABASE_MIGRATION_URL", migrationURL),
        ] {
            if let url, URLComponents(string: url)?.host == nil || !url.hasPrefix("postgres") {
                problems.append("\(name) must be a postgres:// URL with a host")
            }
        }
        let objectStore = loadObjectStore(value, environment: environment, missing: &missing, problems: &problems)
        let mail = loadMail(
            value("SMTP_URL"), from: environment["SMTP_FROM"], caFile: environment["SMTP_CA_FILE"],
            retryBase: .seconds(number("SMTP_RETRY_SECONDS", default: 30, in: 1...3_600)), problems: &problems)
        func addresses(_ name: String) -> [String] {
            let entries = (environment[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            for entry in entries where !AddressList.isValid(entry) {
                problems.append("\(name): \(entry) is not an address or an IPv4 network")
            }
            return entries
        }
        let trustedProxies = addresses("TRUSTED_PROXIES")
        let metricsAllowList = addresses("METRICS_ALLOW")
        let tracingEndpoint = environment["OTEL_EXPORTER_OTLP_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
        if let tracingEndpoint, !isHTTPURL(tracingEndpoint) {
            problems.append("OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL with a host")
        }
        let publicURL = environment["PUBLIC_URL"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        if let publicURL, !isHTTPURL(publicURL) {
            problems.append("PUBLIC_URL must be an http:// or https:// URL with a host")
        }
        let zoneName = environment["PLANT_TIME_ZONE"].flatMap { $0.isEmpty ? nil : $0 } ?? "UTC"
        let plantZone = TimeZone(identifier: zoneName)
        if plantZone == nil { problems.append("PLANT_TIME_ZONE must be an IANA time zone such as America/Toronto, not \(zoneName)") }
        guard missing.isEmpty, problems.isEmpty else { throw Missing(names: missing, problems: problems) }
        var config = Config(
            deployment: deployment, host: environment["HOST"] ?? "127.0.0.1", port: port ?? 3000, database: database,
            readOnlyDatabaseURL: readOnlyURL, jwtPrivateKeyPEM: privateKey, jwtPublicKeyPEM: publicKey,
            passwordHashCost: cost, appVersion: environment["APP_VERSION"] ?? "dev", logLevel: logLevel,
            encryptionKey: encryptionKey, mfaRequiredRoles: mfaRoles,
            metricsAllowList: metricsAllowList, notices: notices)
        config.documentsDirectory = environment["DOCUMENTS_DIR"] ?? "data/documents"
        config.uploadLimitBytes = (uploadLimit ?? 25) * 1_048_576
        config.logFormat = logFormat ?? .json
        config.slowQueryThreshold = .milliseconds(slowMilliseconds)
        config.databasePoolSize = poolSize
        config.databasePoolWait = Int64(poolWait)
        config.databasePreparedStatements = prepared ?? true
        config.auditLogPath = environment["AUDIT_LOG_PATH"] ?? (strict ? "/var/log/cleanstation/audit.log" : "data/audit.log")
        config.auditLogMaxBytes = auditMegabytes * 1_048_576
        config.auditLogFilesKept = auditFiles
        config.auditSigningKey = auditKey
        config.auditSigningKeyID = auditKeyID
        config.auditVerifyKeys = verifyKeys
        config.auditCheckpointEvery = checkpointEvery
        config.auditCheckpointLockDays = checkpointLockDays
        config.migrationDatabaseURL = migrationURL
        config.objectStore = objectStore
        config.mail = mail
        config.tracingEndpoint = tracingEndpoint
        config.listenDatabaseURL = listenURL
        config.trustedProxies = trustedProxies
        config.plantTimeZone = plantZone ?? config.plantTimeZone
        config.publicURL = publicURL ?? "http://\(config.host == "0.0.0.0" ? "127.0.0.1" : config.host):\(config.port)"
        return config
    }

    /// A configuration for tests: development rules, cheap password hashes.
    public static func testing(database: Database) -> Config {
        var config = Config(
            deployment: .development, host: "127.0.0.1", port: 0, database: database, readOnlyDatabaseURL: nil,
            jwtPrivateKeyPEM: nil, jwtPublicKeyPEM: nil, passwordHashCost: 4, appVersion: "test", logLevel: "warning")
        config.documentsDirectory =
            FileManager.default.temporaryDirectory.appendingPathComponent("cleanstation-documents-\(UUID().uuidString)").path
        config.auditSigningKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        // A test process runs many apps at once, and every SQLite query of all of them waits its turn on one
        // connection loop: under a loaded machine the wait may pass a deployment's 10 s without anything being wrong.
        config.databasePoolWait = 120
        return config
    }
}

extension Config {
    /// An `http://` or `https://` URL with a host.
    fileprivate static func isHTTPURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else { return false }
        return components.scheme == "http" || components.scheme == "https"
    }

    /// `S3_BUCKET` selects S3; then its region is required, and credentials:
    /// a key pair (`S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`, with
    /// `S3_SESSION_TOKEN` when it is temporary), or else the ECS task role's,
    /// from the container credentials endpoint the agent names.
    fileprivate static func loadObjectStore(
        _ value: (String) -> String?, environment: [String: String], missing: inout [String], problems: inout [String]
    ) -> ObjectStore? {
        let names = ["S3_REGION", "S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_SESSION_TOKEN"]
        guard let bucket = value("S3_BUCKET") else {
            let stray = names.filter { value($0) != nil }
            if !stray.isEmpty { problems.append("\(stray.joined(separator: ", ")) set without S3_BUCKET") }
            return nil
        }
        let region = value("S3_REGION")
        if region == nil { missing.append("S3_REGION") }
        let endpoint = value("S3_ENDPOINT")
        if let endpoint, !isHTTPURL(endpoint) {
            problems.append("S3_ENDPOINT must be an http:// or https:// URL with a host")
        }
        let accessKey = value("S3_ACCESS_KEY_ID")?.trimmingCharacters(in: .whitespacesAndNewlines)
        let secret = value("S3_SECRET_ACCESS_KEY")?.trimmingCharacters(in: .whitespacesAndNewlines)
        let token = value("S3_SESSION_TOKEN")?.trimmingCharacters(in: .whitespacesAndNewlines)
        let credentials: S3CredentialSource
        switch (accessKey, secret) {
        case (let accessKey?, let secret?):
            credentials = .keys(S3Credentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token))
        case (nil, nil) where token == nil:
            // The agent's own variables, as it sets them: not through `_FILE`, which the token file would match.
            switch S3CredentialSource.ContainerEndpoint.from({ environment[$0].flatMap { $0.isEmpty ? nil : $0 } }) {
            case .success(let endpoint)?: credentials = .container(endpoint)
            case .failure(let problem)?:
                problems.append(problem.text)
                return nil
            case nil:
                missing.append(
                    "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or the ECS task role's AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)")
                return nil
            }
        default:
            missing += [accessKey == nil ? "S3_ACCESS_KEY_ID" : nil, secret == nil ? "S3_SECRET_ACCESS_KEY" : nil].compactMap { $0 }
            return nil
        }
        guard let region else { return nil }
        return ObjectStore(bucket: bucket, region: region, endpoint: endpoint, credentials: credentials)
    }

    /// `smtp://user:pass@host:port` (STARTTLS when offered, port 587 by default) or `smtps://…` (TLS, port 465).
    fileprivate static func loadMail(_ url: String?, from: String?, caFile: String?, retryBase: Duration, problems: inout [String]) -> Mail?
    {
        guard let url else { return nil }
        guard let components = URLComponents(string: url), let scheme = components.scheme, ["smtp", "smtps"].contains(scheme),
            let host = components.host, !host.isEmpty
        else {
            problems.append("SMTP_URL must look like smtp://user:password@host:port")
            return nil
        }
        let implicitTLS = scheme == "smtps"
        return Mail(
            smtp: SMTPSettings(
                host: host, port: components.port ?? (implicitTLS ? 465 : 587), implicitTLS: implicitTLS,
                username: components.user?.removingPercentEncoding, password: components.password?.removingPercentEncoding, caFile: caFile),
            from: from ?? "cleanstation@\(host)", retryBase: retryBase)
    }
}
