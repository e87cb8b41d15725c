import Fluent
import Foundation

/// One part in a service person's cart, until the request is sent.
final class ServiceCartLine: Model, @unchecked Sendable {
    static let schema = "service_cart_lines"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "item_id") var itemID: String
    @Field(key: "quantity") var quantity: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(user: UUID, itemID: String, quantity: Int) {
        self.$user.id = user
        self.itemID = itemID
        self.quantity = quantity
    }
}
