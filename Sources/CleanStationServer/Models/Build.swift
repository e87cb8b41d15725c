import CleanStationCore
import Fluent
import Foundation

/// One sink of an order: its configuration and the BOM generated from it,
/// both as JSON text exactly as served.
final class Build: Model, @unchecked Sendable {
    static let schema = "builds"

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Field(key: "position") var position: Int
    @Field(key: "build_number") var buildNumber: String
    @Field(key: "configuration") var configuration: String
    @Field(key: "bom") var bom: String
    @OptionalParent(key: "bom_approved_by") var bomApprovedBy: User?
    @OptionalField(key: "bom_approved_at") var bomApprovedAt: Date?
    /// The assembler holding the build in production.
    @OptionalParent(key: "claimed_by") var claimedBy: User?
    @OptionalField(key: "claimed_at") var claimedAt: Date?
    /// Where this sink stands: each build moves on its own (issue 16).
    @Enum(key: "status") var status: OrderStatus
    /// Procurement sent the BOM back, and why (cleared when the build is edited).
    @OptionalField(key: "bom_rejection") var bomRejection: String?

    init() {}
}
