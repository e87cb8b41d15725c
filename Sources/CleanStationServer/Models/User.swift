import CleanStationCore
import Fluent
import Foundation

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
    }
}
