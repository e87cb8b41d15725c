import CleanStationCore
import CleanStationMail
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CleanStationServer

/// Self-service "forgot password" (issue 17): the same answer for every
/// address, a hashed single-use link for 30 minutes, every session ended,
/// audited, and of twenty uses at once exactly one.
@Suite struct PasswordResetTests {
    /// A mail server nobody listens on: the outbox keeps the message, the test reads it there.
    static func withMail(
        _ database: TestDatabase, twoFactorRoles: Set<Role> = [], _ body: @escaping @Sendable (Application) async throws -> Void
    ) async throws {
        let port = try freePort()
        try await withTestApp(
            database,
            adjust: {
                $0.mail = Config.Mail(
                    smtp: SMTPSettings(host: "127.0.0.1", port: port, implicitTLS: false), from: "cs@torvan.test",
                    retryBase: .seconds(3600))
                $0.publicURL = "https://cs.torvan.test"
                $0.mfaRequiredRoles = twoFactorRoles
            }, body)
    }

    /// Asks for a link, and waits for the work that runs after the answer.
    static func forgot(_ app: Application, _ email: String) async throws -> TestingHTTPResponse {
        let response = try await app.testing().sendRequest(
            .POST, "api/v1/auth/password/forgot", headers: jsonHeaders, body: body(["email": .string(email)]))
        await app.backgroundWork.drain()
        return response
    }

    static func reset(_ app: Application, token: String, to password: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(
            .POST, "api/v1/auth/password/reset", headers: jsonHeaders,
            body: body(["token": .string(token), "newPassword": .string(password)]))
    }

    /// The token of the latest link e-mailed to `email`, opened from the outbox as the mail worker opens it;
    /// the stored body holds no link in clear.
    static func mailedToken(_ app: Application, _ email: String) async throws -> String? {
        guard let mail = try await OutgoingMail.query(on: app.db).filter(\.$recipient == email).sort(\.$createdAt, .descending).first()
        else { return nil }
        #expect(OutgoingMail.isSealed(mail.body) && !mail.body.contains("token="), "the link is sealed in the outbox")
        let text = OutgoingMail.readable(mail.body, cipher: app.fieldCipher)
        return text.firstMatch(of: /\/password\/reset\?token=([A-Za-z0-9_-]+)/).map { String($0.output.1) }
    }

    @Test(arguments: TestDatabase.all) func aForgottenPasswordIsResetByEMail(database: TestDatabase) async throws {
        try await Self.withMail(database) { app in
            let email = "forgot@test.torvan.test"
            let old = try await app.signIn(.qcPerson, email: email)
            let known = try await Self.forgot(app, email)
            let unknown = try await Self.forgot(app, "nobody@test.torvan.test")
            #expect(known.status == .accepted && unknown.status == .accepted)
            #expect(known.body.string == unknown.body.string, "the answer tells nobody who has an account")
            let token = try #require(try await Self.mailedToken(app, email))
            #expect(try await Self.mailedToken(app, "nobody@test.torvan.test") == nil)
            let stored = try await PasswordResetToken.query(on: app.db).all()
            #expect(stored.count == 1 && stored[0].tokenHash != token && stored[0].tokenHash == AuthController.tokenHash(token))

            _ = try await Self.forgot(app, email)
            #expect(try await PasswordResetToken.query(on: app.db).count() == 1, "one link per two minutes")

            let weak = try await Self.reset(app, token: token, to: "short")
            #expect(weak.status == .unprocessableEntity)
            #expect(try weak.json["error"]?["details"]?.array.first?["field"] == "newPassword")
            let reused = try await Self.reset(app, token: token, to: testPassword)
            #expect(try reused.json["error"]?["details"]?.array.first?["message"]?.string?.contains("last 12") == true)

            #expect(try await Self.reset(app, token: token, to: "Brand-New-Glove-77!").status == .noContent)
            let again = try await Self.reset(app, token: token, to: "Other-New-Glove-78!")
            #expect(try again.json["error"]?["details"]?.array.first?["field"] == "token")
            #expect(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: old).status == .unauthorized)
            _ = try await app.login(email: email, password: "Brand-New-Glove-77!")

            let admin = try await app.signIn(.admin)
            let entries = try await app.testing().sendRequest(.GET, "api/v1/audit?resourceType=user", headers: admin).json["items"]?.array
            let actions = (entries ?? []).compactMap { $0["action"]?.string }
            #expect(actions.filter { $0 == "PASSWORD_RESET_REQUESTED" }.count == 3)
            #expect(actions.contains("PASSWORD_RESET_BY_EMAIL"))
        }
    }

    @Test func anExpiredOrForgedLinkIsRefusedOnThePage() async throws {
        try await Self.withMail(.sqlite) { app in
            let email = "late@test.torvan.test"
            _ = try await app.signIn(.assembler, email: email)
            _ = try await Self.forgot(app, email)
            let token = try #require(try await Self.mailedToken(app, email))
            try await PasswordResetToken.query(on: app.db).set(\.$expiresAt, to: Date().addingTimeInterval(-1)).update()
            var client = WebClient(app: app)
            let moved = try await client.get("/password/reset?token=\(token)")
            #expect(moved.status == .seeOther && moved.headers.first(name: .location) == "/password/reset", "the token leaves the address")
            let expired = try await client.get("/password/reset")
            #expect(expired.body.string.contains("This link has expired") && !expired.body.string.contains(#"name="newPassword""#))
            _ = try await client.get("/password/reset?token=forged")
            let forged = try await client.get("/password/reset")
            #expect(forged.body.string.contains("This link is not valid"))
            #expect(try await Self.reset(app, token: token, to: "Brand-New-Glove-77!").status == .unprocessableEntity)
        }
    }

    /// Through the pages, as a person does: the link on the sign-in page, the form, the new password, signed in.
    @Test func thePagesLeadFromSignInToANewPassword() async throws {
        try await Self.withMail(.sqlite) { app in
            let email = "pages@test.torvan.test"
            _ = try await app.signIn(.assembler, email: email)
            var client = WebClient(app: app)
            #expect(try await client.get("/login").body.string.contains(#"href="/password/forgot""#))
            _ = try await client.get("/password/forgot")
            let bad = try await client.post("/password/forgot", [("email", "not an address")])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains(#"aria-invalid="true""#))
            let sent = try await client.post("/password/forgot", [("email", email)])
            #expect(sent.body.string.contains("If an account has this address"))
            await app.backgroundWork.drain()
            let token = try #require(try await Self.mailedToken(app, email))
            _ = try await client.get("/password/reset?token=\(token)")
            #expect(try await client.get("/password/reset").body.string.contains(#"name="newPassword""#))
            let mismatch = try await client.post("/password/reset", [("newPassword", "Brand-New-Glove-77!"), ("confirmPassword", "Other")])
            #expect(mismatch.status == .unprocessableEntity)
            let done = try await client.post(
                "/password/reset", [("newPassword", "Brand-New-Glove-77!"), ("confirmPassword", "Brand-New-Glove-77!")])
            #expect(done.status == .seeOther && done.headers.first(name: .location) == "/login")
            _ = try await WebClient.signIn(app, email: email, password: "Brand-New-Glove-77!")
        }
    }

    /// A link sent before a password change or an administrator's reset no longer works;
    /// an account that must still enrol its second factor gets no link.
    @Test(arguments: TestDatabase.all) func aLinkDiesWithTheNextChangeOfTheAccount(database: TestDatabase) async throws {
        try await Self.withMail(database) { app in
            let email = "stale@test.torvan.test"
            let headers = try await app.signIn(.assembler, email: email)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
            let userID = try user.requireID()
            let admin = try await app.signIn(.admin, email: "boss@test.torvan.test")
            let changes: [(String, @Sendable () async throws -> Void)] = [
                (
                    "the user's own change",
                    {
                        let changed = try await app.testing().sendRequest(
                            .POST, "api/v1/auth/password", headers: headers,
                            body: body(["currentPassword": .string(testPassword), "newPassword": "Changed-Glove-55!"]))
                        #expect(changed.status == .noContent)
                    }
                ),
                (
                    "an administrator's reset",
                    {
                        let reset = try await app.testing().sendRequest(
                            .POST, "api/v1/users/\(userID)/reset-mfa", headers: admin, body: body(["adminPassword": .string(testPassword)]))
                        #expect(reset.status == .noContent)
                    }
                ),
            ]
            for (change, apply) in changes {
                try await PasswordResetToken.query(on: app.db).delete()
                _ = try await Self.forgot(app, email)
                let token = try #require(try await Self.mailedToken(app, email), "\(change)")
                try await apply()
                let refused = try await Self.reset(app, token: token, to: "Late-Glove-Reset-9!")
                #expect(refused.status == .unprocessableEntity, "\(change)")
                #expect(try refused.json["error"]?["details"]?.array.first?["field"] == "token", "\(change)")
            }
        }
        // A role that signs in with two factors and has none yet: whoever holds the mailbox would enrol it.
        try await Self.withMail(.sqlite, twoFactorRoles: [.qcPerson]) { app in
            let email = "enrol@test.torvan.test"
            _ = try await UsersController.create(
                .init(email: email, fullName: "Quinn Enrol", initials: "QE", role: .qcPerson, password: testPassword), cost: 4,
                actor: .system, on: app.db, hasher: app.passwordHasher)
            #expect(try await Self.forgot(app, email).status == .accepted)
            #expect(try await Self.mailedToken(app, email) == nil)
        }
    }

    @Test func withoutMailThePageSaysWhomToAsk() async throws {
        try await withTestApp(.sqlite) { app in
            var client = WebClient(app: app)
            #expect(try await client.get("/password/forgot").body.string.contains("Ask an administrator"))
            let api = try await Self.forgot(app, "someone@test.torvan.test")
            #expect(api.status == .serviceUnavailable && api.errorCode == "MAIL_NOT_CONFIGURED")
        }
    }

    /// One link used twenty times at once sets one password.
    @Test(arguments: TestDatabase.all) func aLinkWorksOnceUnderARace(database: TestDatabase) async throws {
        try await Self.withMail(database) { app in
            let email = "race@test.torvan.test"
            _ = try await app.signIn(.qcPerson, email: email)
            _ = try await Self.forgot(app, email)
            let token = try #require(try await Self.mailedToken(app, email))
            let statuses = try await SignInRaceTests.together(app) { index in
                try await Self.reset(app, token: token, to: "Swift-Winner-Glove-\(index)!")
            }
            #expect(statuses == [204] + Array(repeating: 422, count: 19))
            let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
            let changes = try await PasswordHistoryEntry.query(on: app.db).filter(\.$user.$id == user.requireID()).count()
            #expect(changes == 2, "the first password and one reset")
        }
    }
}
