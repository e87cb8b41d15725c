import CleanStationCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct CatalogTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/catalog")

    static func importBody() throws -> ByteBuffer {
        let members = try ["parts", "assemblies", "categories"].map { name in
            JSONMember(name, try JSONParser.parse(Data(contentsOf: shared.appendingPathComponent("\(name).json"))))
        }
        return body(.object(members))
    }

    @Test(arguments: TestDatabase.all)
    func aFirstStartHasTheBuiltInCatalogueAndAnImportReplacesIt(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await app.signIn(.admin)
            let builtIn = try await app.testing().sendRequest(.GET, "api/v1/catalog/items/T2-DL27-KIT", headers: admin)
            #expect(
                try builtIn.json["components"]?.array.compactMap { $0["partId"]?.string }
                    == [CatalogParts.lifterControlBox, CatalogParts.lifterButtonDPF1K, CatalogParts.lifterButtonDPF1C],
                "the built-in kits hold only what the checklists ask about")

            let imported = try await app.testing().sendRequest(.POST, "api/v1/catalog/import", headers: admin, body: try Self.importBody())
            #expect(imported.status == .ok, "\(imported.body.string.prefix(300))")
            #expect(try imported.json["counts"]?["parts"] == 284)
            #expect(try imported.json["gaps"]?.array.count == 1)
            let sql = app.db as! any SQLDatabase
            let count = { try await sql.raw("SELECT COUNT(*) AS n FROM catalog_items").first()?.decode(column: "n", as: Int.self) }
            let afterFirst = try await count()
            #expect(afterFirst == 284 + 318, "built-in records the import does not name are gone")
            _ = try await app.testing().sendRequest(.POST, "api/v1/catalog/import", headers: admin, body: try Self.importBody())
            #expect(try await count() == afterFirst, "importing twice changes nothing")

            let serviceParts = try await app.testing().sendRequest(.GET, "api/v1/catalog/search?type=SERVICE_PART", headers: admin).json
            #expect(serviceParts["total"] == 63)
            let boxes = try await app.testing().sendRequest(.GET, "api/v1/catalog/search?type=SERVICE_PART&q=control%20box", headers: admin)
                .json
            #expect(boxes["items"]?.array.allSatisfy { $0["type"] == "SERVICE_PART" } == true)
            #expect(
                try await app.testing().sendRequest(.GET, "api/v1/catalog/search?type=GADGET", headers: admin).status
                    == .unprocessableEntity)
            let legs = try await app.testing().sendRequest(.GET, "api/v1/catalog/items/T2-DL14-KIT", headers: admin)
            #expect(try legs.json["kind"] == "PART")
            #expect(try legs.json["components"]?.array.contains { $0["partId"] == "DL14000A0E660525" } == true)

            let coordinator = try await app.signIn(.productionCoordinator)
            let order = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            let id = try #require(try order.json["id"]?.string)
            let bom = try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)/builds/B1001/bom", headers: coordinator)
            #expect(try bom.json["items"]?.array.first?["children"]?.array.isEmpty == false, "BOMs expand through the imported catalogue")
        }
    }

    @Test func readingTheCatalogue() async throws {
        try await withTestApp(.sqlite) { app in
            let service = try await app.signIn(.serviceDepartment)
            let accessories = try await app.testing().sendRequest(.GET, "api/v1/catalog/accessories", headers: service)
            let groups = try accessories.json["groups"]?.array ?? []
            #expect(groups.map { $0["code"]?.string ?? "" } == ["702", "703", "704", "705"])
            #expect(groups.map { $0["items"]?.array.count ?? 0 } == [25, 13, 4, 12])
            #expect(groups.first?["items"]?.array.first?["name"] == "Bin rail kit, 24 in")

            let search = try await app.testing().sendRequest(.GET, "api/v1/catalog/search?q=control%20box", headers: service)
            #expect(try search.json["total"] == 10, "the nine control boxes and the lifters' control box the checklists ask about")
            let short = try await app.testing().sendRequest(.GET, "api/v1/catalog/search?q=x", headers: service)
            #expect(short.status == .unprocessableEntity)
            let missing = try await app.testing().sendRequest(.GET, "api/v1/catalog/items/NOPE", headers: service)
            #expect(missing.status == .notFound)
        }
    }

    @Test func aMalformedImportNamesTheFileAndPathAndChangesNothing() async throws {
        try await withTestApp(.sqlite) { app in
            let admin = try await app.signIn(.admin)
            let broken = body([
                "parts": .object([JSONMember("parts", .object([JSONMember("X", .object([JSONMember("name", 5)]))]))]),
                "assemblies": .object([JSONMember("assemblies", .object([]))]),
                "categories": .object([JSONMember("categories", .object([]))]),
            ])
            let response = try await app.testing().sendRequest(.POST, "api/v1/catalog/import", headers: admin, body: broken)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.json["error"]?["details"]?.array.first?["field"] == "parts.json: parts.X.name")
            let still = try await app.testing().sendRequest(.GET, "api/v1/catalog/items/T2-DL27-KIT", headers: admin)
            #expect(still.status == .ok)
        }
    }
}
