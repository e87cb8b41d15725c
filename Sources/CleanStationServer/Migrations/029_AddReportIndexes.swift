import Fluent
import SQLKit

/// The reports (issue 18) read by time: results by signing time, moves by
/// time, nonconformances by opening time, shipments by ship date, orders by
/// want date (the overdue list), each from an index rather than a scan.
/// (`order_history_at` gave way to migration 031's index of stays, `checklist_results_signed_at`
/// to migration 032's covering index.)
struct AddReportIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, column: String)] = [
        ("checklist_results_signed_at", "checklist_results", "signed_at"), ("order_history_at", "order_history", "at"),
        ("nonconformances_opened_at", "nonconformances", "opened_at"), ("shipments_shipped_on", "shipments", "shipped_on"),
        ("orders_want_date", "orders", "want_date"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in Self.indexes { try await sql.create(index: index.name).on(index.table).column(index.column).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in Self.indexes { try await sql.drop(index: index.name).run() }
    }
}
