import Fluent
import Foundation

/// A BOM line of a build made outside, tracked until it arrives.
final class OutsourcedLine: Model, @unchecked Sendable {
    static let schema = "outsourced_lines"

    enum Status: String, Codable, CaseIterable, Sendable {
        case pending = "PENDING"
        case sent = "SENT"
        case received = "RECEIVED"

        var rank: Int { Self.allCases.firstIndex(of: self)! }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Field(key: "build_number") var buildNumber: String
    @Field(key: "line_id") var lineID: String
    @Field(key: "supplier") var supplier: String
    @OptionalField(key: "expected_date") var expectedDate: String?
    @Field(key: "note") var note: String
    @Enum(key: "status") var status: Status
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
