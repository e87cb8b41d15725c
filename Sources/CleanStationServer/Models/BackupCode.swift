import Fluent
import Foundation

/// An MFA backup code, stored as its SHA-256; usable once.
final class BackupCode: Model, @unchecked Sendable {
    static let schema = "backup_codes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(userID: UUID, codeHash: String) {
        self.$user.id = userID
        self.codeHash = codeHash
    }
}
