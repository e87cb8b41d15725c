import CleanStationCore
import Fluent
import SQLKit

/// Where-used (issue 18): each build's parts and assemblies, indexed by part,
/// filled from the BOMs already stored, a few hundred builds at a time.
struct CreateBuildParts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BuildPart.schema)
            .id()
            .field("build_id", .uuid, .required, .references(Build.schema, "id", onDelete: .cascade))
            .field("part_id", .string, .required)
            .field("quantity", .int, .required)
            .unique(on: "build_id", "part_id")
            .create()
        try await (database as! any SQLDatabase).create(index: "build_parts_by_part").on(BuildPart.schema).column("part_id").run()
        try await Self.fill(on: database)
    }

    /// Every stored build's rows, from its BOM.
    static func fill(on database: any Database) async throws {
        var page = 0
        while true {
            let builds = try await Build.query(on: database).sort(\.$id).range(page * 500..<(page + 1) * 500).all()
            guard !builds.isEmpty else { break }
            for build in builds { try await BuildPart.index(build, on: database) }
            page += 1
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BuildPart.schema).delete()
    }
}
