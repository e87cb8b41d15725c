import CleanStationCore
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The catalogue of this instance: held in memory as an immutable snapshot
/// with its BOM generator, and stored in the database, where an import
/// replaces it for every instance.
final class CatalogStore: Sendable {
    struct Snapshot: Sendable {
        var catalog: Catalog
        var generator: BOMGenerator
    }

    private let current: NIOLockedValueBox<Snapshot>

    init(_ catalog: Catalog) {
        current = NIOLockedValueBox(Snapshot(catalog: catalog, generator: BOMGenerator(catalog: catalog)))
    }

    var snapshot: Snapshot { current.withLockedValue { $0 } }

    func replace(with catalog: Catalog) {
        let snapshot = Snapshot(catalog: catalog, generator: BOMGenerator(catalog: catalog))
        current.withLockedValue { $0 = snapshot }
    }

    enum Source: String {
        case builtIn = "BUILT_IN"
        case imported = "IMPORT"
    }

    /// Loads the stored catalogue; an empty store gets the built-in one first.
    static func load(on database: any Database) async throws -> Catalog {
        if let stored = try await read(on: database) { return stored }
        try await database.transaction { try await write(.builtIn, source: .builtIn, on: $0) }
        return .builtIn
    }

    /// Stores an imported catalogue: its records are inserted or updated,
    /// built-in records it does not name are removed (the customer's
    /// catalogue wins), and earlier imported records stay. Importing the
    /// same files twice leaves the same rows.
    static func write(_ catalog: Catalog, source: Source, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var rows: [[any Encodable & Sendable]] = []
        for part in catalog.parts.values {
            rows.append([part.id, "PART", String(decoding: try encoder.encode(part), as: UTF8.self), source.rawValue])
        }
        for assembly in catalog.assemblies.values {
            rows.append([assembly.id, "ASSEMBLY", String(decoding: try encoder.encode(assembly), as: UTF8.self), source.rawValue])
        }
        if source == .imported {
            let ids = Set(catalog.parts.keys).union(catalog.assemblies.keys)
            let builtIn = try await sql.select().column("id").from("catalog_items").where("source", .equal, Source.builtIn.rawValue).all()
                .map { try $0.decode(column: "id", as: String.self) }.filter { !ids.contains($0) }
            for batch in builtIn.chunked(into: 500) {
                try await sql.delete(from: "catalog_items").where("id", .in, Array(batch)).run()
            }
        }
        for batch in rows.chunked(into: 200) {
            var insert = sql.insert(into: "catalog_items").columns("id", "kind", "record", "source")
            for row in batch { insert = insert.values(row.map { SQLBind($0) }) }
            try await insert.onConflict(with: ["id"]) {
                $0.set(excludedValueOf: "kind").set(excludedValueOf: "record").set(excludedValueOf: "source")
            }
            .run()
        }
        if !catalog.categories.isEmpty {
            try await sql.delete(from: "catalog_categories").run()
            var insert = sql.insert(into: "catalog_categories").columns("code", "position", "record")
            for (position, category) in catalog.categories.enumerated() {
                insert = insert.values(
                    SQLBind(category.code), SQLBind(position), SQLBind(String(decoding: try encoder.encode(category), as: UTF8.self)))
            }
            try await insert.run()
        }
    }

    /// The stored catalogue, or `nil` when nothing is stored yet.
    static func read(on database: any Database) async throws -> Catalog? {
        let sql = database as! any SQLDatabase
        let items = try await sql.select().columns("kind", "record").from("catalog_items").all()
        guard !items.isEmpty else { return nil }
        let decoder = JSONDecoder()
        var catalog = Catalog()
        for row in items {
            let record = Data(try row.decode(column: "record", as: String.self).utf8)
            if try row.decode(column: "kind", as: String.self) == "PART" {
                let part = try decoder.decode(CatalogPart.self, from: record)
                catalog.parts[part.id] = part
            } else {
                let assembly = try decoder.decode(CatalogAssembly.self, from: record)
                catalog.assemblies[assembly.id] = assembly
            }
        }
        catalog.categories = try await sql.select().column("record").from("catalog_categories").orderBy("position").all().map {
            try decoder.decode(CatalogCategory.self, from: Data(try $0.decode(column: "record", as: String.self).utf8))
        }
        return catalog
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

struct CatalogStoreKey: StorageKey {
    typealias Value = CatalogStore
}

extension Application {
    var catalogStore: CatalogStore { storage[CatalogStoreKey.self]! }
    var bomGenerator: BOMGenerator { catalogStore.snapshot.generator }
}
