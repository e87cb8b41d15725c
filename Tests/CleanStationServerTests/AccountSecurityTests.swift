import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct AccountSecurityTests {
    /// RFC 6238 appendix B (SHA-1), cut to 6 digits.
    @Test(arguments: [(59.0, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")])
    func totpMatchesTheRFCVectors(time: Double, code: String) {
        let secret = Array("12345678901234567890".utf8)
        #expect(TOTP.code(secret: secret, counter: TOTP.counter(at: Date(timeIntervalSince1970: time))) == code)
        #expect(Data(base32Encoded: Data(secret).base32EncodedString()).map { [UInt8]($0) } == secret)
        #expect(Data("foobar".utf8).base32EncodedString() == "MZXW6YTBOI", "RFC 4648, without padding")
    }

    @Test(arguments: TestDatabase.all)
    func enrolmentThenSignInWithACodeOrABackupCode(database: TestDatabase) async throws {
        try await withTestApp(database, adjust: { $0.mfaRequiredRoles = [.qcPerson] }) { app in
            let headers = try await app.signIn(.qcPerson, email: "quinn@test.torvan.test")
            let blocked = try await app.testing().sendRequest(.GET, "api/v1/orders", headers: headers)
            #expect(blocked.status == .forbidden)
            #expect(blocked.errorCode == "MFA_REQUIRED")

            let setup = try await app.testing().sendRequest(.POST, "api/v1/auth/mfa/setup", headers: headers)
            let encoded = try #require(try setup.json["secret"]?.string)
            let secret = try #require(Data(base32Encoded: encoded).map { [UInt8]($0) })
            let uri = try #require(try setup.json["otpauthUri"]?.string)
            #expect(uri.hasPrefix("otpauth://totp/CleanStation%3Aquinn@test.torvan.test?secret=\(encoded)&issuer=CleanStation"), "\(uri)")
            let wrong = try await app.testing().sendRequest(
                .POST, "api/v1/auth/mfa/enable", headers: headers, body: body(["code": "000000", "password": .string(testPassword)]))
            #expect(wrong.errorCode == "MFA_INVALID_CODE")
            let now = TOTP.counter(at: Date())
            let enabled = try await app.testing().sendRequest(
                .POST, "api/v1/auth/mfa/enable", headers: headers,
                body: body(["code": .string(TOTP.code(secret: secret, counter: now)), "password": .string(testPassword)]))
            let backupCodes = try enabled.json["backupCodes"]?.array.compactMap(\.string) ?? []
            #expect(backupCodes.count == 10)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/orders", headers: headers).status == .ok)

            let login = { (code: String?) in
                try await app.testing().sendRequest(
                    .POST, "api/v1/auth/login", headers: jsonHeaders,
                    body: body([
                        "email": "quinn@test.torvan.test", "password": .string(testPassword), "mfaCode": code.map { .string($0) } ?? .null,
                    ]))
            }
            #expect(try await login(nil).errorCode == "MFA_REQUIRED")
            // Steps relative to the enrolment's, so that a step boundary passing meanwhile changes nothing.
            #expect(try await login(TOTP.code(secret: secret, counter: now)).errorCode == "MFA_INVALID_CODE", "a code is accepted once")
            #expect(try await login(TOTP.code(secret: secret, counter: now + 1)).status == .ok)
            #expect(try await login(backupCodes[0].lowercased()).status == .ok)
            #expect(try await login(backupCodes[0]).errorCode == "MFA_INVALID_CODE", "a backup code is accepted once")
        }
    }

    @Test func sessionsAreListedAndEndedByTheirUserOrAnAdmin() async throws {
        try await withTestApp(.sqlite) { app in
            let first = try await app.signIn(.assembler, email: "ari@test.torvan.test")
            let second = try await app.login(email: "ari@test.torvan.test")
            let admin = try await app.signIn(.admin)
            let list = try await app.testing().sendRequest(.GET, "api/v1/auth/sessions", headers: first)
            let items = try list.json["items"]?.array ?? []
            #expect(items.count == 2)
            #expect(items.filter { $0["current"] == true }.count == 1)
            let other = try #require(items.first { $0["current"] == false }?["id"]?.string)
            #expect(try await app.testing().sendRequest(.DELETE, "api/v1/auth/sessions/\(other)", headers: first).status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: second).status == .unauthorized)

            let userID = try #require(
                try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: first).json["user"]?["id"]?.string)
            let seen = try await app.testing().sendRequest(.GET, "api/v1/users/\(userID)/sessions", headers: admin)
            let current = try #require(seen.json["items"]?.array.first?["id"]?.string)
            let stranger = try await app.signIn(.qcPerson)
            #expect(try await app.testing().sendRequest(.DELETE, "api/v1/auth/sessions/\(current)", headers: stranger).status == .notFound)
            #expect(try await app.testing().sendRequest(.DELETE, "api/v1/auth/sessions/\(current)", headers: admin).status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: first).status == .unauthorized)
        }
    }

    @Test func passwordsChangeUnderThePolicyAndNeverRepeat() async throws {
        try await withTestApp(.sqlite) { app in
            let headers = try await app.signIn(.assembler, email: "ari@test.torvan.test")
            func change(_ current: String, _ new: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(
                    .POST, "api/v1/auth/password", headers: headers,
                    body: body(["currentPassword": .string(current), "newPassword": .string(new)]))
            }
            #expect(try await change("Wrong-Password-1", "Another-Good-77!").status == .unprocessableEntity)
            let same = try await change(testPassword, testPassword)
            #expect(try same.json["error"]?["details"]?.array.first?["message"]?.string?.contains("last 12") == true)
            #expect(try await change(testPassword, "short").status == .unprocessableEntity)
            #expect(try await change(testPassword, "Another-Good-77!").status == .noContent)
            #expect(try await change("Another-Good-77!", testPassword).status == .unprocessableEntity)
            _ = try await app.login(email: "ari@test.torvan.test", password: "Another-Good-77!")
        }
    }

    @Test func adminsChangeRolesAndTheChangeEndsSessions() async throws {
        try await withTestApp(.sqlite) { app in
            let admin = try await app.signIn(.admin)
            let user = try await app.signIn(.assembler, email: "ari@test.torvan.test")
            let id = try #require(
                try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: user).json["user"]?["id"]?.string)
            let changed = try await app.testing().sendRequest(
                .PATCH, "api/v1/users/\(id)", headers: admin, body: body(["role": "QC_PERSON", "initials": "ar"]))
            #expect(try changed.json["role"] == "QC_PERSON")
            #expect(try changed.json["initials"] == "AR")
            #expect(try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: user).status == .unauthorized)
            let bad = try await app.testing().sendRequest(
                .PATCH, "api/v1/users/\(id)", headers: admin, body: body(["role": "BOSS", "email": "x"]))
            #expect(Set(try bad.json["error"]?["details"]?.array.compactMap { $0["field"]?.string } ?? []) == ["role", "email"])
        }
    }

    @Test func signInsAreRateLimitedPerAddress() async throws {
        try await withTestApp(.sqlite, adjust: { $0.loginAttemptsPerMinute = 3 }) { app in
            let attempt = body(["email": "nobody@test.torvan.test", "password": "x"])
            for _ in 0..<3 {
                #expect(
                    try await app.testing().sendRequest(.POST, "api/v1/auth/login", headers: jsonHeaders, body: attempt).status
                        == .unauthorized)
            }
            let limited = try await app.testing().sendRequest(.POST, "api/v1/auth/login", headers: jsonHeaders, body: attempt)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.errorCode == "RATE_LIMITED")
        }
    }
}
