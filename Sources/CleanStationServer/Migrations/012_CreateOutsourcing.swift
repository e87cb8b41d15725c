import Fluent
import SQLKit

struct CreateOutsourcing: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutsourcedLine.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id"))
            .field("build_number", .string, .required)
            .field("line_id", .string, .required)
            .field("supplier", .string, .required)
            .field("expected_date", .string)
            .field("note", .string, .required)
            .field("status", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "build_number", "line_id")
            .create()
        try await (database as! any SQLDatabase).create(index: "outsourced_lines_order_id").on(OutsourcedLine.schema).column("order_id")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutsourcedLine.schema).delete()
    }
}
