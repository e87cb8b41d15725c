import Fluent
import SQLKit

struct CreateDocuments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Document.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id"))
            .field("kind", .string, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int64, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .uuid, .required, .references(User.schema, "id"))
            .field("created_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "documents_order_id").on(Document.schema).column("order_id").run()
        try await sql.create(index: "documents_uploaded_by").on(Document.schema).column("uploaded_by").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Document.schema).delete()
    }
}
