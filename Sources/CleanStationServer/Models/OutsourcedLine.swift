import Fluent
import Foundation
import SQLKit

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

extension OutsourcedLine {
    /// Every column (`PlainReadsTests` checks them against the model's fields).
    static let columns = ["id", "order_id", "build_number", "line_id", "supplier", "expected_date", "note", "status", "updated_at"]

    /// An order's outsourced lines in plain SQL: every order page reads them (issue 20).
    static func of(order orderID: UUID, on database: any Database) async throws -> [OutsourcedLine] {
        try await (database as! any SQLDatabase).raw(
            "SELECT \(columns: columns) FROM outsourced_lines WHERE order_id = \(bind: orderID)"
        ).all().map { row in
            let line = OutsourcedLine()
            line.id = try row.decode(column: "id", as: UUID.self)
            line.$id.exists = true
            line.$order.id = try row.decode(column: "order_id", as: UUID.self)
            line.buildNumber = try row.decode(column: "build_number", as: String.self)
            line.lineID = try row.decode(column: "line_id", as: String.self)
            line.supplier = try row.decode(column: "supplier", as: String.self)
            line.expectedDate = try row.decode(column: "expected_date", as: String?.self)
            line.note = try row.decode(column: "note", as: String.self)
            line.status = try row.code("status")
            line.updatedAt = try row.decode(column: "updated_at", as: Date?.self)
            return line
        }
    }
}
