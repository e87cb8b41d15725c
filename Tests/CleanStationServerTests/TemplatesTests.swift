import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct TemplatesTests {
    @Test(arguments: TestDatabase.all)
    func editingMakesTheNextVersionAndRetiringKeepsOne(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await app.signIn(.admin)
            let list = try await app.testing().sendRequest(.GET, "api/v1/checklist-templates", headers: admin).json.array
            // Version 1 of each kind, retired when version 2 arrived (ADR 008), and version 2.
            #expect(
                list.map { $0["kind"]?.string ?? "" }.sorted() == ChecklistKind.allCases.flatMap { [$0.rawValue, $0.rawValue] }.sorted())
            #expect(list.filter { $0["retired"] == false }.map { $0["version"] } == Array(repeating: 2, count: 5))
            let preQC = try #require(list.first { $0["kind"] == "PRE_QC" && $0["version"] == 2 })
            let id = try #require(preQC["id"]?.string)
            let shown = try await app.testing().sendRequest(.GET, "api/v1/checklist-templates/\(id)", headers: admin).json
            var definition = try #require(shown["definition"])
            let firstSection = definition["sections"]!.array[0]
            let edited = firstSection.setting(
                [.key("items")],
                to: .array(
                    firstSection["items"]!.array + [
                        firstSection["items"]!.array[0].setting([.key("id")], to: "pre-qc.label").setting(
                            [.key("text")], to: "Build label present")
                    ]))
            definition = definition.setting([.key("sections"), .index(0)], to: edited)

            let duplicate = definition.setting(
                [.key("sections"), .index(0), .key("items"), .index(1), .key("id")], to: "pre-qc.job-id")
            let refused = try await app.testing().sendRequest(
                .POST, "api/v1/checklist-templates/\(id)/versions", headers: admin, body: body(duplicate))
            #expect(refused.status == .unprocessableEntity)
            #expect(try refused.json["error"]?["details"]?.array.first?["field"] == "sections[0].items[1].id")

            let created = try await app.testing().sendRequest(
                .POST, "api/v1/checklist-templates/\(id)/versions", headers: admin, body: body(definition))
            #expect(created.status == .created, "\(created.body.string)")
            #expect(try created.json["version"] == 3)
            let second = try #require(try created.json["id"]?.string)

            let coordinator = try await app.signIn(.productionCoordinator)
            let order = try await app.createOrder(headers: coordinator)
            let instance = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(order)/builds/B1001/checklists/pre-qc", headers: coordinator
            ).json
            #expect(instance["templateVersion"] == 3, "a checklist not yet written to follows the newest version")
            #expect(instance["sections"]?.array.first?["items"]?.array.contains { $0["id"] == "pre-qc.label" } == true)

            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/checklist-templates/\(id)/retire", headers: admin).json["retired"]
                    == true)
            let last = try await app.testing().sendRequest(.POST, "api/v1/checklist-templates/\(second)/retire", headers: admin)
            #expect(last.status == .conflict)
        }
    }
}
