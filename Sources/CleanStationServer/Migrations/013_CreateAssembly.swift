import Fluent
import SQLKit

/// Tools, work instructions (per production task) and task completions.
struct CreateAssembly: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Tool.schema)
            .id()
            .field("name", .string, .required)
            .field("description", .string, .required)
            .unique(on: "name")
            .create()
        try await database.schema(WorkInstruction.schema)
            .id()
            .field("task_item_id", .string, .required)
            .field("title", .string, .required)
            .field("steps", .string, .required)
            .field("safety_notes", .string, .required)
            .field("tool_ids", .string, .required)
            .field("image_document_id", .uuid, .references(Document.schema, "id"))
            .unique(on: "task_item_id")
            .create()
        try await database.schema(TaskCompletion.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id"))
            .field("build_number", .string, .required)
            .field("task_id", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("completed_at", .datetime, .required)
            .unique(on: "build_number", "task_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "task_completions_order_id").on(TaskCompletion.schema).column("order_id").run()
        try await sql.create(index: "task_completions_user_id").on(TaskCompletion.schema).column("user_id").run()
        try await sql.create(index: "work_instructions_image").on(WorkInstruction.schema).column("image_document_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TaskCompletion.schema).delete()
        try await database.schema(WorkInstruction.schema).delete()
        try await database.schema(Tool.schema).delete()
    }
}
