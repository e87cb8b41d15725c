import CleanStationCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// Logs, the audit file, query measurement and the read replica (ops.md).
@Suite struct OperationsTests {
    @Test func logLinesAreJSONWithTheServiceFieldsTheRequestIDAndTheCause() throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "test") { label in
            JSONLogHandler(label: label, level: .info, environment: "staging", version: "1.2.3") { line in
                lines.withLockedValue { $0.append(line) }
            }
        }
        logger[metadataKey: "request_id"] = "req-1"
        logger.debug("not at this level")
        logger.error("it \"broke\"\nbadly", metadata: ["order": "PO-1", "n": .stringConvertible(3)])
        let written = lines.withLockedValue { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(!line.contains("\n"), "one object per line")
        let json = try JSONParser.parse(Data(line.utf8))
        #expect(json["level"]?.string == "error")
        #expect(json["message"]?.string == "it \"broke\"\nbadly")
        #expect(json["service"]?.string == "cleanstation")
        #expect(json["environment"]?.string == "staging")
        #expect(json["version"]?.string == "1.2.3")
        #expect(json["request_id"]?.string == "req-1")
        #expect(json["order"]?.string == "PO-1")
        #expect(json["n"]?.string == "3")
        let timestamp = try #require(json["timestamp"]?.string)
        #expect((try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(timestamp)) != nil)
    }

    /// The last line is read from the file's end, across chunks, whatever the newlines after it.
    @Test func theLastLineIsReadFromTheEnd() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("last-line-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        func lastLine(of text: String, chunk: Int = 4) -> String? {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            return RotatingFile.lastLine(of: path, chunk: chunk)
        }
        #expect(lastLine(of: "") == nil && lastLine(of: "\n\n\n") == nil)
        #expect(lastLine(of: "only") == "only" && lastLine(of: "only\n") == "only")
        #expect(lastLine(of: "first\nsecond line, longer than a chunk\n\n") == "second line, longer than a chunk")
        #expect(lastLine(of: "first\nsecond\n", chunk: 1) == "second")
        #expect(lastLine(of: "a\nb") == "b" && lastLine(of: "\nb\n") == "b")
        #expect(lastLine(of: "é\n{\"seq\":1,\"é\":\"ü\"}\n") == #"{"seq":1,"é":"ü"}"#, "multi-byte characters split by a chunk")
        #expect(RotatingFile.lastLine(of: path + "-missing") == nil)
    }

    @Test func theAuditFileRotatesBySizeAndKeepsTheNewestFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rotation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("audit.log").path
        let lines = (1...40).map { String(format: "line %03d", $0) }  // 9 bytes each with the newline
        do {
            let file = try RotatingFile(path: path, maxBytes: 50, filesKept: 3)
            try file.append(Array(lines[0..<25]))
        }
        // A restart appends to the live file.
        let file = try RotatingFile(path: path, maxBytes: 50, filesKept: 3)
        try file.append(Array(lines[25...]))
        #expect(file.lastLine() == "line 040")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["audit.log", "audit.log.1", "audit.log.2"])
        var kept: [String] = []
        for name in names.reversed() {
            let text = try String(contentsOfFile: directory.appendingPathComponent(name).path, encoding: .utf8)
            #expect(text.utf8.count <= 50)
            kept += text.split(separator: "\n").map(String.init)
        }
        #expect(kept == Array(lines.suffix(kept.count)), "the newest lines, in order, none split")
        #expect(kept.count == 15)
    }

    @Test(arguments: TestDatabase.all)
    func everyCommittedAuditEntryReachesTheFileInChainOrder(database: TestDatabase) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("audit.log").path
        try await withTestApp(database, adjust: { $0.auditLogPath = path }) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let created = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            #expect(created.status == .created)
            let refused = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            #expect(refused.status == .conflict)
            // Entries written without a request (so nothing pokes the exporter),
            // then catch-ups asked for at once: they run one after the other,
            // and none writes an entry twice.
            for number in 1...3 {
                try await app.db.transaction { transaction in
                    try await AuditLog.append(
                        AuditEvent(action: "TEST", resourceType: "probe", resourceID: "\(number)"), actor: .system, on: transaction)
                }
            }
            let exporter = try #require(app.auditFileExporter)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { try await exporter.catchUp() } }
                try await group.waitForAll()
            }

            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            let entries = try lines.map { try JSONParser.parse(Data($0.utf8)) }
            let sql = app.db as! any SQLDatabase
            let head = try #require(try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first())
            #expect(entries.count == Int(try head.decode(column: "seq", as: Int64.self)))
            #expect(entries.last?["hash"]?.string == (try head.decode(column: "hash", as: String.self)))
            #expect(entries.map { Int($0["seq"]?.number ?? 0) } == Array(1...entries.count))
            #expect(entries.contains { $0["action"]?.string == "CREATE" && $0["resourceType"]?.string == "order" })
        }
    }

    @Test(arguments: TestDatabase.all)
    func queriesAreMeasuredAndSlowOnesLoggedWithTheirSQLButNoParameters(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let lines = NIOLockedValueBox<[String]>([])
            let logger = Logger(label: "probe") { label in
                JSONLogHandler(label: label, level: .info, environment: "test", version: "test") { line in
                    lines.withLockedValue { $0.append(line) }
                }
            }
            let probe = QueryProbe(name: "primary", metrics: app.metrics, slowThreshold: .zero, logger: logger)
            let measured = MeasuredDatabase(base: app.db, probe: probe, seal: app.recordSeal, prepares: false, pinned: false)
            _ = try await measured.raw("SELECT \(bind: "secret-value") AS x").all()
            _ = try await measured.withConnection { $0.eventLoop.makeSucceededFuture(()) }.get()
            let warning = try JSONParser.parse(Data(try #require(lines.withLockedValue { $0 }.first).utf8))
            #expect(warning["message"]?.string == "slow query")
            let sqlText = try #require(warning["sql"]?.string)
            #expect(sqlText.hasPrefix("SELECT"))
            #expect(!sqlText.contains("secret-value"))

            let port = try freePort()
            let metrics = try await app.testing(method: .running(hostname: "127.0.0.1", port: port)).sendRequest(.GET, "metrics")
            #expect(metrics.body.string.contains(#"postgresql_query_duration_seconds_count{database="primary"}"#))
            #expect(metrics.body.string.contains(#"postgresql_connections_active{database="primary"} 0"#))
        }
    }

    @Test(.enabled(if: TestDatabase.all.contains(.postgres), "needs PostgreSQL"))
    func aDeadReplicaMakesReadinessDegradedAndReadsFallBackToThePrimary() async throws {
        let deadPort = try freePort()
        try await withTestApp(
            .postgres,
            adjust: { $0.readOnlyDatabaseURL = "postgres://postgres@127.0.0.1:\(deadPort)/none?sslmode=disable" }
        ) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let created = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            #expect(created.status == .created)
            let list = try await app.testing().sendRequest(.GET, "api/v1/orders", headers: coordinator)
            #expect(list.status == .ok)
            #expect(try list.json["total"]?.number == 1)
            let ready = try await app.testing().sendRequest(.GET, "api/ready")
            #expect(ready.status == .ok)
            #expect(try ready.json["status"]?.string == "degraded")
        }
    }

    @Test(.enabled(if: TestDatabase.all.contains(.postgres), "needs PostgreSQL"))
    func aLiveReplicaServesTheLists() async throws {
        try await withTestApp(.postgres, adjust: { $0.readOnlyDatabaseURL = $0.primaryURL }) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            _ = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            let list = try await app.testing().sendRequest(.GET, "api/v1/orders", headers: coordinator)
            #expect(try list.json["total"]?.number == 1)
            let ready = try await app.testing().sendRequest(.GET, "api/ready")
            #expect(try ready.json["status"]?.string == "ready")
            let port = try freePort()
            let metrics = try await app.testing(method: .running(hostname: "127.0.0.1", port: port)).sendRequest(.GET, "metrics")
            #expect(metrics.body.string.contains(#"postgresql_query_duration_seconds_count{database="replica"}"#))
        }
    }

    @Test func operationsSettingsAreCheckedAndNamed() {
        #expect {
            try Config.load([
                "SLOW_QUERY_MS": "soon", "LOG_LEVEL": "loud", "DATABASE_READONLY_URL": "mysql://x", "LOG_FORMAT": "xml",
                "DATABASE_POOL_WAIT_SECONDS": "0", "DATABASE_PREPARED_STATEMENTS": "sometimes",
            ])
        } throws: { error in
            let text = "\(error)"
            return text.contains("SLOW_QUERY_MS") && text.contains("LOG_LEVEL") && text.contains("DATABASE_READONLY_URL")
                && text.contains("LOG_FORMAT") && text.contains("DATABASE_POOL_WAIT_SECONDS")
                && text.contains("DATABASE_PREPARED_STATEMENTS must be on or off")
        }
        #expect((try? Config.load(["DATABASE_POOL_WAIT_SECONDS": "30"]))?.databasePoolWait == 30)
        #expect((try? Config.load([:]))?.databasePoolWait == 10)
        #expect((try? Config.load([:]))?.databasePreparedStatements == true)
        #expect((try? Config.load(["DATABASE_PREPARED_STATEMENTS": "OFF"]))?.databasePreparedStatements == false)
        let production = try? Config.load([
            "ENVIRONMENT": "production", "DATABASE_URL": "postgres://app@db/cleanstation", "JWT_PRIVATE_KEY": "k", "JWT_PUBLIC_KEY": "k",
            "ENCRYPTION_KEY": Data(repeating: 1, count: 32).base64EncodedString(),
            "AUDIT_SIGNING_KEY": Data(repeating: 2, count: 32).base64EncodedString(),
            "AUDIT_VERIFY_KEYS": "k0:" + Data(repeating: 3, count: 32).base64EncodedString(),
            "DATABASE_MIGRATION_URL": "postgres://owner@db/cleanstation",
        ])
        #expect(production?.auditSigningKey == Data(repeating: 2, count: 32))
        #expect(production?.auditVerifyKeys == ["k0": Data(repeating: 3, count: 32)])
        #expect(production?.migrationDatabaseURL == "postgres://owner@db/cleanstation")
        #expect(production?.auditLogPath == "/var/log/cleanstation/audit.log")
        #expect(production?.slowQueryThreshold == .seconds(1))
        #expect(production?.auditLogMaxBytes == 100 * 1_048_576)
        #expect(production?.auditLogFilesKept == 10)
        // The records' key is a secret of its own: production names it when it is missing, or too short.
        #expect {
            try Config.load([
                "ENVIRONMENT": "production", "DATABASE_URL": "postgres://app@db/cleanstation", "JWT_PRIVATE_KEY": "k",
                "JWT_PUBLIC_KEY": "k",
                "ENCRYPTION_KEY": Data(repeating: 1, count: 32).base64EncodedString(),
            ])
        } throws: { "\($0)".contains("AUDIT_SIGNING_KEY is required in production") }
        #expect {
            try Config.load(["AUDIT_SIGNING_KEY": Data(repeating: 1, count: 16).base64EncodedString(), "AUDIT_VERIFY_KEYS": "old"])
        } throws: {
            "\($0)".contains("AUDIT_SIGNING_KEY must be the base64 of at least 32 bytes")
                && "\($0)".contains("AUDIT_VERIFY_KEYS: each entry")
        }
    }
}

extension Config {
    var primaryURL: String? {
        if case .postgres(let url) = database { return url }
        return nil
    }
}
