import CleanStationCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// TOTP enrolment (RFC 6238) with 10 single-use backup codes.
enum MFAController {
    static let backupCodeCount = 10

    /// A new secret, for the authenticator app, as text and as the QR code's URI.
    struct Setup: APIResponse {
        var secret: String
        var otpauthUri: String

        static let example = Setup(
            secret: "JBSWY3DPEHPK3PXP",
            otpauthUri: "otpauth://totp/CleanStation:pat@torvan.test?secret=JBSWY3DPEHPK3PXP&issuer=CleanStation")
    }

    /// The first code from the app, and the password.
    struct Enable: APIInput {
        typealias Checked = Enable
        var code: String
        var password: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> Enable? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["code", "password"]) else { return nil }
            guard let code = reader.requiredString(object, "code"), let password = reader.requiredString(object, "password") else {
                return nil
            }
            return Enable(code: code, password: password)
        }
    }

    /// The ten single-use codes, shown once.
    struct BackupCodes: APIResponse {
        var backupCodes: [String]

        static let example = BackupCodes(backupCodes: ["7KQ2-M9XD", "P4TR-8WZC"])
    }

    static func setup(_ request: Request) async throws -> Setup {
        let principal = try request.principal()
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        guard user.mfaEnabledAt == nil else { throw APIError.conflict("Two-factor sign-in is already enabled.") }
        let secret = TOTP.randomSecret()
        user.mfaSecret = try request.application.fieldCipher.seal(secret)
        try await user.update(on: request.db)
        let encoded = Data(secret).base32EncodedString()
        let label = "CleanStation:\(user.email)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? user.email
        return Setup(secret: encoded, otpauthUri: "otpauth://totp/\(label)?secret=\(encoded)&issuer=CleanStation&digits=6&period=30")
    }

    static func enable(_ request: Request) async throws -> BackupCodes {
        try await enable(request, try request.input(Enable.self))
    }

    /// Enrolling asks for the password too: a session left open is not enough to tie a stranger's phone to the account.
    static func enable(_ request: Request, _ input: Enable) async throws -> BackupCodes {
        let input = try input.checked()
        let principal = try request.principal()
        let (code, password) = (input.code, input.password)
        guard let account = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        try await PasswordAttempts.reauthenticate(
            account, password: password, field: "password", action: "MFA_ENABLE_FAILED", resourceType: "user",
            resourceID: principal.userID.uuidString.lowercased(), request: request)
        let now = Date()
        let codes = (0..<backupCodeCount).map { _ in randomBackupCode() }
        try await request.db.transaction { transaction in
            // Under the user's row lock: a reset that committed meanwhile is seen, never half overwritten.
            try await User.lock(principal.userID, on: transaction)
            guard let user = try await User.find(principal.userID, on: transaction),
                try await Session.find(principal.sessionID, on: transaction)?.revokedAt == nil
            else { throw APIError.unauthorized }
            guard user.mfaEnabledAt == nil else { throw APIError.conflict("Two-factor sign-in is already enabled.") }
            guard let sealed = user.mfaSecret else {
                throw APIError(.conflict, "INVALID_TRANSITION", "Call /api/v1/auth/mfa/setup first.")
            }
            let secret = try request.application.fieldCipher.open(sealed)
            guard let step = TOTP.matchingStep(code, secret: secret, at: now) else {
                throw APIError(.unauthorized, "MFA_INVALID_CODE", "The code does not match: check the authenticator's clock.")
            }
            user.mfaEnabledAt = now
            user.mfaLastStep = step
            try await user.update(on: transaction)
            for backup in codes { try await BackupCode(userID: principal.userID, code: backup).create(on: transaction) }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "user", resourceID: principal.userID.uuidString.lowercased(),
                    newValue: .object([JSONMember("mfaEnabled", true)])),
                actor: request.auditActor, on: transaction, now: now)
        }
        return BackupCodes(backupCodes: codes)
    }

    /// Checks a sign-in's second factor; `nil` when it passes, else the
    /// error. A code works once: the TOTP time step accepted last and each
    /// backup code are claimed with a conditional update, so that of twenty
    /// sign-ins with one code exactly one gets in.
    static func check(_ code: String?, for user: User, request: Request, on database: any Database, now: Date) async throws -> APIError? {
        guard user.mfaEnabledAt != nil, let sealed = user.mfaSecret else { return nil }
        guard let code, !code.isEmpty else {
            return APIError(.unauthorized, "MFA_REQUIRED", "Enter the code from your authenticator (or a backup code) as mfaCode.")
        }
        let invalid = APIError(.unauthorized, "MFA_INVALID_CODE", "The two-factor code is wrong or was used already.")
        let sql = database as! any SQLDatabase
        let userID = try user.requireID()
        if code.count == TOTP.digits, code.allSatisfy(\.isNumber) {
            let secret = try request.application.fieldCipher.open(sealed)
            guard let step = TOTP.matchingStep(code, secret: secret, at: now) else { return invalid }
            let claimed = try await sql.update(User.schema).set("mfa_last_step", to: step).where("id", .equal, userID)
                .where { $0.where("mfa_last_step", .is, SQLLiteral.null).orWhere("mfa_last_step", .lessThan, step) }
                .returning("id").all()
            return claimed.isEmpty ? invalid : nil
        }
        // Each code has its own salt: the account's unused codes are compared,
        // and the one that matches is claimed only if it is still unused.
        let unused = try await BackupCode.query(on: database).filter(\.$user.$id == userID).filter(\.$usedAt == nil).all()
        guard let match = unused.first(where: { BackupCode.matches(stored: $0.codeHash, code: code) }) else { return invalid }
        let claimed = try await sql.update(BackupCode.schema).set("used_at", to: now).where("id", .equal, try match.requireID())
            .where("used_at", .is, SQLLiteral.null).returning("id").all()
        return claimed.isEmpty ? invalid : nil
    }

    /// Ten characters from an unambiguous alphabet, shown as `XXXXX-XXXXX`.
    static func randomBackupCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let characters = (0..<10).map { _ in alphabet.randomElement()! }
        return String(characters[0..<5]) + "-" + String(characters[5...])
    }
}
