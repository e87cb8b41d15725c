import Fluent
import SQLKit

/// A service person's cart (issue 20): the parts they picked, kept across
/// searches and sign-ins until they send the request; one line per part.
struct CreateServiceCarts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceCartLine.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("item_id", .string, .required)
            .field("quantity", .int, .required)
            .field("updated_at", .datetime)
            .unique(on: "user_id", "item_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceCartLine.schema).delete()
    }
}
