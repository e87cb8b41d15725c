import CleanStationCore
import Fluent
import Foundation
import SQLKit

final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "full_name") var fullName: String
    @Field(key: "initials") var initials: String
    @Enum(key: "role") var role: Role
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "is_active") var isActive: Bool
    /// The TOTP secret, sealed with `ENCRYPTION_KEY` (see `FieldCipher`).
    @OptionalField(key: "mfa_secret") var mfaSecret: String?
    @OptionalField(key: "mfa_enabled_at") var mfaEnabledAt: Date?
    /// The last TOTP time step accepted, so that a code is not accepted twice.
    @OptionalField(key: "mfa_last_step") var mfaLastStep: Int64?
    /// Set when someone else chose the password (an account created or reset by an administrator).
    @Field(key: "must_change_password") var mustChangePassword: Bool
    /// When a password someone else set stops working (`AccountSetup.temporaryPasswordLifetime`).
    @OptionalField(key: "password_expires_at") var passwordExpiresAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, email: String, fullName: String, initials: String, role: Role, passwordHash: String) {
        self.id = id
        self.email = email
        self.fullName = fullName
        self.initials = initials
        self.role = role
        self.passwordHash = passwordHash
        self.isActive = true
        self.mustChangePassword = false
    }
}

extension User {
    /// Locks the user's row for the rest of the transaction (PostgreSQL; SQLite runs one transaction at a time), so
    /// that a reset and a change of the same account, or a sign-in, happen one after the other.
    static func lock(_ id: UUID, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        _ = try await sql.raw("SELECT id FROM users WHERE id = \(bind: id) FOR UPDATE").all()
    }

    /// The full names of these users, in plain SQL: the pages ask it on every view (issue 20).
    static func names(of ids: some Collection<UUID>, on database: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await (database as! any SQLDatabase).raw(
            "SELECT id, full_name FROM users WHERE id IN (\(binds: Array(Set(ids))))"
        ).all()
        return Dictionary(
            try rows.map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "full_name", as: String.self)) },
            uniquingKeysWith: { first, _ in first })
    }

    /// A password someone else chose: to be changed at the next sign-in, within the lifetime of a temporary password.
    func setTemporaryPassword(hash: String, now: Date) {
        passwordHash = hash
        mustChangePassword = true
        passwordExpiresAt = now.addingTimeInterval(AccountSetup.temporaryPasswordLifetime)
    }
}
