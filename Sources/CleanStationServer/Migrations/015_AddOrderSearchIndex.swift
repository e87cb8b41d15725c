import Fluent
import SQLKit

/// The order search (`q`, a substring of the PO, customer, project or a
/// build number) on PostgreSQL: a trigram index lets `LIKE '%…%'` use an
/// index instead of reading every order. SQLite has no such index; its
/// embedded databases are small.
struct AddOrderSearchIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
        try await sql.raw("CREATE INDEX orders_search_text_trgm ON orders USING gin (search_text gin_trgm_ops)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP INDEX IF EXISTS orders_search_text_trgm").run()
    }
}
