import CleanStationCore
import Fluent
import Vapor

/// Accounts people can recover (issue 17): an administrator resets another
/// person's password (to a one-time password they must change at the next
/// sign-in) or second factor, with their own password typed again; the
/// person's sessions end and the reset is audited. The command line does the
/// same for an operator (`cleanstation user reset-password`, `reset-mfa`).
enum RecoveryController {
    enum Reset: String, Sendable {
        case password = "PASSWORD_RESET"
        case secondFactor = "MFA_RESET"
    }

    /// `POST /api/v1/users/{id}/reset-password`: `{"adminPassword"}` → `{"temporaryPassword"}`, shown once, never cached.
    /// `{adminPassword}`: the administrator confirms who they are.
    struct AdminPassword: APIInput {
        typealias Checked = AdminPassword
        var adminPassword: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> AdminPassword? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["adminPassword"]) else { return nil }
            return reader.requiredString(object, "adminPassword").map(AdminPassword.init)
        }
    }

    static func resetPassword(_ request: Request) async throws -> Response {
        let temporary = try await temporaryPassword(request, try request.input(AdminPassword.self))
        let response = try await JSONValue.object([JSONMember("temporaryPassword", .string(temporary))]).encodeResponse(for: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The password reset, for the API and the user's admin page: the one-time password.
    static func temporaryPassword(_ request: Request, _ input: AdminPassword) async throws -> String {
        try await reset(.password, request, input) ?? ""
    }

    /// `POST /api/v1/users/{id}/reset-mfa`: `{"adminPassword"}`; a role that signs in with two factors enrols again at the next sign-in.
    static func resetSecondFactor(_ request: Request) async throws -> HTTPStatus {
        try await resetSecondFactor(request, try request.input(AdminPassword.self))
    }

    static func resetSecondFactor(_ request: Request, _ input: AdminPassword) async throws -> HTTPStatus {
        _ = try await reset(.secondFactor, request, input)
        return .noContent
    }

    private static func reset(_ kind: Reset, _ request: Request, _ input: AdminPassword) async throws -> String? {
        let principal = try request.principal()
        let id = try request.uuidParameter("userID", "The user")
        let adminPassword = input.adminPassword
        guard AccountSetup.mayReset(actorRole: principal.role, actorIsTarget: principal.userID == id) else {
            throw APIError(
                .forbidden, "PERMISSION_DENIED",
                principal.userID == id
                    ? "Change your own password or second factor on your account page." : "Only an administrator resets an account.")
        }
        guard try await User.find(id, on: request.db) != nil else { throw APIError.notFound("The user") }
        guard let admin = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        try await PasswordAttempts.reauthenticate(
            admin, password: adminPassword, field: "adminPassword", action: kind.rawValue + "_FAILED", resourceType: "user",
            resourceID: id.uuidString.lowercased(), request: request)
        let temporary = kind == .password ? PasswordPolicy.temporaryPassword() : nil
        let hash = try await temporary.asyncFlatMap {
            try await request.application.passwordHasher.hash($0, cost: request.application.config.passwordHashCost)
        }
        try await apply(kind, to: id, passwordHash: hash, actor: request.auditActor, on: request.db)
        return temporary
    }

    /// The reset itself, in one transaction under the user's row lock (a
    /// change or a sign-in of the same account runs before or after it,
    /// never across it): the account changed, its sessions ended, the reset
    /// audited with how many ended.
    static func apply(_ kind: Reset, to id: UUID, passwordHash: String?, actor: AuditActor, on database: any Database) async throws {
        let now = Date()
        try await database.transaction { transaction in
            try await User.lock(id, on: transaction)
            guard let user = try await User.find(id, on: transaction) else { throw APIError.notFound("The user") }
            guard user.isActive else { throw APIError.conflict("\(user.email) is deactivated: reactivate the account first.") }
            switch kind {
            case .password:
                guard let passwordHash else { return }
                user.setTemporaryPassword(hash: passwordHash, now: now)
                // In the history, so that it cannot be "changed" to itself.
                try await PasswordHistoryEntry(userID: id, passwordHash: passwordHash, createdAt: now).create(on: transaction)
            case .secondFactor:
                user.mfaSecret = nil
                user.mfaEnabledAt = nil
                user.mfaLastStep = nil
                try await BackupCode.query(on: transaction).filter(\.$user.$id == id).delete()
            }
            try await user.update(on: transaction)
            // A link sent before the reset would undo it.
            try await PasswordResetToken.retireAll(of: id, on: transaction, now: now)
            let ended = try await Session.endAll(
                of: id, reason: kind == .password ? "password reset" : "second factor reset", on: transaction, now: now)
            try await AuditLog.append(
                AuditEvent(
                    action: kind.rawValue, resourceType: "user", resourceID: id.uuidString.lowercased(),
                    newValue: .object([
                        JSONMember("email", .string(user.email)),
                        kind == .password ? JSONMember("mustChangePassword", true) : JSONMember("mfaEnabled", false),
                        JSONMember("sessionsEnded", .number(Double(ended))),
                    ])),
                actor: actor, on: transaction, now: now)
        }
    }
}
