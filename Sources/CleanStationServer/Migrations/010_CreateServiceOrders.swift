import Fluent
import SQLKit

/// Service-part requests: who asked, for what, and procurement's decision.
struct CreateServiceOrders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceOrder.schema)
            .id()
            .field("requested_by", .uuid, .required, .references(User.schema, "id"))
            .field("status", .string, .required)
            .field("items", .string, .required)
            .field("note", .string, .required)
            .field("decided_by", .uuid, .references(User.schema, "id"))
            .field("decided_at", .datetime)
            .field("reason", .string)
            .field("created_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "service_orders_requested_by").on(ServiceOrder.schema).column("requested_by").run()
        try await sql.create(index: "service_orders_status").on(ServiceOrder.schema).column("status").run()
        try await sql.create(index: "service_orders_decided_by").on(ServiceOrder.schema).column("decided_by").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceOrder.schema).delete()
    }
}
