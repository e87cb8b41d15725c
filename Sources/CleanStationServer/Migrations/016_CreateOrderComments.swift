import Fluent
import SQLKit

struct CreateOrderComments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrderComment.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id"))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("text", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "order_comments_order_id").on(OrderComment.schema).column("order_id")
            .column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrderComment.schema).delete()
    }
}
