import CleanStationCore
import Fluent
import Foundation

/// One part or assembly in a build's BOM, with its quantity (issue 18): the
/// index behind where-used, so that a recall list is one indexed query and
/// not a read of every BOM. Written with the BOM, in its transaction.
final class BuildPart: Model, @unchecked Sendable {
    static let schema = "build_parts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "build_id") var build: Build
    @Field(key: "part_id") var partID: String
    @Field(key: "quantity") var quantity: Int

    init() {}

    init(build: UUID, part: String, quantity: Int) {
        self.id = UUID()
        self.$build.id = build
        self.partID = part
        self.quantity = quantity
    }

    /// Every part and assembly of `bom`, at every level, with how many the sink holds: the flat list's total where
    /// it has the line, otherwise the tree's, each node's quantity (per one of its parent, ADR 002) times its parents'.
    static func rows(of bom: BOMDocument, build: UUID) -> [BuildPart] {
        var quantities: [String: Int] = [:]
        var order: [String] = []
        func walk(_ items: [BOMItem], times parents: Int) {
            for item in items {
                if quantities[item.id] == nil { order.append(item.id) }
                quantities[item.id, default: 0] += item.quantity * parents
                walk(item.children, times: item.quantity * parents)
            }
        }
        walk(bom.items, times: 1)
        for line in bom.lines {
            if quantities[line.id] == nil { order.append(line.id) }
            quantities[line.id] = line.quantity
        }
        return order.map { BuildPart(build: build, part: $0, quantity: quantities[$0] ?? 0) }
    }

    /// The build's rows again, from its BOM as stored now.
    static func index(_ build: Build, on database: any Database) async throws {
        try await index(build: try build.requireID(), bom: build.bom, on: database)
    }

    static func index(build id: UUID, bom: String, on database: any Database) async throws {
        try await BuildPart.query(on: database).filter(\.$build.$id == id).delete()
        try await rows(of: try JSONDecoder().decode(BOMDocument.self, from: Data(bom.utf8)), build: id).create(on: database)
    }
}
