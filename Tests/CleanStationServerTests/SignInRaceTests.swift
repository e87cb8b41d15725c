import CleanStationCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CleanStationServer

/// Sign-in under concurrency (issue 17): the lockout, a TOTP code, a refresh
/// token and the passwords of signatures and password changes, each with
/// twenty requests at once and one exact outcome.
@Suite struct SignInRaceTests {
    /// Twenty requests at once; their status codes, sorted.
    static func together(
        _ app: Application, _ count: Int = 20, _ request: @escaping @Sendable (Int) async throws -> TestingHTTPResponse
    )
        async throws -> [UInt]
    {
        try await withThrowingTaskGroup(of: UInt.self) { group in
            for index in 0..<count { group.addTask { try await request(index).status.code } }
            return try await group.reduce(into: [UInt]()) { $0.append($1) }.sorted()
        }
    }

    static func login(
        _ tester: any TestingApplicationTester, _ email: String, _ password: String, code: String? = nil
    ) async throws
        -> TestingHTTPResponse
    {
        try await tester.sendRequest(
            .POST, "api/v1/auth/login", headers: jsonHeaders,
            body: body(["email": .string(email), "password": .string(password), "mfaCode": code.map { .string($0) } ?? .null]))
    }

    /// Twenty guesses at once meet the limit five in a row would: five are checked, fifteen refused unchecked.
    @Test(arguments: TestDatabase.all)
    func twentyWrongPasswordsAtOnceMeetTheSameLimit(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signIn(.assembler, email: "ari@test.torvan.test")
            let tester = try app.testing()
            let statuses = try await Self.together(app) { _ in try await Self.login(tester, "ari@test.torvan.test", "Wrong-Password-1") }
            #expect(statuses == Array(repeating: 401, count: 5) + Array(repeating: 429, count: 15))
            let right = try await Self.login(tester, "ari@test.torvan.test", testPassword)
            #expect(right.errorCode == "ACCOUNT_LOCKED")
            let failures = try await LoginAttempt.query(on: app.db).filter(\.$email == "ari@test.torvan.test").filter(\.$succeeded == false)
                .count()
            #expect(failures == 5)
        }
    }

    enum SecondFactor: String, CaseIterable, Sendable { case totp, backupCode }

    /// One code of the authenticator, or one backup code, sent twenty times at once opens one session.
    @Test(arguments: TestDatabase.all, SecondFactor.allCases)
    func oneCodeOpensOneSession(database: TestDatabase, factor: SecondFactor) async throws {
        try await withTestApp(database) { app in
            let headers = try await app.signIn(.qcPerson, email: "quinn@test.torvan.test")
            let setup = try await app.testing().sendRequest(.POST, "api/v1/auth/mfa/setup", headers: headers)
            let encoded = try #require(try setup.json["secret"]?.string)
            let secret = try #require(Data(base32Encoded: encoded).map { [UInt8]($0) })
            let now = TOTP.counter(at: Date())
            let enabled = try await app.testing().sendRequest(
                .POST, "api/v1/auth/mfa/enable", headers: headers,
                body: body(["code": .string(TOTP.code(secret: secret, counter: now)), "password": .string(testPassword)]))
            let backup = try #require(try enabled.json["backupCodes"]?.array.first?.string)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "quinn@test.torvan.test").first())
            let sessionsBefore = try await Session.query(on: app.db).filter(\.$user.$id == user.requireID()).count()

            // The next step: accepted (one step of drift either way), later than the enrolment's step, and
            // still so when a step boundary passes between the two requests.
            let code = factor == .totp ? TOTP.code(secret: secret, counter: now + 1) : backup
            let tester = try app.testing()
            let statuses = try await Self.together(app) { _ in
                try await Self.login(tester, "quinn@test.torvan.test", testPassword, code: code)
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
            #expect(try await Session.query(on: app.db).filter(\.$user.$id == user.requireID()).count() == sessionsBefore + 1)
        }
    }

    /// One refresh token sent twenty times at once: one rotation, and the reuses end the session (no second token family).
    @Test(arguments: TestDatabase.all)
    func oneRefreshTokenRotatesOnceAndItsReuseEndsTheSession(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signIn(.admin, email: "alex@test.torvan.test")
            let login = try await Self.login(try app.testing(), "alex@test.torvan.test", testPassword)
            let token = try #require(try login.json["refreshToken"]?.string)
            let tester = try app.testing()
            let statuses = try await Self.together(app) { _ in
                try await tester.sendRequest(
                    .POST, "api/v1/auth/refresh", headers: jsonHeaders, body: body(["refreshToken": .string(token)]))
            }
            #expect(statuses == [200] + Array(repeating: 401, count: 19))
            let sessionID = try #require(
                try await RefreshToken.query(on: app.db).filter(\.$tokenHash == AuthController.tokenHash(token)).first()?.$session.id)
            let session = try #require(try await Session.find(sessionID, on: app.db))
            #expect(session.revokedReason == "refresh token reused")
            #expect(
                try await RefreshToken.query(on: app.db).filter(\.$session.$id == sessionID).count() == 2, "one rotation, one new token")
        }
    }

    /// A signature's password is checked last (409 for the order's state, whatever the password) and counts
    /// toward the lockout; wrong ones are audited. So is a wrong current password when changing it.
    @Test(arguments: TestDatabase.all)
    func wrongPasswordsAtSigningAndChangingCountAndAreAudited(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody())
            let qcEmail = try #require(
                try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: people.qc).json["user"]?["email"]?.string)
            let early = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(client.orderID)/builds/B1001/checklists/final-qc/results", headers: people.qc,
                body: body(["answers": [], "signature": .object([JSONMember("password", "Wrong-Password-1")])]))
            #expect(early.status == .conflict, "the order's state first, whatever the password")

            for _ in 0..<3 {
                let wrong = try await client.sign(people.qc, "B1001", "pre-qc", password: "Wrong-Password-1")
                #expect(wrong.status == .unprocessableEntity)
            }
            for _ in 0..<2 {
                let change = try await app.testing().sendRequest(
                    .POST, "api/v1/auth/password", headers: people.qc,
                    body: body(["currentPassword": "Wrong-Password-1", "newPassword": "An-Other-Passw0rd!"]))
                #expect(change.status == .unprocessableEntity)
            }
            let locked = try await client.sign(people.qc, "B1001", "pre-qc")
            #expect(locked.errorCode == "ACCOUNT_LOCKED", "five wrong passwords lock the account, wherever they were typed")
            #expect(try await Self.login(try app.testing(), qcEmail, testPassword).errorCode == "ACCOUNT_LOCKED")
            let admin = try await app.signIn(.admin)
            for (action, count) in [("SIGN_FAILED", 3), ("PASSWORD_CHANGE_FAILED", 2)] {
                let entries = try await app.testing().sendRequest(.GET, "api/v1/audit?action=\(action)", headers: admin).json
                #expect(entries["items"]?.array.count == count, "\(action)")
            }
        }
    }
}
