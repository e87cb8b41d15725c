import Fluent
import SQLKit

/// The queues page through the orders at a status in want-date order
/// (issue 20): this index hands them over in that order, so a page costs
/// its 25 rows, not a sort of every order at that status.
struct QueueIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw(
            "CREATE INDEX orders_status_want_date ON orders (status, want_date, po_number, id)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX IF EXISTS orders_status_want_date").run()
    }
}
