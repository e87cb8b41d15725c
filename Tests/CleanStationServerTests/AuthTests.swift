import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct AuthTests {
    @Test(arguments: TestDatabase.all)
    func loginGivesTokensAndTheSession(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let headers = try await app.signIn(.qcPerson, email: "quinn@test.torvan.test")
            let session = try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: headers)
            #expect(session.status == .ok)
            #expect(try session.json["user"]?["email"] == "quinn@test.torvan.test")
            #expect(try session.json["user"]?["role"] == "QC_PERSON")
            let legacy = try await app.testing().sendRequest(
                .POST, "api/auth/login", headers: jsonHeaders,
                body: body(["email": "quinn@test.torvan.test", "password": .string(testPassword)]))
            #expect(legacy.status == .ok)
            #expect(try legacy.json["expiresIn"] == 3600)
        }
    }

    @Test(arguments: TestDatabase.all)
    func fiveFailuresLockTheAccount(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signIn(.assembler, email: "ari@test.torvan.test")
            let wrong = body(["email": "ari@test.torvan.test", "password": "Wrong-Password-1"])
            for _ in 0..<5 {
                let response = try await app.testing().sendRequest(.POST, "api/v1/auth/login", headers: jsonHeaders, body: wrong)
                #expect(response.status == .unauthorized)
                #expect(response.errorCode == "INVALID_CREDENTIALS")
            }
            let right = body(["email": "ari@test.torvan.test", "password": .string(testPassword)])
            let locked = try await app.testing().sendRequest(.POST, "api/v1/auth/login", headers: jsonHeaders, body: right)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.errorCode == "ACCOUNT_LOCKED")
            #expect(locked.headers.first(name: "Retry-After") == "900")
        }
    }

    @Test func unknownFieldsAndUnknownUsersAreRefused() async throws {
        try await withTestApp(.sqlite) { app in
            let extra = try await app.testing().sendRequest(
                .POST, "api/v1/auth/login", headers: jsonHeaders, body: body(["email": "a@b.c", "password": "x", "remember": true]))
            #expect(extra.status == .unprocessableEntity)
            #expect(try extra.json["error"]?["details"]?.array.first?["field"] == "remember")
            let unknown = try await app.testing().sendRequest(
                .POST, "api/v1/auth/login", headers: jsonHeaders, body: body(["email": "nobody@b.c", "password": "x"]))
            #expect(unknown.errorCode == "INVALID_CREDENTIALS")
        }
    }

    @Test(arguments: TestDatabase.all)
    func refreshRotatesAndReuseEndsTheSession(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signIn(.admin, email: "alex@test.torvan.test")
            let login = try await app.testing().sendRequest(
                .POST, "api/v1/auth/login", headers: jsonHeaders,
                body: body(["email": "alex@test.torvan.test", "password": .string(testPassword)]))
            let first = try #require(try login.json["refreshToken"]?.string)
            let rotated = try await app.testing().sendRequest(
                .POST, "api/v1/auth/refresh", headers: jsonHeaders, body: body(["refreshToken": .string(first)]))
            #expect(rotated.status == .ok)
            let second = try #require(try rotated.json["refreshToken"]?.string)
            #expect(second != first)
            let reused = try await app.testing().sendRequest(
                .POST, "api/v1/auth/refresh", headers: jsonHeaders, body: body(["refreshToken": .string(first)]))
            #expect(reused.status == .unauthorized)
            let afterReuse = try await app.testing().sendRequest(
                .POST, "api/v1/auth/refresh", headers: jsonHeaders, body: body(["refreshToken": .string(second)]))
            #expect(afterReuse.status == .unauthorized, "the whole family is revoked")
            var bearer = jsonHeaders
            bearer.bearerAuthorization = .init(token: try #require(try rotated.json["accessToken"]?.string))
            let session = try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: bearer)
            #expect(session.status == .unauthorized)
        }
    }

    @Test func logoutEndsTheSessionAndAFourthSessionEndsTheOldest() async throws {
        try await withTestApp(.sqlite) { app in
            let first = try await app.signIn(.assembler, email: "ari@test.torvan.test")
            let logout = try await app.testing().sendRequest(.POST, "api/v1/auth/logout", headers: first)
            #expect(logout.status == .noContent)
            let afterLogout = try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: first)
            #expect(afterLogout.status == .unauthorized)

            var sessions: [HTTPHeaders] = []
            for _ in 0..<4 { sessions.append(try await app.login(email: "ari@test.torvan.test")) }
            let oldest = try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: sessions[0])
            #expect(oldest.status == .unauthorized)
            for headers in sessions.dropFirst() {
                #expect(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: headers).status == .ok)
            }
        }
    }

    @Test func tokensMustBeOursAndCurrent() async throws {
        try await withTestApp(.sqlite) { app in
            var headers = jsonHeaders
            headers.bearerAuthorization = .init(token: "not.a.token")
            let response = try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == "INVALID_TOKEN")
            let none = try await app.testing().sendRequest(.GET, "api/v1/orders")
            #expect(none.status == .unauthorized)
        }
    }

    @Test func usersAdministration() async throws {
        try await withTestApp(.sqlite) { app in
            let admin = try await app.signIn(.admin)
            let weak = try await app.testing().sendRequest(
                .POST, "api/v1/users", headers: admin,
                body: body([
                    "email": "new@test.torvan.test", "fullName": "New Person", "initials": "NP", "role": "ASSEMBLER", "password": "short",
                ]))
            #expect(weak.status == .unprocessableEntity)
            #expect(try weak.json["error"]?["details"]?.array.first?["field"] == "password")
            let created = try await app.testing().sendRequest(
                .POST, "api/v1/users", headers: admin,
                body: body([
                    "email": "New@Test.torvan.test", "fullName": "New Person", "initials": "np", "role": "ASSEMBLER",
                    "password": .string(testPassword),
                ]))
            #expect(created.status == .created)
            #expect(try created.json["email"] == "new@test.torvan.test")
            #expect(try created.json["initials"] == "NP")
            let again = try await app.testing().sendRequest(
                .POST, "api/v1/users", headers: admin,
                body: body([
                    "email": "new@test.torvan.test", "fullName": "New Person", "initials": "NP", "role": "ASSEMBLER",
                    "password": .string(testPassword),
                ]))
            #expect(again.status == .conflict)
            let id = try #require(try created.json["id"]?.string)
            let user = try await app.login(email: "new@test.torvan.test")
            #expect(try await app.testing().sendRequest(.DELETE, "api/v1/users/\(id)", headers: admin).status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: user).status == .unauthorized)
        }
    }
}
