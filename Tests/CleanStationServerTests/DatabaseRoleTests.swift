import CleanStationCore
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// The two roles of a PostgreSQL deployment (issue 17, ADR 009): migrations
/// as the schema's owner, the application as a role that may read and
/// append the records but not rewrite, remove or unprotect them.
@Suite(.enabled(if: TestDatabase.postgresAdminURL != nil, "needs the PostgreSQL cluster that make test provisions"))
struct DatabaseRoleTests {
    static func url(_ adminURL: String, user: String?, database: String) throws -> String {
        var components = try #require(URLComponents(string: adminURL))
        if let user {
            components.user = user
            components.password = nil
        }
        components.path = "/\(database)"
        return try #require(components.string)
    }

    /// Whether PostgreSQL refused the statement for want of a privilege (SQLSTATE 42501) or of ownership,
    /// not for a trigger or a missing object: the role itself may not do it.
    static func refusedForPrivilege(_ sql: any SQLDatabase, _ statement: String) async -> Bool {
        do {
            try await sql.raw("\(unsafeRaw: statement)").run()
            return false
        } catch {
            let text = String(reflecting: error)
            return text.contains("42501") || text.contains("permission denied") || text.contains("must be owner")
        }
    }

    static func withApp(_ config: Config, _ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(.testing, .singleton)
        do {
            try await configure(app, config: config)
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test func theApplicationsRoleMayAppendButNotRewriteTheRecords() async throws {
        let adminURL = try #require(TestDatabase.postgresAdminURL)
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let (owner, role, name) = ("cs_owner_\(suffix)", "cs_app_\(suffix)", "cs_roles_\(suffix)")
        try await adminQuery(adminURL, "CREATE ROLE \(owner) LOGIN")
        try await adminQuery(adminURL, "CREATE ROLE \(role) LOGIN")
        try await adminQuery(adminURL, "CREATE DATABASE \(name) OWNER \(owner)")
        defer {
            Task {
                try? await adminQuery(adminURL, "DROP DATABASE \(name) WITH (FORCE)")
                try? await adminQuery(adminURL, "DROP ROLE \(role)")
                try? await adminQuery(adminURL, "DROP ROLE \(owner)")
            }
        }
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        var ownerConfig = Config.testing(database: .postgres(url: try Self.url(adminURL, user: owner, database: name)))
        ownerConfig.auditSigningKey = key
        var appConfig = Config.testing(database: .postgres(url: try Self.url(adminURL, user: role, database: name)))
        appConfig.deployment = .production
        appConfig.auditSigningKey = key

        // A deployment from before ADR 009, where the application's role owns a table: `migrate` refuses to grant.
        let asAdmin = try Self.url(adminURL, user: nil, database: name)
        try await adminQuery(asAdmin, "CREATE TABLE legacy (id int)")
        try await adminQuery(asAdmin, "ALTER TABLE legacy OWNER TO \(role)")
        try await Self.withApp(ownerConfig) { migrator in
            try await migrator.autoMigrate()
            await #expect(throws: DatabaseRoles.Refusal.self) { try await DatabaseRoles.grant(to: role, on: migrator.db) }
        }
        try await adminQuery(asAdmin, "DROP TABLE legacy")

        // `cleanstation migrate` with DATABASE_MIGRATION_URL: the owner migrates and grants.
        try await Self.withApp(ownerConfig) { migrator in
            try await DatabaseRoles.grant(to: role, on: migrator.db)
            #expect(try await DatabaseRoles.rewriteProblem(on: migrator.db)?.contains("owns the records' tables") == true)
        }
        // Production refuses to serve as the owner.
        var ownerInProduction = ownerConfig
        ownerInProduction.deployment = .production
        try await Self.withApp(ownerInProduction) { owner in
            do {
                try await prepareDatabase(owner)
                Issue.record("production started as the schema's owner")
            } catch {
                #expect(String(describing: error).contains("owns the records' tables"), "\(error)")
            }
        }

        try await Self.withApp(appConfig) { app in
            try await prepareDatabase(app)
            #expect(try await DatabaseRoles.rewriteProblem(on: app.db) == nil)
            // The application works: sign-ins and an order, each appended to the chain through the owner's objects.
            let coordinator = try await app.signIn(.productionCoordinator)
            _ = try await app.createOrder(headers: coordinator)
            #expect(try await AuditTrail.verify(app).intact)
            // Twenty writes at once, each appending through the owner's lock and trigger: every one lands, in one chain.
            let tester = try app.testing()
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await tester.sendRequest(
                            .POST, "api/v1/orders", headers: coordinator,
                            body: body(orderBody(po: "PO-RACE-\(index)", builds: ["B\(3000 + index)"]))
                        ).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 201, count: 20))
            let verified = try await AuditTrail.verify(app)
            #expect(verified.intact, "\(verified)")
            // A build's moves, inserted by the application's role, get their stays from the owner's trigger (ADR 017).
            let procurement = try await app.signIn(.procurementSpecialist)
            let moved = try await app.createOrder(headers: coordinator, po: "PO-STAYS", builds: ["B3100"])
            #expect(
                try await tester.sendRequest(.POST, "api/v1/orders/\(moved)/builds/B3100/bom/approve", headers: procurement).status == .ok)
            for status in ["PARTS_SENT", "READY_FOR_PRE_QC"] {
                let move = try await tester.sendRequest(
                    .POST, "api/v1/orders/\(moved)/status", headers: procurement, body: body(["status": .string(status)]))
                #expect(move.status == .ok, "\(status)")
            }
            let stays = try await OrderHistoryEntry.query(on: app.db).filter(\.$buildNumber == "B3100").sort(\.$at).all().map(\.staySeconds)
            #expect(stays.count == 2 && stays[0] == nil && (stays[1] ?? -1) > 0, "\(stays)")

            let sql = app.db as! any SQLDatabase
            for statement in [
                "TRUNCATE audit_log", "DELETE FROM audit_log", "UPDATE audit_log SET outcome = 'X'",
                "ALTER TABLE audit_log DISABLE TRIGGER ALL", "ALTER TABLE audit_log DROP CONSTRAINT audit_log_sealed",
                "DROP TRIGGER audit_log_append_only ON audit_log", "UPDATE audit_head SET seq = 0",
                "INSERT INTO audit_head VALUES (2, 0, 'x')",
                "DELETE FROM checklist_results", "UPDATE checklist_results SET outcome = 'PASS'", "TRUNCATE checklist_results",
                "ALTER TABLE checklist_results DISABLE TRIGGER ALL", "SELECT audit_log_next_link()", "DROP TABLE audit_log",
                "DELETE FROM _fluent_migrations", "CREATE TABLE shadow (id int)",
                // Issue 16's records: nonconformances, their dispositions and the shipments are appended, never rewritten.
                "DELETE FROM nonconformance_steps", "UPDATE nonconformances SET description = 'x'", "TRUNCATE nonconformances",
                "DELETE FROM shipment_builds", "UPDATE shipments SET carrier = 'x'",
                // Issue 18: a device history record is filed once.
                "UPDATE device_history_records SET pdf_sha256 = 'x'", "DELETE FROM device_history_records",
                "UPDATE serial_numbers SET value = 'x'", "DELETE FROM serial_numbers",
                "UPDATE build_lots SET lot = 'x'", "DELETE FROM build_lots", "TRUNCATE build_lots",
                "CREATE TEMPORARY TABLE audit_head (id int, seq bigint, hash text)",
                "CREATE TEMPORARY TABLE checklist_results (id uuid)",
            ] {
                #expect(await Self.refusedForPrivilege(sql, statement), "\(statement)")
            }
            #expect(try await AuditTrail.verify(app).intact, "nothing was changed")
        }

        // docker-compose's app: development, as the application's role, after its `migrate` service: it starts
        // without trying to create what it may not (development migrates only what is pending).
        appConfig.deployment = .development
        try await Self.withApp(appConfig) { developer in try await prepareDatabase(developer) }
    }
}
