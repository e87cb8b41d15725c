import Fluent
import Foundation

/// One signed-in device: the refresh-token family and the limits of security.md.
final class Session: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "revoked_reason") var revokedReason: String?
    @OptionalField(key: "client_address") var clientAddress: String?
    @OptionalField(key: "user_agent") var userAgent: String?

    init() {}

    init(userID: UUID, now: Date, clientAddress: String?, userAgent: String?) {
        self.$user.id = userID
        self.createdAt = now
        self.lastSeenAt = now
        self.clientAddress = clientAddress
        self.userAgent = userAgent
    }
}

extension Session {
    /// Ends every live session of a user (but `except`), with the reason; returns how many ended.
    @discardableResult
    static func endAll(of userID: UUID, except: UUID? = nil, reason: String, on database: any Database, now: Date) async throws -> Int {
        var live = Session.query(on: database).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
        if let except { live = live.filter(\.$id != except) }
        let count = try await live.count()
        guard count > 0 else { return 0 }
        var ending = Session.query(on: database).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
        if let except { ending = ending.filter(\.$id != except) }
        try await ending.set(\.$revokedAt, to: now).set(\.$revokedReason, to: reason).update()
        return count
    }
}
