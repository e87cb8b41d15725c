import CleanStationCore
import Fluent
import Foundation
import SQLKit

/// Where-used (issue 18): each build's parts and assemblies, indexed by part,
/// filled from the BOMs already stored, in the migration's one transaction:
/// a BOM that cannot be read leaves nothing behind, and the migration runs
/// again once it is mended.
struct CreateBuildParts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(BuildPart.schema)
                .id()
                .field("build_id", .uuid, .required, .references(Build.schema, "id", onDelete: .cascade))
                .field("part_id", .string, .required)
                .field("quantity", .int, .required)
                .unique(on: "build_id", "part_id")
                .create()
            try await (transaction as! any SQLDatabase).create(index: "build_parts_by_part").on(BuildPart.schema).column("part_id").run()
            try await Self.fill(on: transaction)
        }
    }

    /// Every stored build's rows, from its BOM: the two columns it needs, 500 builds at a time after the last id
    /// (not the model, whose later fields this migration must not depend on).
    static func fill(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        var last: UUID?
        while true {
            var select = sql.select().column("id").column("bom").from(Build.schema).orderBy("id").limit(500)
            if let last { select = select.where("id", .greaterThan, SQLBind(last)) }
            let rows = try await select.all()
            guard !rows.isEmpty else { break }
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                try await BuildPart.index(build: id, bom: try row.decode(column: "bom", as: String.self), on: database)
                last = id
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BuildPart.schema).delete()
    }
}
