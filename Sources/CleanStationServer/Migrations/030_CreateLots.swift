import Fluent
import SQLKit

/// Lot tracking (issue 18): the catalogue items flagged as lot-tracked, and
/// the lots recorded against a build's lines. A lot row is appended, never
/// changed (`DatabaseRoles.appendOnly`); a correction supersedes it, at most
/// once, and a line has one first lot: both held by unique indexes, so that
/// two corrections at once cannot both stand.
struct CreateLots: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { try await Self.create(on: $0) }
    }

    private static func create(on database: any Database) async throws {
        try await database.schema(LotTrackedItem.schema)
            .field("item_id", .string, .identifier(auto: false))
            .field("flagged_by", .uuid, .required, .references(User.schema, "id"))
            .field("flagged_at", .datetime, .required)
            .create()
        try await database.schema(BuildLot.schema)
            .id()
            .field("build_id", .uuid, .required, .references(Build.schema, "id"))
            .field("item_id", .string, .required)
            .field("lot", .string, .required)
            .field("recorded_by", .uuid, .required, .references(User.schema, "id"))
            .field("recorded_at", .datetime, .required)
            .field("supersedes_id", .uuid, .references(BuildLot.schema, "id"))
            .unique(on: "supersedes_id")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "build_lots_build_item").on(BuildLot.schema).column("build_id").column("item_id").run()
        try await sql.create(index: "build_lots_lot").on(BuildLot.schema).column("lot").run()
        try await sql.raw("CREATE UNIQUE INDEX build_lots_first ON build_lots (build_id, item_id) WHERE supersedes_id IS NULL").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BuildLot.schema).delete()
        try await database.schema(LotTrackedItem.schema).delete()
    }
}
