import Fluent
import SQLKit

struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Notification.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("title", .string, .required)
            .field("order_id", .uuid, .references(Order.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        try await (database as! any SQLDatabase).create(index: "notifications_user_read").on(Notification.schema).column("user_id")
            .column("read_at").run()
        try await (database as! any SQLDatabase).create(index: "notifications_order_id").on(Notification.schema).column("order_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Notification.schema).delete()
    }
}
