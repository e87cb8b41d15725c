import CleanStationCore
import Fluent
import Vapor

/// User accounts for the command line.
public enum Accounts {
    public struct Invalid: Error, CustomStringConvertible {
        public var errors: [FieldError]
        public var description: String { errors.map(\.description).joined(separator: "\n") }
    }

    /// Creates a user under the same rules as `POST /api/v1/users`; returns its id.
    public static func create(
        _ app: Application, email: String, fullName: String, initials: String, role: String, password: String
    ) async throws -> UUID {
        try await app.autoMigrateIfDevelopment()
        let input = UsersController.NewUserInput(
            email: email, fullName: fullName, initials: initials, role: .string(role), password: password)
        var reader = JSONFieldReader()
        guard let new = input.check(&reader), reader.errors.isEmpty else { throw Invalid(errors: reader.errors) }
        return try await UsersController.create(
            new, cost: app.config.passwordHashCost, actor: .system, on: app.db, hasher: app.passwordHasher
        ).requireID()
    }
}

extension Accounts {
    public struct UnknownUser: Error, CustomStringConvertible {
        public var email: String
        public var description: String { "email: no active user has the e-mail \(email)" }
    }

    /// The operator's password reset (`cleanstation user reset-password`): a
    /// one-time password, returned, which the person changes at the next
    /// sign-in; their sessions end; audited as the command line's.
    public static func resetPassword(_ app: Application, email: String) async throws -> String {
        let user = try await activeUser(app, email: email)
        let temporary = PasswordPolicy.temporaryPassword()
        let hash = try await app.passwordHasher.hash(temporary, cost: app.config.passwordHashCost)
        try await RecoveryController.apply(
            .password, to: user.requireID(), passwordHash: hash, actor: commandLine("reset-password"), on: app.db)
        return temporary
    }

    /// The operator's second-factor reset (`cleanstation user reset-mfa`): a role that signs in with two factors enrols again at the next sign-in.
    public static func resetSecondFactor(_ app: Application, email: String) async throws {
        let user = try await activeUser(app, email: email)
        try await RecoveryController.apply(
            .secondFactor, to: user.requireID(), passwordHash: nil, actor: commandLine("reset-mfa"), on: app.db)
    }

    private static func activeUser(_ app: Application, email: String) async throws -> User {
        try await app.autoMigrateIfDevelopment()
        let normalized = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard let user = try await User.query(on: app.db).filter(\.$email == normalized).filter(\.$isActive == true).first() else {
            throw UnknownUser(email: normalized)
        }
        return user
    }

    private static func commandLine(_ command: String) -> AuditActor {
        // The operating system's user id: $USER is whatever the caller sets.
        AuditActor(userAgent: "cleanstation user \(command) (uid \(getuid()))")
    }
}

/// The audit chain for the command line.
extension Application {
    /// Development migrates wherever the app starts; elsewhere migrations are their own step.
    func autoMigrateIfDevelopment() async throws {
        try await prepareDatabase(self)
    }
}
