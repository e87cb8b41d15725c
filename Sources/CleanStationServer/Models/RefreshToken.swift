import Fluent
import Foundation

/// A refresh token, stored as its SHA-256; used once, then replaced.
final class RefreshToken: Model, @unchecked Sendable {
    static let schema = "refresh_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: Session
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(sessionID: UUID, tokenHash: String, now: Date) {
        self.$session.id = sessionID
        self.tokenHash = tokenHash
        self.createdAt = now
    }
}
