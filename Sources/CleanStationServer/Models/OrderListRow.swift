import CleanStationCore
import Foundation
import SQLKit

/// One order of the list, read with SQLKit. Its coding keys name the columns: converting every key to snake
/// case on every row (`keyDecodingStrategy`) was a quarter of a queue page's CPU.
struct OrderListRow: OrderHeader, Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, poNumber = "po_number", customerName = "customer_name", projectName = "project_name", salesPerson = "sales_person"
        case wantDate = "want_date", language, notes, sinkFamily = "sink_family", status, statusBreakdown = "status_breakdown"
        case createdAt = "created_at", updatedAt = "updated_at", buildNumbers = "build_numbers"
    }

    static let names = CodingKeys.allCases.map(\.rawValue)
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
