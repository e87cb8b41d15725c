import CleanStationCore
import Fluent
import Foundation

/// One status change of an order: who, when, from, to, why.
final class OrderHistoryEntry: Model, @unchecked Sendable {
    static let schema = "order_history"

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Field(key: "at") var at: Date
    @Parent(key: "user_id") var user: User
    @OptionalEnum(key: "from_status") var fromStatus: OrderStatus?
    @Enum(key: "to_status") var toStatus: OrderStatus
    @Field(key: "note") var note: String

    init() {}

    init(orderID: UUID, at: Date, userID: UUID, from: OrderStatus?, to: OrderStatus, note: String) {
        self.$order.id = orderID
        self.at = at
        self.$user.id = userID
        self.fromStatus = from
        self.toStatus = to
        self.note = note
    }
}
