import CleanStationCore
import Foundation
import Testing

@Suite struct BOMGeneratorTests {
    /// A catalogue small enough to reason about: a body made of a frame and
    /// two plates (a part expanded through its `ASSY-` twin), legs with a
    /// dangling component, and a self-containing shelf.
    static let catalog = Catalog(
        parts: [
            "FRAME": CatalogPart(id: "FRAME", name: "Frame"),
            "PLATE-PAIR": CatalogPart(id: "PLATE-PAIR", name: "Plate pair"),
            "PLATE": CatalogPart(id: "PLATE", name: "Plate"),
            "SCREW": CatalogPart(id: "SCREW", name: "Screw, 1/4\""),
            "SHELF": CatalogPart(id: "SHELF", name: "Shelf"),
            "EMPTY-TWIN": CatalogPart(id: "EMPTY-TWIN", name: "Part with an empty twin"),
            "708.77": CatalogPart(id: "708.77", name: "Colour component"),
        ],
        assemblies: [
            "T2-BODY-48-60-HA": CatalogAssembly(
                id: "T2-BODY-48-60-HA", name: "Body", type: .complex,
                components: [
                    CatalogComponent(partId: "FRAME", quantity: 1), CatalogComponent(partId: "PLATE-PAIR", quantity: 2),
                    CatalogComponent(partId: "SCREW", quantity: 4), CatalogComponent(partId: "EMPTY-TWIN", quantity: 1),
                ]),
            "ASSY-PLATE-PAIR": CatalogAssembly(
                id: "ASSY-PLATE-PAIR", name: "Plate pair", type: .simple,
                components: [CatalogComponent(partId: "PLATE", quantity: 2), CatalogComponent(partId: "SCREW", quantity: 3)]),
            "ASSY-EMPTY-TWIN": CatalogAssembly(id: "ASSY-EMPTY-TWIN", name: "Empty", type: .simple),
            "T2-DL27-KIT": CatalogAssembly(
                id: "T2-DL27-KIT", name: "Legs", type: .kit,
                components: [CatalogComponent(partId: "SCREW", quantity: 8), CatalogComponent(partId: "NOWHERE-1", quantity: 2)]),
            "T-OA-BINRAIL-24-KIT": CatalogAssembly(
                id: "T-OA-BINRAIL-24-KIT", name: "Bin rail", type: .kit, components: [CatalogComponent(partId: "SHELF", quantity: 1)]),
            "ASSY-SHELF": CatalogAssembly(
                id: "ASSY-SHELF", name: "Shelf", type: .simple,
                components: [CatalogComponent(partId: "SHELF", quantity: 1), CatalogComponent(partId: "SCREW", quantity: 2)]),
            "T2-STD-MANUAL-EN-KIT": CatalogAssembly(id: "T2-STD-MANUAL-EN-KIT", name: "Manual", type: .kit),
        ])

    let generator = BOMGenerator(catalog: Self.catalog)

    func bom(_ sink: SinkConfiguration = Fixtures.sink(), language: Language = .en) -> BOMDocument {
        generator.bom(for: sink, language: language)
    }

    func item(_ id: String, in document: BOMDocument) throws -> BOMItem {
        try #require(document.items.first { $0.id == id })
    }

    @Test func expandsRecursivelyWithQuantitiesPerParent() throws {
        let body = try item("T2-BODY-48-60-HA", in: bom())
        #expect(body.kind == .assembly)
        #expect(body.itemNumber == "709.82")
        #expect(body.children.map(\.id) == ["FRAME", "PLATE-PAIR", "SCREW", "EMPTY-TWIN"])
        let pair = body.children[1]
        #expect(pair.kind == .assembly)
        #expect(pair.quantity == 2)
        #expect(pair.children.map { "\($0.id)×\($0.quantity)" } == ["PLATE×2", "SCREW×3"])
        #expect(body.children[3].kind == .part)
        #expect(body.children[3].children.isEmpty)
    }

    @Test func linesAreTheLeavesWithTotalsSortedById() throws {
        let document = bom()
        let totals = Dictionary(uniqueKeysWithValues: document.lines.map { ($0.id, $0.quantity) })
        // Body: 4 + 2 × 3; legs: 8.
        #expect(totals["SCREW"] == 18)
        #expect(totals["PLATE"] == 4)
        #expect(totals["PLATE-PAIR"] == nil)
        #expect(totals["T2-BODY-48-60-HA"] == nil)
        #expect(totals["T2-STD-MANUAL-EN-KIT"] == 1)
        #expect(document.lines.map(\.id) == document.lines.map(\.id).sorted())
    }

    @Test func unknownIdsStayAsLinesWithWarnings() throws {
        let document = bom()
        let castor = try item("T2-LEVELING-CASTOR-475", in: document)
        #expect(castor.kind == .unknown)
        #expect(castor.inCatalog == false)
        #expect(castor.name == nil)
        #expect(document.warnings.contains("T2-LEVELING-CASTOR-475 is not in the catalogue"))
        #expect(document.warnings.contains("NOWHERE-1 is not in the catalogue"))
        let legs = try item("T2-DL27-KIT", in: document)
        #expect(legs.children.last?.inCatalog == false)
        #expect(document.lines.contains { $0.id == "NOWHERE-1" && $0.quantity == 2 && $0.kind == .unknown })
    }

    @Test func cyclesAreReportedAndCut() throws {
        let document = bom(Fixtures.sink(accessories: [AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 3)]))
        let rail = try item("T-OA-BINRAIL-24-KIT", in: document)
        let shelf = try #require(rail.children.first)
        #expect(shelf.kind == .assembly)
        #expect(shelf.children.map(\.id) == ["SHELF", "SCREW"])
        #expect(shelf.children[0].children.isEmpty)
        #expect(shelf.children[0].kind == .part)
        #expect(document.warnings.contains { $0.hasPrefix("cycle in the catalogue: ASSY-SHELF → ASSY-SHELF") })
        let totals = Dictionary(uniqueKeysWithValues: document.lines.map { ($0.id, $0.quantity) })
        #expect(totals["SHELF"] == 3)
        #expect(totals["SCREW"] == 18 + 6)
    }

    @Test func anIdMissingIsFoundThroughItsItemNumber() throws {
        let sink = Fixtures.sink(pegboard: Pegboard(type: .perforated, color: .blue, size: .sameAsSink))
        let document = bom(sink)
        let colour = try item("T-OA-PB-COLOR", in: document)
        #expect(colour.inCatalog)
        #expect(colour.name == "Colour component")
        #expect(colour.itemNumber == "708.77")
        #expect(colour.attributes == ["color": "BLUE"])
        #expect(document.lines.first { $0.id == "T-OA-PB-COLOR" }?.attributes == ["color": "BLUE"])
        #expect(!document.warnings.contains { $0.contains("T-OA-PB-COLOR") })
    }

    @Test func customPartsAreLeavesWithTheirSeries() throws {
        let sink = Fixtures.sink(basins: [
            Basin(type: .eDrain, size: .custom(width: 26, length: 20, depth: 9)),
            Basin(type: .eDrain, size: .custom(width: 26, length: 20, depth: 9)),
        ])
        let document = bom(sink)
        let custom = try item("T2-ADW-BASIN-26X20X9", in: document)
        #expect(custom.kind == .custom)
        #expect(custom.quantity == 2)
        #expect(custom.series == "720.215.001")
        #expect(custom.inCatalog == false)
        #expect(custom.children.isEmpty)
        #expect(document.lines.contains { $0.id == "T2-ADW-BASIN-26X20X9" && $0.quantity == 2 && $0.series == "720.215.001" })
        #expect(!document.warnings.contains { $0.contains("T2-ADW-BASIN-26X20X9") })
    }

    @Test func isByteForByteDeterministic() {
        let sink = Fixtures.sink(
            pegboard: Pegboard(type: .perforated, color: .blue, size: .sameAsSink),
            accessories: [AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 1)])
        let first = JSONSerializer.data(bom(sink).jsonValue, style: .pretty)
        let again = JSONSerializer.data(BOMGenerator(catalog: Self.catalog).bom(for: sink, language: .en).jsonValue, style: .pretty)
        #expect(first == again)
    }

    @Test func theDocumentHasTheShapeOfTheSpecification() throws {
        let json = bom().jsonValue
        #expect(json["buildNumber"] == "B1001")
        let body = try #require(json["items"].flatMap { $0.array.first })
        #expect(body.members.map(\.key) == ["id", "itemNumber", "name", "kind", "quantity", "inCatalog", "children"])
        let child = try #require(body["children"].flatMap { $0.array.first })
        #expect(child.members.map(\.key) == ["id", "name", "kind", "quantity", "inCatalog", "children"])
        let line = try #require(json["lines"].flatMap { $0.array.first })
        #expect(line.members.map(\.key) == ["id", "name", "kind", "quantity", "inCatalog"])
        let decoded = try JSONDecoder().decode(BOMDocument.self, from: JSONSerializer.data(json))
        #expect(decoded == bom())
        #expect(
            try JSONSerializer.data(JSONParser.parse(JSONEncoder().encode(bom())), style: .canonical)
                == JSONSerializer.data(json, style: .canonical))
    }

    @Test func csvHasOneRowPerNodeWithItsLevel() {
        let csv = bom().csv()
        let rows = csv.components(separatedBy: "\r\n")
        #expect(rows[0] == "level,itemNumber,id,name,quantity,kind,options")
        #expect(rows[1] == "1,709.82,T2-BODY-48-60-HA,Body,1,ASSEMBLY,")
        #expect(rows[2] == "2,,FRAME,Frame,1,PART,")
        #expect(rows[3] == "2,,PLATE-PAIR,Plate pair,2,ASSEMBLY,")
        #expect(rows[4] == "3,,PLATE,Plate,2,PART,")
        #expect(rows[6] == "2,,SCREW,\"Screw, 1/4\"\"\",4,PART,")
        #expect(rows.last == "")
        func count(_ items: [BOMItem]) -> Int { items.reduce(0) { $0 + 1 + count($1.children) } }
        #expect(rows.count - 2 == count(bom().items))
    }
}

/// The same engine against the customer's catalogue.
@Suite struct FullCatalogBOMTests {
    let generator = BOMGenerator(catalog: Fixtures.fullCatalog.catalog)

    @Test func theSpecificationExample() throws {
        let sink = try SinkConfiguration.valid(Fixtures.specExample)
        let document = generator.bom(for: sink, language: .en)
        #expect(document.items.count == 18)
        #expect(document.items.allSatisfy { $0.inCatalog || $0.kind == .custom })
        #expect(document.warnings.isEmpty, "\(document.warnings)")
        let body = try #require(document.items.first)
        #expect(body.children.map(\.id).first == "T2-ADW-48-60-FRAME")
        let colour = try #require(document.items.first { $0.id == "T-OA-PB-COLOR" })
        #expect(colour.name == "COLORSAFE+ PEGBOARD COLOR COMPONENT")
        #expect(colour.attributes == ["color": "GREEN"])
    }

    @Test func partsWithAnAssyTwinExpand() throws {
        let sink = Fixtures.sink(legs: Legs(type: .heightAdjustable, model: .dl14))
        let legs = try #require(generator.bom(for: sink, language: .en).items.first { $0.id == "T2-DL14-KIT" })
        #expect(legs.kind == .assembly)
        #expect(!legs.children.isEmpty)
        #expect(legs.children.map(\.id).contains("DL14000A0E660525"))
    }

    @Test func theSelfContainingShelfIsCutWithAWarning() {
        let generator = BOMGenerator(catalog: Fixtures.fullCatalog.catalog)
        var catalog = Fixtures.fullCatalog.catalog
        catalog.assemblies["T-OA-BINRAIL-24-KIT"]?.components.append(CatalogComponent(partId: "T2-OA-PO-SHLF-1212", quantity: 1))
        let document = BOMGenerator(catalog: catalog).bom(
            for: Fixtures.sink(accessories: [AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 1)]), language: .en)
        #expect(document.warnings.contains { $0.contains("ASSY-T2-OA-PO-SHLF-1212 → ASSY-T2-OA-PO-SHLF-1212") })
        #expect(document.lines.contains { $0.id == "T2-OA-PO-SHLF-1212" && $0.quantity == 1 })
        #expect(generator.bom(for: Fixtures.sink(), language: .en).warnings.isEmpty)
    }

    @Test func everyRuleIdAndAccessoryIsInTheCustomerCatalogueOrResolvable() {
        let catalog = Fixtures.fullCatalog.catalog
        for entry in Accessories.all {
            #expect(catalog.contains(entry.id), "\(entry.id)")
        }
    }
}
