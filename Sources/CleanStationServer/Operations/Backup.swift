import Crypto
import Fluent
import Foundation
import SQLKit
import SQLiteKit
import Vapor

/// `cleanstation backup FILE` and `cleanstation restore FILE`: a consistent
/// copy of the whole database (pg_dump's custom format, or SQLite's
/// `VACUUM INTO`), with a manifest beside it at `FILE.manifest.json` that
/// says what the copy holds, so that a restore can prove it got all of it.
public enum Backup {
    /// What a backup holds: read back and checked by `restore`.
    public struct Manifest: Codable, Sendable, Equatable {
        public var format = 1
        /// `postgresql` or `sqlite`: a backup restores into its own engine only.
        public var engine: String
        public var createdAt: String
        public var appVersion: String
        public var file: String
        public var bytes: Int
        public var sha256: String
        /// Rows per table, counted in the same snapshot as the copy.
        public var rowCounts: [String: Int]
        public var auditHead: AuditHead
    }

    public struct AuditHead: Codable, Sendable, Equatable {
        public var seq: Int64
        public var hash: String
    }

    public enum Problem: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self {
            case .invalid(let text): text
            }
        }
    }

    public static func manifestPath(for file: String) -> String { file + ".manifest.json" }

    // MARK: Backup

    /// Writes the copy to `file` and its manifest beside it.
    public static func write(_ app: Application, to file: String) async throws -> Manifest {
        let config = app.config
        let temporary = file + ".partial"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        try? FileManager.default.removeItem(atPath: temporary)
        let engine: String
        let counts: [String: Int]
        let head: AuditHead
        switch config.database {
        case .postgres(let url):
            engine = "postgresql"
            // One repeatable-read snapshot, exported to pg_dump, so that the
            // counts and the audit head describe exactly what the dump holds.
            (counts, head) = try await app.db.transaction { database in
                let sql = database as! any SQLDatabase
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
                let snapshot = try await sql.raw("SELECT pg_export_snapshot() AS id").first()!.decode(column: "id", as: String.self)
                let described = (try await rowCounts(sql), try await auditHead(sql))
                try PostgresTool.run(
                    "pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--snapshot=\(snapshot)", "--file=\(temporary)"],
                    url: url)
                return described
            }
        case .sqlite:
            engine = "sqlite"
            let sql = app.db as! any SQLDatabase
            try await sql.raw("VACUUM INTO \(unsafeRaw: sqliteLiteral(temporary))").run()
            (counts, head) = try await describeSQLiteFile(app, at: temporary)
        case .sqliteInMemory:
            throw Problem.invalid("the in-memory database cannot be backed up")
        }
        let (sha256, bytes) = try digest(of: temporary)
        guard rename(temporary, file) == 0 else { throw Problem.invalid("cannot write \(file): \(String(cString: strerror(errno)))") }
        let manifest = Manifest(
            engine: engine, createdAt: AuditLog.timestamp(Date()), appVersion: config.appVersion,
            file: URL(fileURLWithPath: file).lastPathComponent, bytes: bytes, sha256: sha256, rowCounts: counts, auditHead: head)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: manifestPath(for: file)), options: .atomic)
        return manifest
    }

    // MARK: Restore

    /// Reads the manifest beside `file` and checks that the file is the one
    /// it describes and that it fits the configured database.
    public static func readManifest(of file: String, config: Config) throws -> Manifest {
        let path = manifestPath(for: file)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem.invalid("\(path) is missing: a backup is restored with its manifest")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw Problem.invalid("\(path) is not a backup manifest: \(error)")
        }
        guard FileManager.default.fileExists(atPath: file) else { throw Problem.invalid("\(file) does not exist") }
        let (sha256, _) = try digest(of: file)
        guard sha256 == manifest.sha256 else {
            throw Problem.invalid("\(file) is damaged: its SHA-256 is \(sha256), the manifest says \(manifest.sha256)")
        }
        let configured =
            switch config.database {
            case .postgres: "postgresql"
            case .sqlite: "sqlite"
            case .sqliteInMemory: "memory"
            }
        guard configured == manifest.engine else {
            throw Problem.invalid("this is a \(manifest.engine) backup and the configured database is \(configured)")
        }
        return manifest
    }

    /// SQLite: the copy becomes the database file. Runs before the app opens
    /// the database, and only where there is no database yet.
    public static func placeSQLite(_ file: String, at path: String) throws {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 {
            throw Problem.invalid("\(path) already holds a database: restore into an empty one (move it away first)")
        }
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = path + ".restoring"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.copyItem(atPath: file, toPath: temporary)
        guard rename(temporary, path) == 0 else { throw Problem.invalid("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// PostgreSQL: pg_restore into the configured database, which must be empty,
    /// in one transaction (a failed restore leaves it empty).
    public static func restorePostgres(_ app: Application, from file: String) async throws {
        guard case .postgres(let url) = app.config.database else { return }
        let tables = try await tableNames(app.db as! any SQLDatabase)
        guard tables.isEmpty else {
            throw Problem.invalid(
                "the database already holds \(tables.count) table(s) (\(tables.prefix(3).joined(separator: ", "))…): restore into an empty database"
            )
        }
        try PostgresTool.run("pg_restore", ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", file], url: url)
    }

    /// What a restore proves: the counts and the audit head of the manifest,
    /// and an intact audit chain.
    public struct Verification: Sendable {
        public var problems: [String]
        public var auditEntries: Int
        public var rows: Int
    }

    public static func verify(_ app: Application, against manifest: Manifest) async throws -> Verification {
        let sql = app.db as! any SQLDatabase
        var problems: [String] = []
        let counts = try await rowCounts(sql)
        for table in Set(counts.keys).union(manifest.rowCounts.keys).sorted() where counts[table] != manifest.rowCounts[table] {
            problems.append(
                "\(table): \(counts[table].map(String.init) ?? "missing") rows, the manifest says \(manifest.rowCounts[table].map(String.init) ?? "none")"
            )
        }
        let head = try await auditHead(sql)
        if head != manifest.auditHead {
            problems.append(
                "the audit head is \(head.seq)/\(head.hash), the manifest says \(manifest.auditHead.seq)/\(manifest.auditHead.hash)")
        }
        // A restore may stop before the latest checkpoint (point-in-time recovery): the chain and the seals are checked, not the checkpoint.
        let chain = try await RecordVerification.run(on: app.db, seal: app.recordSeal, checkpoints: nil)
        if !chain.intact { problems.append("audit entry \(chain.firstBroken ?? 0) is broken: \(chain.reason ?? "")") }
        return Verification(problems: problems, auditEntries: chain.checked, rows: counts.values.reduce(0, +))
    }

    // MARK: Helpers

    static func tableNames(_ sql: any SQLDatabase) async throws -> [String] {
        let query: SQLQueryString =
            sql.dialect.name == "postgresql"
            ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) }.sorted()
    }

    static func rowCounts(_ sql: any SQLDatabase) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in try await tableNames(sql) {
            let row = try await sql.raw("SELECT count(*) AS n FROM \(ident: table)").first()
            counts[table] = try row?.decode(column: "n", as: Int.self) ?? 0
        }
        return counts
    }

    static func auditHead(_ sql: any SQLDatabase) async throws -> AuditHead {
        guard let row = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first() else {
            throw Problem.invalid("audit_head is missing: is the database migrated?")
        }
        return AuditHead(seq: try row.decode(column: "seq", as: Int64.self), hash: try row.decode(column: "hash", as: String.self))
    }

    /// Counts the rows of a SQLite copy through a second, temporary database entry.
    private static func describeSQLiteFile(_ app: Application, at path: String) async throws -> ([String: Int], AuditHead) {
        // A connection of its own, opened and closed without blocking an event loop.
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: app.threadPool, logger: app.logger, on: app.eventLoopGroup.any())
        do {
            let described = (try await rowCounts(connection.sql()), try await auditHead(connection.sql()))
            try await connection.close()
            return described
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func sqliteLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// SHA-256 and size of a file, read in 1 MiB chunks.
    static func digest(of path: String) throws -> (String, Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Problem.invalid("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += chunk.count
        }
        return (hasher.finalize().hex, bytes)
    }
}

/// Runs PostgreSQL's client tools with the connection taken from a
/// `postgres://` URL through libpq's environment, so that the password
/// never appears on a command line.
enum PostgresTool {
    static func run(_ tool: String, _ arguments: [String], url: String) throws {
        guard let components = URLComponents(string: url) else { throw Backup.Problem.invalid("DATABASE_URL cannot be read") }
        var environment = ProcessInfo.processInfo.environment
        environment["PGHOST"] = components.host
        environment["PGPORT"] = components.port.map(String.init) ?? "5432"
        environment["PGUSER"] = components.user
        environment["PGPASSWORD"] = components.password?.removingPercentEncoding
        let database = String(components.path.dropFirst())
        for item in components.queryItems ?? [] where item.name == "sslmode" { environment["PGSSLMODE"] = item.value }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "--dbname=\(database)"] + arguments
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Backup.Problem.invalid("\(tool) cannot be started (install postgresql-client-15): \(error)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Backup.Problem.invalid(
                process.terminationStatus == 127
                    ? "\(tool) is not installed (install postgresql-client-15)" : "\(tool) failed: \(text)")
        }
    }
}
