import CleanStationCore
import Foundation
import SQLKit

/// One order of the list, read with SQLKit. `Column` names the columns. Each column is decoded on its
/// own: `Decodable` through `SQLRowDecoder` was a fifth of a queue page's CPU (issue 20), and converting
/// every key to snake case on every row (`keyDecodingStrategy`) a quarter before that.
struct OrderListRow: OrderHeader {
    enum Column: String, CaseIterable {
        case id, poNumber = "po_number", customerName = "customer_name", projectName = "project_name", salesPerson = "sales_person"
        case wantDate = "want_date", language, notes, sinkFamily = "sink_family", status, statusBreakdown = "status_breakdown"
        case createdAt = "created_at", updatedAt = "updated_at", buildNumbers = "build_numbers"
    }

    static let names = Column.allCases.map(\.rawValue)
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

    init(row: any SQLRow) throws {
        func value<T: Decodable>(_ key: Column) throws -> T {
            try row.decode(column: key.rawValue, as: T.self)
        }
        id = try value(.id)
        poNumber = try value(.poNumber)
        customerName = try value(.customerName)
        projectName = try value(.projectName)
        salesPerson = try value(.salesPerson)
        wantDate = try value(.wantDate)
        language = try row.code(Column.language.rawValue)
        notes = try value(.notes)
        sinkFamily = try row.code(Column.sinkFamily.rawValue)
        status = try row.code(Column.status.rawValue)
        statusBreakdown = try value(.statusBreakdown)
        createdAt = try value(.createdAt)
        updatedAt = try value(.updatedAt)
        buildNumbers = try value(.buildNumbers)
    }
}
