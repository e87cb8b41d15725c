import Fluent
import Foundation

/// A note on an order from anyone working on it: the floor's running
/// conversation beside the lifecycle's history.
final class OrderComment: Model, @unchecked Sendable {
    static let schema = "order_comments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Parent(key: "user_id") var user: User
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
