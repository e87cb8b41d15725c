import CleanStationCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// Self-service "forgot password" by e-mail (issue 17), when the
/// application sends e-mail (`SMTP_URL`): a request answers the same for
/// every address; the link's token is stored hashed, works once, for 30
/// minutes; a reset ends every session of the account and is audited. A
/// second factor, when the account has one, is still asked at sign-in.
enum PasswordResetController {
    static let notOffered = APIError(
        .serviceUnavailable, "MAIL_NOT_CONFIGURED",
        "Password reset by e-mail is not set up here: ask an administrator to reset your password.")

    /// `POST /api/v1/auth/password/forgot` `{"email"}` → 202 with `PasswordReset.requestAnswer`, account or not.
    static func forgot(_ request: Request) async throws -> Response {
        let email = try request.readBody { json, reader -> String? in
            guard let object = reader.object(json, at: .root, allowedKeys: ["email"]),
                let raw = reader.requiredString(object, "email")
            else { return nil }
            guard let email = EmailAddress.normalized(raw) else {
                reader.fail(.root.key("email"), EmailAddress.problem)
                return nil
            }
            return email
        }
        try await requestLink(for: email, request: request)
        let response = try await JSONValue.object([JSONMember("message", .string(PasswordReset.requestAnswer))])
            .encodeResponse(for: request)
        response.status = .accepted
        return response
    }

    /// Takes a request for a link: the limits are checked now, the rest runs
    /// after the answer (`BackgroundWork`), so that its time tells nothing.
    static func requestLink(for email: String, request: Request) async throws {
        guard let mail = request.mailContext else { throw notOffered }
        guard request.application.loginRateLimiter.allow("reset:" + (request.clientAddress ?? "unknown"), now: Date()) else {
            throw APIError(
                .tooManyRequests, "RATE_LIMITED", "Too many requests from this address: wait a minute.", headers: ["Retry-After": "60"])
        }
        let app = request.application
        let actor = request.auditActor
        await app.backgroundWork.start("password link") {
            try await sendLink(to: email, mail: mail, actor: actor, app: app)
        }
    }

    /// Sends a link to `email` when it is an active account's that may reset
    /// its password this way, and none was sent in the last two minutes;
    /// audited either way. The message is sealed in the outbox.
    static func sendLink(to email: String, mail: MailContext, actor: AuditActor, app: Application) async throws {
        let now = Date()
        let token = Data([UInt8].random(count: 32)).base64URLEncodedString()
        try await app.db.transaction { transaction in
            let user = try await User.query(on: transaction).filter(\.$email == email).filter(\.$isActive == true).first()
            var outcome = user == nil ? "no active account" : "sent"
            if let user, let userID = user.id {
                // Under the account's row lock: two requests at once send one link.
                try await User.lock(userID, on: transaction)
                let last = try await PasswordResetToken.query(on: transaction).filter(\.$user.$id == userID)
                    .sort(\.$createdAt, .descending).first()?.createdAt
                if user.needsMFAEnrolment(app.config) {
                    // Whoever holds the mailbox would also enrol the second factor: an administrator resets this account.
                    outcome = "second factor to enrol first"
                } else if !PasswordReset.maySend(lastSentAt: last, now: now) {
                    outcome = "a link was sent in the last two minutes"
                } else {
                    try await PasswordResetToken(
                        userID: userID, tokenHash: AuthController.tokenHash(token), createdAt: now,
                        expiresAt: now.addingTimeInterval(PasswordReset.lifetime)
                    ).create(on: transaction)
                    try await OutgoingMail(
                        recipient: user.email, subject: "CleanStation: choose a new password",
                        body: try OutgoingMail.sealed(mail.passwordResetBody(token: token, name: user.fullName), cipher: app.fieldCipher),
                        now: now
                    ).create(on: transaction)
                }
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "PASSWORD_RESET_REQUESTED", resourceType: "user", resourceID: user?.id?.uuidString.lowercased(),
                    newValue: .object([JSONMember("email", .string(email)), JSONMember("link", .string(outcome))]),
                    outcome: outcome == "sent" ? "SUCCESS" : "FAILURE"),
                actor: actor, on: transaction, now: now)
        }
        app.mailOutbox?.poke()
    }

    /// `POST /api/v1/auth/password/reset` `{"token", "newPassword"}` → 204.
    static func reset(_ request: Request) async throws -> HTTPStatus {
        let (token, new) = try request.readBody { json, reader -> (String, String)? in
            guard let object = reader.object(json, at: .root, allowedKeys: ["token", "newPassword"]) else { return nil }
            let token = reader.requiredString(object, "token")
            let new = reader.requiredString(object, "newPassword")
            guard let token, let new else { return nil }
            return (token, new)
        }
        try await reset(token: token, newPassword: new, request: request)
        return .noContent
    }

    /// Checks the link and the new password (the policy, the last 12), then,
    /// in one transaction under the account's row lock, claims the link (of
    /// twenty uses at once exactly one), sets the password, retires the
    /// account's other links and ends its sessions.
    static func reset(token: String, newPassword new: String, request: Request) async throws {
        guard request.mailContext != nil else { throw notOffered }
        let hash = AuthController.tokenHash(token)
        let now = Date()
        @Sendable func refused(_ refusal: PasswordReset.Refusal) -> APIError {
            APIError.validation([FieldError(field: "token", message: refusal.message)])
        }
        guard let link = try await PasswordResetToken.query(on: request.db).filter(\.$tokenHash == hash).first(),
            let user = try await User.find(link.$user.id, on: request.db), user.isActive
        else { throw refused(.unknown) }
        if let refusal = PasswordReset.refusal(expiresAt: link.expiresAt, usedAt: link.usedAt, now: now) { throw refused(refusal) }
        if let problem = PasswordPolicy.problem(with: new, email: user.email) {
            throw APIError.validation([FieldError(field: "newPassword", message: problem)])
        }
        let userID = try user.requireID()
        let passwordHash = try await UsersController.freshPasswordHash(new, for: userID, request: request)
        try await request.db.transaction { transaction in
            try await User.lock(userID, on: transaction)
            let sql = transaction as! any SQLDatabase
            let claimed = try await sql.update(PasswordResetToken.schema).set("used_at", to: now).where("token_hash", .equal, hash)
                .where("used_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, now).returning("id").all()
            guard !claimed.isEmpty else { throw refused(.used) }
            guard let current = try await User.find(userID, on: transaction), current.isActive else { throw refused(.unknown) }
            current.passwordHash = passwordHash
            current.mustChangePassword = false
            current.passwordExpiresAt = nil
            try await current.update(on: transaction)
            try await PasswordHistoryEntry(userID: userID, passwordHash: passwordHash, createdAt: now).create(on: transaction)
            try await PasswordResetToken.retireAll(of: userID, on: transaction, now: now)
            let ended = try await Session.endAll(of: userID, reason: "password reset by e-mail", on: transaction, now: now)
            var actor = request.auditActor
            actor.userID = userID
            try await AuditLog.append(
                AuditEvent(
                    action: "PASSWORD_RESET_BY_EMAIL", resourceType: "user", resourceID: userID.uuidString.lowercased(),
                    newValue: .object([
                        JSONMember("email", .string(current.email)), JSONMember("sessionsEnded", .number(Double(ended))),
                    ])),
                actor: actor, on: transaction, now: now)
        }
    }
}

extension MailContext {
    /// The message with the link; the token is in it and nowhere else in clear.
    func passwordResetBody(token: String, name: String) -> String {
        [
            "Hello \(name),", "",
            "Someone, probably you, asked to choose a new password for CleanStation. Open this link within 30 minutes:", "",
            publicURL + SiteURL.passwordReset.with(query: "token=\(token)"), "",
            "The link works once. If you did not ask, ignore this message: your password stays as it is.",
            "This message was sent automatically.",
        ].joined(separator: "\n")
    }
}

extension PasswordResetToken {
    /// Every open link of the account stops working: its password or second
    /// factor changed, or it was deactivated, after the link was sent.
    static func retireAll(of userID: UUID, on database: any Database, now: Date) async throws {
        try await PasswordResetToken.query(on: database).filter(\.$user.$id == userID).filter(\.$usedAt == nil)
            .set(\.$usedAt, to: now).update()
    }
}
