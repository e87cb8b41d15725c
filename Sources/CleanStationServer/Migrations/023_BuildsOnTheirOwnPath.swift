import Fluent
import SQLKit

/// Each build on its own path (issue 16): its own status, moves recorded
/// per build, nonconformance reports with their steps, shipments, and a
/// BOM sent back by procurement, the customer contact, and the day's
/// want-date reminder (one a day, whatever the number of instances). The new records are append-only for the
/// application's role (`DatabaseRoles.appendOnly`).
struct BuildsOnTheirOwnPath: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema(Build.schema).field("status", .string, .required, .sql(.default("ORDER_CREATED"))).update()
        try await database.schema(Build.schema).field("bom_rejection", .string).update()
        try await sql.raw("UPDATE builds SET status = (SELECT status FROM orders WHERE orders.id = builds.order_id)").run()
        try await database.schema(OrderHistoryEntry.schema).field("build_number", .string).update()
        try await database.schema(OrderHistoryEntry.schema).field("restarts", .string).update()
        try await database.schema(OrderHistoryEntry.schema).field("override", .bool, .required, .sql(.default(false))).update()
        try await database.schema(Order.schema).field("customer_contact", .string).update()
        try await database.schema(Order.schema).field("status_breakdown", .string).update()
        try await database.schema(NonconformanceReport.schema)
            .id()
            .field("number", .string, .required)
            .field("order_id", .uuid, .required, .references(Order.schema, "id"))
            .field("build_number", .string, .required)
            .field("kind", .string, .required)
            // No foreign key: the result is found through the sealed audit trail, whatever happens to its row (ADR 009).
            .field("result_id", .uuid, .required)
            .field("failed_items", .string, .required)
            .field("description", .string, .required)
            .field("opened_by", .uuid, .required, .references(User.schema, "id"))
            .field("opened_at", .datetime, .required)
            .unique(on: "number")
            .unique(on: "result_id")
            .create()
        try await database.schema(NonconformanceStep.schema)
            .id()
            .field("nonconformance_id", .uuid, .required, .references(NonconformanceReport.schema, "id"))
            .field("step", .string, .required)
            .field("disposition", .string)
            .field("scope", .string)
            .field("justification", .string, .required)
            .field("result_id", .uuid)
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("at", .datetime, .required)
            .unique(on: "nonconformance_id", "step")
            .create()
        try await database.schema(Shipment.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id"))
            .field("shipped_on", .string, .required)
            .field("carrier", .string, .required)
            .field("tracking_number", .string, .required)
            .field("created_by", .uuid, .required, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(ShipmentBuild.schema)
            .id()
            .field("shipment_id", .uuid, .required, .references(Shipment.schema, "id"))
            .field("build_number", .string, .required)
            .unique(on: "build_number")
            .create()
        try await database.schema("reminders")
            .field("day", .string, .required)
            .field("kind", .string, .required)
            .unique(on: "day", "kind")
            .create()
        try await sql.create(index: "nonconformances_order_id").on(NonconformanceReport.schema).column("order_id").run()
        try await sql.create(index: "nonconformances_build_number").on(NonconformanceReport.schema).column("build_number").run()
        try await sql.create(index: "nonconformance_steps_user_id").on(NonconformanceStep.schema).column("user_id").run()
        try await sql.create(index: "shipments_order_id").on(Shipment.schema).column("order_id").run()
        try await sql.create(index: "builds_status").on(Build.schema).column("status").run()
        // The few orders whose builds stand apart, for the queues (`DashboardPages.section`).
        try await sql.raw("CREATE INDEX orders_builds_apart ON orders (id) WHERE status_breakdown IS NOT NULL").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("reminders").delete()
        try await database.schema(ShipmentBuild.schema).delete()
        try await database.schema(Shipment.schema).delete()
        try await database.schema(NonconformanceStep.schema).delete()
        try await database.schema(NonconformanceReport.schema).delete()
        // One statement per column: SQLite drops one at a time, and not under an index.
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX builds_status").run()
        try await sql.raw("DROP INDEX orders_builds_apart").run()
        for (table, column) in [
            ("orders", "customer_contact"), ("orders", "status_breakdown"), ("order_history", "build_number"),
            ("order_history", "restarts"),
            ("order_history", "override"), ("builds", "status"), ("builds", "bom_rejection"),
        ] {
            try await sql.raw("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column)").run()
        }
    }
}
