import CleanStationCore
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct HealthAndErrorsTests {
    @Test(arguments: TestDatabase.all)
    func healthAndReadiness(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let health = try await app.testing().sendRequest(.GET, "api/health")
            #expect(health.status == .ok)
            #expect(try health.json["status"] == "ok")
            #expect(try health.json["version"] == "test")
            let ready = try await app.testing().sendRequest(.GET, "api/ready")
            #expect(ready.status == .ok)
            #expect(try ready.json == .object([JSONMember("status", "ready")]))
        }
    }

    @Test func errorsUseTheEnvelopeWithTheRequestID() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.testing().sendRequest(.GET, "api/v1/nothing-here", headers: ["X-Request-Id": "abc-123"])
            #expect(response.status == .notFound)
            #expect(response.headers.first(name: "X-Request-Id") == "abc-123")
            let json = try response.json
            #expect(json["error"]?["code"] == "RESOURCE_NOT_FOUND")
            #expect(json["requestId"] == "abc-123")
            let generated = try await app.testing().sendRequest(.GET, "api/health", headers: ["X-Request-Id": "bad id with spaces"])
            #expect(generated.headers.first(name: "X-Request-Id")?.count == 36)
        }
    }

    @Test func malformedJSONIsA422NamingThePosition() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.testing().sendRequest(
                .POST, "api/v1/auth/login", headers: jsonHeaders, body: .init(string: #"{"email": "x@y.z", "password": }"#))
            #expect(response.status == .unprocessableEntity)
            #expect(response.errorCode == "VALIDATION_ERROR")
            #expect(try response.json["error"]?["details"]?.array.first?["message"]?.string?.contains("line 1") == true)
        }
    }

    @Test func productionRefusesToStartWithoutItsSecretsAndNamesThem() {
        #expect {
            try Config.load(["ENVIRONMENT": "production"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("DATABASE_URL") && text.contains("JWT_PRIVATE_KEY") && text.contains("JWT_PUBLIC_KEY")
        }
        #expect(throws: (any Error).self) { try Config.load(["ENVIRONMENT": "staging", "PORT": "99999"]) }
        let development = try? Config.load([:])
        #expect(development?.database == .sqlite(path: "data/cleanstation.sqlite"))
        #expect(development?.notices.count == 2)
    }
}
