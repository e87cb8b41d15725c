import CleanStationCore
import Foundation
import Testing

@Suite struct CatalogLoaderTests {
    @Test func loadsTheCustomerCatalogue() {
        let loaded = Fixtures.fullCatalog
        #expect(loaded.report.counts == CatalogReport.Counts(parts: 284, assemblies: 318, categories: 6, subcategories: 46))
        #expect(loaded.report.missingReferences.isEmpty)
        #expect(loaded.report.duplicateIds.isEmpty)
        #expect(loaded.report.cycles == [["ASSY-T2-OA-PO-SHLF-1212", "T2-OA-PO-SHLF-1212", "ASSY-T2-OA-PO-SHLF-1212"]])
        let colour = loaded.catalog.parts["708.77"]
        #expect(colour?.vendor == "TORVAN")
        #expect(colour?.manufacturerPartNumber == nil)
        let box = loaded.catalog.assemblies["T2-CTRL-EDR1"]
        #expect(box?.type == .servicePart)
        #expect(box?.components.first == CatalogComponent(partId: "Q13404-02", quantity: 1))
    }

    func load(
        parts: String = #"{"parts": {}}"#, assemblies: String = #"{"assemblies": {}}"#, categories: String = #"{"categories": {}}"#
    )
        throws(CatalogLoadError) -> CatalogLoader.Loaded
    {
        try CatalogLoader.load(parts: Data(parts.utf8), assemblies: Data(assemblies.utf8), categories: Data(categories.utf8))
    }

    @Test func reportsGapsWithoutFailing() throws {
        let loaded = try load(
            parts: #"{"parts": {"P1": {"name": "One"}, "P1": {"name": "Again"}, "A1": {"name": "Also an assembly"}}}"#,
            assemblies: #"""
                {"assemblies": {
                  "A1": {"name": "A", "type": "KIT", "components": [{"part_id": "P1", "quantity": 2}, {"part_id": "GHOST", "quantity": 1}]},
                  "A2": {"name": "B", "type": "SIMPLE", "components": [{"part_id": "A3", "quantity": 1}]},
                  "A3": {"name": "C", "type": "SIMPLE", "components": [{"part_id": "A2", "quantity": 1}]}
                }}
                """#,
            categories:
                #"{"categories": {"700": {"name": "Cat", "subcategories": {"700.1": {"name": "Sub", "assembly_refs": ["A1", "MISSING"]}}}}}"#
        )
        #expect(loaded.catalog.parts["P1"]?.name == "One")
        #expect(
            loaded.report.missingReferences.map(\.description) == [
                "GHOST is referenced by assembly A1 but defined nowhere", "MISSING is referenced by subcategory 700.1 but defined nowhere",
            ])
        #expect(
            loaded.report.duplicateIds.map(\.description) == [
                "P1 is defined more than once in parts.json", "A1 is defined more than once in parts.json and assemblies.json",
            ])
        #expect(loaded.report.cycles == [["A2", "A3", "A2"]])
        #expect(!loaded.report.isClean)
        #expect(loaded.report.gapLines.count == 5)
    }

    @Test(arguments: [
        (#"{"parts": {"X": {"name": 5}}}"#, #"parts.json: parts.X.name: must be a string, not a number"#),
        (#"{"parts": {"708.77": {"name": "C", "vendor": []}}}"#, #"parts.json: parts["708.77"].vendor: must be a string, not an array"#),
        (#"{"parts": []}"#, "parts.json: parts: must be an object keyed by id, not an array"),
        (#"{"items": {}}"#, "parts.json: parts: is required"),
        (#"{"parts": {"X": {"name": "Y"}"#, "parts.json: parts: is not valid JSON: unexpected end of file"),
    ])
    func malformedPartsNameFileAndPath(parts: String, message: String) {
        #expect {
            try load(parts: parts)
        } throws: { error in
            let description = (error as? CatalogLoadError)?.description ?? ""
            #expect(description.hasPrefix(message), "\(description)")
            return true
        }
    }

    @Test func malformedAssembliesNameEveryProblem() {
        let assemblies = #"""
            {"assemblies": {"A": {"name": "A", "type": "BOX", "components": [{"part_id": 7, "quantity": 1}, {"part_id": "P", "quantity": 0}]}}}
            """#
        #expect {
            try load(assemblies: assemblies)
        } throws: { error in
            let problems = (error as? CatalogLoadError)?.problems.map(\.description) ?? []
            #expect(
                problems == [
                    "assemblies.json: assemblies.A.type: \"BOX\" is not one of KIT, SIMPLE, COMPLEX, SERVICE_PART",
                    "assemblies.json: assemblies.A.components[0].part_id: must be a string, not a number",
                    "assemblies.json: assemblies.A.components[1].quantity: must be at least 1, not 0",
                ])
            return true
        }
    }

    @Test func aMissingDirectoryNamesEachFile() {
        #expect {
            try CatalogLoader.load(directory: URL(fileURLWithPath: "/nonexistent/catalog"))
        } throws: { error in
            let problems = (error as? CatalogLoadError)?.problems ?? []
            #expect(problems.map(\.file) == ["parts.json", "assemblies.json", "categories.json"])
            #expect(problems.allSatisfy { $0.message.contains("No such file or directory") })
            return true
        }
    }

    @Test func everyTruncationOfARealFileIsAnErrorNotACrash() throws {
        let text = try Data(contentsOf: Fixtures.sharedCatalog.appendingPathComponent("categories.json"))
        for length in stride(from: 0, to: text.count - 1, by: 97) {
            #expect(throws: CatalogLoadError.self) {
                try CatalogLoader.load(
                    parts: Data(#"{"parts": {}}"#.utf8), assemblies: Data(#"{"assemblies": {}}"#.utf8), categories: text.prefix(length))
            }
        }
    }

    @Test func theBuiltInCatalogueNamesEveryRuleIdAndAccessory() {
        let catalog = Catalog.builtIn
        var expected = Set(Accessories.all.map(\.id))
        for language in Language.allCases {
            let sink = Fixtures.sink(pegboard: Pegboard(type: .perforated, color: .red, size: .sameAsSink))
            expected.formUnion(BOMRules.lines(for: sink, language: language).map(\.id))
        }
        for id in expected {
            #expect(catalog.contains(id), "\(id)")
        }
        #expect(catalog.parts.count + catalog.assemblies.count == 106 + 20, "the rules' ids and the 20 parts the checklists ask about")
        // The kits hold only what the checklists ask about, each as the customer's catalogue has it.
        let full = Fixtures.fullCatalog.catalog
        for assembly in catalog.assemblies.values where !assembly.components.isEmpty {
            let inFull = Set(full.components(of: assembly.id).map(\.partId))
            for component in assembly.components { #expect(inFull.contains(component.partId), "\(assembly.id) holds \(component.partId)") }
        }
        #expect(catalog.assemblies.values.count { !$0.components.isEmpty } == 10)
    }
}
