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
        let json = JSONValue.object([
            JSONMember("email", .string(email)), JSONMember("fullName", .string(fullName)), JSONMember("initials", .string(initials)),
            JSONMember("role", .string(role)), JSONMember("password", .string(password)),
        ])
        switch UsersController.readNewUser(json) {
        case .failure(let failure):
            throw Invalid(errors: failure.errors)
        case .success(let new):
            return try await UsersController.create(
                new, cost: app.config.passwordHashCost, actor: .system, on: app.db, hasher: app.passwordHasher
            ).requireID()
        }
    }
}

/// The audit chain for the command line.
extension Application {
    /// Development migrates wherever the app starts; elsewhere migrations are their own step.
    func autoMigrateIfDevelopment() async throws {
        try await prepareDatabase(self)
    }
}
