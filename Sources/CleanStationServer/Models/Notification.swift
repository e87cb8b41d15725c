import Fluent
import Foundation

/// An in-app notice to one user about an order that needs them next.
final class Notification: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "title") var title: String
    @OptionalParent(key: "order_id") var order: Order?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}
