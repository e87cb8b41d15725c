import Fluent
import SQLKit

/// Who holds a build in production (one assembler at a time).
struct AddBuildClaims: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(Build.schema).field("claimed_by", .uuid, .references(User.schema, "id")).update()
        try await database.schema(Build.schema).field("claimed_at", .datetime).update()
        try await (database as! any SQLDatabase).create(index: "builds_claimed_by").on(Build.schema).column("claimed_by").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "builds_claimed_by").run()
        try await database.schema(Build.schema).deleteField("claimed_at").update()
        try await database.schema(Build.schema).deleteField("claimed_by").update()
    }
}
