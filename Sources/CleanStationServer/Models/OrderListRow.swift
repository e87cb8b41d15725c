import CleanStationCore
import Foundation
import SQLKit

/// One order of the list, read with SQLKit (columns in snake case).
struct OrderListRow: OrderHeader, Decodable {
    static let names = [
        "id", "po_number", "customer_name", "project_name", "sales_person", "want_date", "language", "notes", "sink_family", "status",
        "created_at", "updated_at", "build_numbers", "status_breakdown",
    ]
    static let columns = names.map { SQLColumn($0, table: Order.schema) }

    var id: UUID?
    var poNumber: String
    var customerName: String
    var projectName: String?
    var salesPerson: String
    var wantDate: String
    var language: Language
    var notes: String
    var sinkFamily: SinkFamily
    var status: OrderStatus
    var statusBreakdown: String?
    var createdAt: Date?
    var updatedAt: Date?
    /// Comma-separated, in the order of the builds.
    var buildNumbers: String
}
