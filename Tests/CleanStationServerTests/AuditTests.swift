import CleanStationCore
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct AuditTests {
    @Test(arguments: TestDatabase.all)
    func everyWriteIsChainedAndTheChainVerifies(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await app.signIn(.admin)
            let coordinator = try await app.signIn(.productionCoordinator)
            let created = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            let id = try #require(try created.json["id"]?.string)

            let entries = try await app.testing().sendRequest(.GET, "api/v1/audit?resourceType=order&resourceId=\(id)", headers: admin)
            #expect(try entries.json["total"] == 1)
            #expect(try entries.json["items"]?.array.first?["action"] == "CREATE")
            #expect(try entries.json["items"]?.array.first?["newValue"]?["poNumber"] == "PO-2026-0042")
            let logins = try await app.testing().sendRequest(.GET, "api/v1/audit?action=LOGIN", headers: admin)
            #expect(try logins.json["total"] == 2)

            let verify = try await app.testing().sendRequest(.GET, "api/v1/audit/verify", headers: admin)
            #expect(try verify.json["intact"] == true)
            #expect(try verify.json["checked"]?.number ?? 0 >= 5)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theDatabaseRefusesToRewriteTheLog(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signIn(.admin)
            let sql = app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_log SET outcome = 'X' WHERE seq = 1").run() }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_log WHERE seq = 1").run() }
            #expect(try await AuditTrail.verify(app).intact)
        }
    }

    @Test func verificationNamesTheFirstTamperedEntry() async throws {
        try await withTestApp(.sqlite) { app in
            let admin = try await app.signIn(.admin)
            for _ in 0..<2 { _ = try await app.login(email: try await sessionEmail(app, admin)) }
            let sql = app.db as! any SQLDatabase
            try await sql.raw("DROP TRIGGER audit_log_no_update").run()
            try await sql.raw("UPDATE audit_log SET client_address = '10.0.0.9' WHERE seq = 3").run()
            let result = try await AuditTrail.verify(app)
            #expect(!result.intact)
            #expect(result.firstBroken == 3)
            #expect(result.reason == "entry 3: its content does not match its hash")
            let api = try await app.testing().sendRequest(.GET, "api/v1/audit/verify", headers: admin)
            #expect(try api.json["firstBroken"] == 3, "\(api.body.string)")
        }
    }

    private func sessionEmail(_ app: Application, _ headers: HTTPHeaders) async throws -> String {
        try #require(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: headers).json["user"]?["email"]?.string)
    }
}
