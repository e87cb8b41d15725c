import Fluent
import SQLKit

/// The order list shows each order's build numbers; kept on the order, the
/// list reads one table instead of also querying the builds of its page.
/// Existing orders are filled from their builds, in position order.
struct AddOrderBuildNumbers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Order.schema).field("build_numbers", .string, .required, .sql(.default(""))).update()
        let sql = database as! any SQLDatabase
        let numbers =
            sql.dialect.name == "postgresql"
            ? "SELECT string_agg(build_number, ',' ORDER BY position) FROM builds WHERE builds.order_id = orders.id"
            : "SELECT group_concat(build_number, ',') FROM (SELECT build_number FROM builds WHERE builds.order_id = orders.id ORDER BY position)"
        try await sql.raw("UPDATE orders SET build_numbers = COALESCE((\(unsafeRaw: numbers)), '')").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Order.schema).deleteField("build_numbers").update()
    }
}
