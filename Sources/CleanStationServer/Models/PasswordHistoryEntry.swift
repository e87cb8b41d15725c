import Fluent
import Foundation

/// A password a user had; a new one may not repeat the last 12.
final class PasswordHistoryEntry: Model, @unchecked Sendable {
    static let schema = "password_history"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(userID: UUID, passwordHash: String, createdAt: Date) {
        self.$user.id = userID
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}
