import Fluent
import SQLKit

/// The catalogue as imported: parts, assemblies with their components in
/// order, categories and subcategories with their assembly references.
/// `source` tells built-in rows from imported ones.
struct CreateCatalog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(table: "catalog_items")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("kind", type: .text, .notNull)
            .column("record", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .run()
        try await sql.create(table: "catalog_categories")
            .column("code", type: .text, .primaryKey(autoIncrement: false))
            .column("position", type: .int, .notNull)
            .column("record", type: .text, .notNull)
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(table: "catalog_categories").run()
        try await sql.drop(table: "catalog_items").run()
    }
}
