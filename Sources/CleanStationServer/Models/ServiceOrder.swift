import Fluent
import Foundation

/// A service department's request for parts (no prices), processed by procurement.
final class ServiceOrder: Model, @unchecked Sendable {
    static let schema = "service_orders"

    enum Status: String, Codable, CaseIterable, Sendable {
        case pending = "PENDING"
        case approved = "APPROVED"
        case rejected = "REJECTED"
        case fulfilled = "FULFILLED"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "requested_by") var requestedBy: User
    @Enum(key: "status") var status: Status
    /// `[{"id", "quantity"}]` as JSON.
    @Field(key: "items") var items: String
    @Field(key: "note") var note: String
    @OptionalParent(key: "decided_by") var decidedBy: User?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "reason") var reason: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
