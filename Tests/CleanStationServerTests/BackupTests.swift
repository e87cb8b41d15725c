import CleanStationCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// `cleanstation backup`/`restore` on both engines: a copy with its manifest,
/// restored into an empty database and proven complete.
@Suite struct BackupTests {
    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A configured app on `config`, migrated only when asked.
    static func withApp(_ config: Config, migrate: Bool, _ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(.testing, .singleton)
        do {
            try await configure(app, config: config)
            if migrate { try await prepareDatabase(app) }
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Two orders and their audit entries.
    static func seed(_ app: Application) async throws {
        let coordinator = try await app.signIn(.productionCoordinator)
        _ = try await app.createOrder(headers: coordinator)
        let second = try await app.testing().sendRequest(
            .POST, "api/v1/orders", headers: coordinator, body: body(orderBody(po: "PO-2026-0043", builds: ["B2001"])))
        #expect(second.status == .created)
    }

    @Test func sqliteRoundTrip() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backup = directory.appendingPathComponent("backup.sqlite").path
        var original = Config.testing(database: .sqlite(path: directory.appendingPathComponent("live.sqlite").path))
        original.auditLogPath = nil
        var manifest: Backup.Manifest?
        try await withTestApp(.sqlite, adjust: { $0 = original }) { app in
            try await Self.seed(app)
            manifest = try await Backup.write(app, to: backup)
        }
        let written = try #require(manifest)
        #expect(written.engine == "sqlite")
        #expect(written.rowCounts["orders"] == 2)
        #expect(written.auditHead.seq > 2)
        #expect(try Backup.digest(of: backup).0 == written.sha256)

        var restored = original
        restored.database = .sqlite(path: directory.appendingPathComponent("restored.sqlite").path)
        let read = try Backup.readManifest(of: backup, config: restored)
        #expect(read == written)
        try Backup.placeSQLite(backup, at: directory.appendingPathComponent("restored.sqlite").path)
        try await Self.withApp(restored, migrate: false) { app in
            let verification = try await Backup.verify(app, against: read)
            #expect(verification.problems.isEmpty, "\(verification.problems)")
            #expect(verification.auditEntries == Int(written.auditHead.seq))
        }
        // A second restore over the restored database is refused.
        #expect(throws: Backup.Problem.self) {
            try Backup.placeSQLite(backup, at: directory.appendingPathComponent("restored.sqlite").path)
        }
    }

    @Test func damagedOrMismatchedBackupsAreRefused() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backup = directory.appendingPathComponent("backup.sqlite").path
        var config = Config.testing(database: .sqlite(path: directory.appendingPathComponent("live.sqlite").path))
        config.auditLogPath = nil
        try await withTestApp(.sqlite, adjust: { $0 = config }) { app in
            _ = try await Backup.write(app, to: backup)
        }
        // The wrong engine.
        let postgres = Config.testing(database: .postgres(url: "postgres://x@127.0.0.1/x"))
        #expect { try Backup.readManifest(of: backup, config: postgres) } throws: { "\($0)".contains("sqlite backup") }
        // One byte changed.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: backup))
        #expect { try Backup.readManifest(of: backup, config: config) } throws: { "\($0)".contains("damaged") }
        // No manifest.
        try FileManager.default.removeItem(atPath: Backup.manifestPath(for: backup))
        #expect { try Backup.readManifest(of: backup, config: config) } throws: { "\($0)".contains("manifest") }
    }

    /// A restored copy whose rows differ from the manifest is reported, table by table.
    @Test func verificationNamesMissingRows() async throws {
        try await withTestApp(.sqlite) { app in
            try await Self.seed(app)
            let sql = app.db as! any SQLDatabase
            var manifest = Backup.Manifest(
                engine: "sqlite", createdAt: "", appVersion: "test", file: "x", bytes: 0, sha256: "",
                rowCounts: try await Backup.rowCounts(sql), auditHead: try await Backup.auditHead(sql))
            #expect(try await Backup.verify(app, against: manifest).problems.isEmpty)
            manifest.rowCounts["orders"] = 3
            let problems = try await Backup.verify(app, against: manifest).problems
            #expect(problems == ["orders: 2 rows, the manifest says 3"])
        }
    }

    @Test(.enabled(if: TestDatabase.postgresAdminURL != nil)) func postgresRoundTrip() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let backup = directory.appendingPathComponent("backup.dump").path
        var written: Backup.Manifest?
        // The same records' key on both sides, as a deployment restores with its own secrets.
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        try await withTestApp(.postgres, adjust: { $0.auditSigningKey = key }) { app in
            try await Self.seed(app)
            written = try await Backup.write(app, to: backup)
        }
        let manifest = try #require(written)
        #expect(manifest.engine == "postgresql")
        #expect(manifest.rowCounts["orders"] == 2)

        let adminURL = try #require(TestDatabase.postgresAdminURL)
        let name = "cs_restore_\(UUID().uuidString.prefix(8).lowercased())"
        try await adminQuery(adminURL, "CREATE DATABASE \(name)")
        defer { Task { try? await adminQuery(adminURL, "DROP DATABASE \(name) WITH (FORCE)") } }
        var components = try #require(URLComponents(string: adminURL))
        components.path = "/\(name)"
        var config = Config.testing(database: .postgres(url: components.string!))
        config.auditLogPath = nil
        config.auditSigningKey = key
        let read = try Backup.readManifest(of: backup, config: config)
        try await Self.withApp(config, migrate: false) { app in
            try await Backup.restorePostgres(app, from: backup)
            let verification = try await Backup.verify(app, against: read)
            #expect(verification.problems.isEmpty, "\(verification.problems)")
            // The database now holds tables: a second restore is refused before pg_restore runs.
            await #expect { try await Backup.restorePostgres(app, from: backup) } throws: {
                "\($0)".contains("restore into an empty database")
            }
        }
    }
}
