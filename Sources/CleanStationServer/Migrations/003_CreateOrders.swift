import Fluent
import SQLKit

struct CreateOrders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Order.schema)
            .id()
            .field("po_number", .string, .required)
            .field("customer_name", .string, .required)
            .field("project_name", .string)
            .field("sales_person", .string, .required)
            .field("want_date", .string, .required)
            .field("language", .string, .required)
            .field("notes", .string, .required)
            .field("sink_family", .string, .required)
            .field("status", .string, .required)
            .field("search_text", .string, .required)
            .field("created_by", .uuid, .required, .references(User.schema, "id"))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "po_number")
            .create()
        try await database.schema(Build.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("build_number", .string, .required)
            .field("configuration", .string, .required)
            .field("bom", .string, .required)
            .field("bom_approved_by", .uuid, .references(User.schema, "id"))
            .field("bom_approved_at", .datetime)
            .unique(on: "build_number")
            .create()
        try await database.schema(OrderHistoryEntry.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("note", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "orders_status_created_at").on(Order.schema).column("status").column("created_at").run()
        try await sql.create(index: "orders_created_at").on(Order.schema).column("created_at").run()
        try await sql.create(index: "orders_created_by").on(Order.schema).column("created_by").run()
        try await sql.create(index: "builds_order_id").on(Build.schema).column("order_id").run()
        try await sql.create(index: "builds_bom_approved_by").on(Build.schema).column("bom_approved_by").run()
        try await sql.create(index: "order_history_order_id").on(OrderHistoryEntry.schema).column("order_id").run()
        try await sql.create(index: "order_history_user_id").on(OrderHistoryEntry.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrderHistoryEntry.schema).delete()
        try await database.schema(Build.schema).delete()
        try await database.schema(Order.schema).delete()
    }
}
