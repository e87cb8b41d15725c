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
