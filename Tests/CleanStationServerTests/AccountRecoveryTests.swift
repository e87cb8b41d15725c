import CleanStationCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CleanStationServer

/// Accounts people can recover (issue 17): a password an administrator set is
/// changed at the first sign-in; an administrator resets another person's
/// password or second factor with their own password typed again; each reset
/// ends the person's sessions and is audited; a password change ends the
/// other sessions; enrolling a second factor asks for the password.
@Suite struct AccountRecoveryTests {
    static func login(_ app: Application, _ email: String, _ password: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(
            .POST, "api/v1/auth/login", headers: jsonHeaders, body: body(["email": .string(email), "password": .string(password)]))
    }

    static func bearer(_ response: TestingHTTPResponse) throws -> HTTPHeaders {
        var headers = jsonHeaders
        headers.bearerAuthorization = .init(token: try #require(try response.json["accessToken"]?.string))
        return headers
    }

    /// An account an administrator creates: its first sign-in leads to choosing one's own password, and nowhere else.
    @Test(arguments: TestDatabase.all)
    func aPasswordAnAdministratorSetIsChangedFirst(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await app.signIn(.admin)
            let created = try await app.testing().sendRequest(
                .POST, "api/v1/users", headers: admin,
                body: body([
                    "email": "new.person@test.torvan.test", "fullName": "New Person", "initials": "NP", "role": "ASSEMBLER",
                    "password": .string(testPassword),
                ]))
            #expect(created.status == .created)
            let first = try Self.bearer(try await Self.login(app, "new.person@test.torvan.test", testPassword))
            let other = try Self.bearer(try await Self.login(app, "new.person@test.torvan.test", testPassword))
            let refused = try await app.testing().sendRequest(.GET, "api/v1/orders", headers: first)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "PASSWORD_CHANGE_REQUIRED")
            let session = try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: first)
            #expect(try session.json["pendingSetup"] == "PASSWORD_CHANGE_REQUIRED")

            let same = try await app.testing().sendRequest(
                .POST, "api/v1/auth/password", headers: first,
                body: body(["currentPassword": .string(testPassword), "newPassword": .string(testPassword)]))
            #expect(same.status == .unprocessableEntity, "the password someone else chose is not kept")
            let changed = try await app.testing().sendRequest(
                .POST, "api/v1/auth/password", headers: first,
                body: body(["currentPassword": .string(testPassword), "newPassword": "My-Own-Glove-42!"]))
            #expect(changed.status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/orders", headers: first).status == .ok)
            #expect(
                try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: first).json["pendingSetup"] == .null,
                "nothing pending")
            #expect(
                try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: other).status == .unauthorized,
                "a password change ends the other sessions")
        }
    }

    /// The administrator's password reset: their own password first (a wrong one audited and counted), then a
    /// one-time password; the person's sessions end, the one-time password must be changed, the reset is audited.
    @Test(arguments: TestDatabase.all)
    func anAdministratorResetsAForgottenPassword(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await app.signIn(.admin, email: "alex@test.torvan.test")
            let person = try await app.signIn(.qcPerson, email: "quinn@test.torvan.test")
            let refreshToken = try #require(try await Self.login(app, "quinn@test.torvan.test", testPassword).json["refreshToken"]?.string)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "quinn@test.torvan.test").first())
            let path = "api/v1/users/\(try user.requireID().uuidString.lowercased())"

            let wrong = try await app.testing().sendRequest(
                .POST, "\(path)/reset-password", headers: admin, body: body(["adminPassword": "Wrong-Password-1"]))
            #expect(wrong.status == .unprocessableEntity)
            #expect(try wrong.json["error"]?["details"]?.array.first?["field"] == "adminPassword")
            let missing = try await app.testing().sendRequest(.POST, "\(path)/reset-password", headers: admin, body: body([:]))
            #expect(missing.status == .unprocessableEntity)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: person).status == .ok, "nothing changed")

            let reset = try await app.testing().sendRequest(
                .POST, "\(path)/reset-password", headers: admin, body: body(["adminPassword": .string(testPassword)]))
            #expect(reset.status == .ok)
            let temporary = try #require(try reset.json["temporaryPassword"]?.string)
            #expect(PasswordPolicy.problem(with: temporary) == nil)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: person).status == .unauthorized)
            #expect(reset.headers.first(name: .cacheControl) == "no-store")
            let refreshed = try await app.testing().sendRequest(
                .POST, "api/v1/auth/refresh", headers: jsonHeaders, body: body(["refreshToken": .string(refreshToken)]))
            #expect(refreshed.status == .unauthorized, "the ended sessions' refresh tokens are refused too")
            #expect(try await Self.login(app, "quinn@test.torvan.test", testPassword).status == .unauthorized, "the old password is gone")
            let signedIn = try Self.bearer(try await Self.login(app, "quinn@test.torvan.test", temporary))
            #expect(try await app.testing().sendRequest(.GET, "api/v1/orders", headers: signedIn).errorCode == "PASSWORD_CHANGE_REQUIRED")

            let entries = try await app.testing().sendRequest(.GET, "api/v1/audit?action=PASSWORD_RESET", headers: admin).json
            #expect(entries["items"]?.array.count == 1)
            #expect(entries["items"]?.array.first?["newValue"]?["sessionsEnded"] == 2)

            // The one-time password works for a while only.
            try await User.query(on: app.db).filter(\.$email == "quinn@test.torvan.test").set(\.$passwordExpiresAt, to: Date())
                .update()
            #expect(try await Self.login(app, "quinn@test.torvan.test", temporary).errorCode == "PASSWORD_EXPIRED")
            let failed = try await app.testing().sendRequest(.GET, "api/v1/audit?action=PASSWORD_RESET_FAILED", headers: admin).json
            #expect(failed["items"]?.array.count == 1)
            #expect(try await AuditTrail.verify(app).intact)
        }
    }

    /// Only an administrator resets, and not their own account (they change it on their account page).
    @Test func nobodyElseResetsAndAnAdministratorNotTheirOwn() async throws {
        try await withTestApp(.sqlite) { app in
            let admin = try await app.signIn(.admin, email: "alex@test.torvan.test")
            let coordinator = try await app.signIn(.productionCoordinator)
            _ = try await app.signIn(.assembler, email: "ari@test.torvan.test")
            let own = try #require(try await User.query(on: app.db).filter(\.$email == "alex@test.torvan.test").first()?.id)
            let other = try #require(try await User.query(on: app.db).filter(\.$email == "ari@test.torvan.test").first()?.id)
            for (headers, target) in [(coordinator, own), (coordinator, other), (admin, own)] {
                for action in ["reset-password", "reset-mfa"] {
                    let response = try await app.testing().sendRequest(
                        .POST, "api/v1/users/\(target.uuidString.lowercased())/\(action)", headers: headers,
                        body: body(["adminPassword": .string(testPassword)]))
                    #expect(response.status == .forbidden, "\(action)")
                }
            }
            let unknown = try await app.testing().sendRequest(
                .POST, "api/v1/users/\(UUID().uuidString.lowercased())/reset-password", headers: admin,
                body: body(["adminPassword": .string(testPassword)]))
            #expect(unknown.status == .notFound)
            #expect(try await Self.login(app, "ari@test.torvan.test", testPassword).status == .ok, "nothing was reset")
            _ = try await app.testing().sendRequest(.DELETE, "api/v1/users/\(other.uuidString.lowercased())", headers: admin)
            let deactivated = try await app.testing().sendRequest(
                .POST, "api/v1/users/\(other.uuidString.lowercased())/reset-password", headers: admin,
                body: body(["adminPassword": .string(testPassword)]))
            #expect(deactivated.status == .conflict)
        }
    }

    /// A lost phone: the administrator removes the second factor; the person signs in with their password and, their
    /// role requiring two factors, enrols again, with their password typed once more.
    @Test(arguments: TestDatabase.all)
    func anAdministratorResetsALostSecondFactor(database: TestDatabase) async throws {
        try await withTestApp(database, adjust: { $0.mfaRequiredRoles = [.qcPerson] }) { app in
            let admin = try await app.signIn(.admin, email: "alex@test.torvan.test")
            let person = try await app.signIn(.qcPerson, email: "quinn@test.torvan.test")
            let setup = try await app.testing().sendRequest(.POST, "api/v1/auth/mfa/setup", headers: person)
            let encoded = try #require(try setup.json["secret"]?.string)
            let secret = try #require(Data(base32Encoded: encoded).map { [UInt8]($0) })
            let code = TOTP.code(secret: secret, counter: TOTP.counter(at: Date()))
            let noPassword = try await app.testing().sendRequest(
                .POST, "api/v1/auth/mfa/enable", headers: person, body: body(["code": .string(code)]))
            #expect(noPassword.status == .unprocessableEntity, "enrolling asks for the password")
            #expect(try noPassword.json["error"]?["details"]?.array.first?["field"] == "password")
            let wrongPassword = try await app.testing().sendRequest(
                .POST, "api/v1/auth/mfa/enable", headers: person, body: body(["code": .string(code), "password": "Wrong-Password-1"]))
            #expect(wrongPassword.status == .unprocessableEntity)
            let enabled = try await app.testing().sendRequest(
                .POST, "api/v1/auth/mfa/enable", headers: person, body: body(["code": .string(code), "password": .string(testPassword)]))
            #expect(enabled.status == .ok)
            #expect(try await Self.login(app, "quinn@test.torvan.test", testPassword).errorCode == "MFA_REQUIRED")

            let user = try #require(try await User.query(on: app.db).filter(\.$email == "quinn@test.torvan.test").first())
            let reset = try await app.testing().sendRequest(
                .POST, "api/v1/users/\(try user.requireID().uuidString.lowercased())/reset-mfa", headers: admin,
                body: body(["adminPassword": .string(testPassword)]))
            #expect(reset.status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: person).status == .unauthorized)
            #expect(try await BackupCode.query(on: app.db).filter(\.$user.$id == user.requireID()).count() == 0)
            let again = try Self.bearer(try await Self.login(app, "quinn@test.torvan.test", testPassword))
            #expect(try await app.testing().sendRequest(.GET, "api/v1/orders", headers: again).errorCode == "MFA_REQUIRED")
            let entries = try await app.testing().sendRequest(.GET, "api/v1/audit?action=MFA_RESET", headers: admin).json
            #expect(entries["items"]?.array.count == 1)
        }
    }

    /// The pages: the administrator's user page resets with their password and shows the one-time password once;
    /// the person's first page after signing in is their account, to choose their own.
    @Test func thePagesResetAndLeadToTheAccountPage() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await app.signIn(.admin, email: "alex@test.torvan.test")
            _ = try await app.signIn(.qcPerson, email: "quinn@test.torvan.test")
            var admin = try await WebClient.signIn(app, email: "alex@test.torvan.test")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "quinn@test.torvan.test").first())
            let page = "/admin/users/\(try user.requireID().uuidString.lowercased())"
            let shown = try await admin.get(page)
            #expect(shown.body.string.contains("Your password (to reset their password)"))
            let wrong = try await admin.post("\(page)/reset-password", [("adminPassword", "Wrong-Password-1")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("That is not your password."))
            let reset = try await admin.post("\(page)/reset-password", [("adminPassword", testPassword)])
            #expect(reset.status == .ok)
            let html = reset.body.string
            let temporary = try #require(
                html.range(of: #"<code class="temporary-password">([^<]+)</code>"#, options: .regularExpression).map {
                    String(html[$0]).replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
                })
            var person = try await WebClient.signIn(app, email: "quinn@test.torvan.test", password: temporary)
            let orders = try await person.get("/orders")
            #expect(orders.status == .seeOther)
            #expect(orders.headers.first(name: .location) == "/account")
            #expect(try await person.get("/account").body.string.contains("Your password was set by an administrator"))
        }
    }
}
