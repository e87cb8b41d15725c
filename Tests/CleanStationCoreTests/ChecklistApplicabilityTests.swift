import CleanStationCore
import Foundation
import Testing

/// Which items of the version 2 checklists apply to a build, configuration
/// by configuration and kind by kind, against a reviewed fixture
/// (`Fixtures/checklist-applicability.txt`): each line is an applicable item
/// id, `[N/A allowed]` where the person may still answer N/A, `×N` the
/// quantity to pack (these are compared), and a comment naming the form line
/// it comes from. The BOM is the customer's catalogue's.
///
/// `CLEANSTATION_RECORD_FIXTURES=1 swift test --filter ChecklistApplicabilityTests`
/// rewrites the fixture from the templates; review the diff against the forms.
@Suite struct ChecklistApplicabilityTests {
    struct Case: Sendable {
        var name: String
        var summary: String
        var sink: SinkConfiguration
        var language: Language
    }

    static let haDL27 = Legs(type: .heightAdjustable, model: .dl27)
    static let perforated = Pegboard(type: .perforated, color: .green, size: .sameAsSink)

    static func basin(_ type: BasinType, light: Bool = false, pTrap: Bool = false) -> Basin {
        Basin(type: type, size: .standard(.s24x20x10), pTrap: pTrap, basinLight: light)
    }

    static let cases: [Case] = [
        Case(
            name: "ha-peg-edr2", summary: "T2-B2, height-adjustable DL27, castors, perforated pegboard, 2 E-Drain, wrist blade between 1/2",
            sink: Fixtures.sink(
                pegboard: perforated, faucets: [Faucet(type: .wristBlade, quantity: 1, placement: .between1And2)]), language: .en),
        Case(
            name: "fh-nopeg-edr-di",
            summary: "T2-B2, fixed-height DL27, castors, no pegboard, E-Drain + E-Sink DI (DI gooseneck by default)",
            sink: Fixtures.sink(basins: [basin(.eDrain), basin(.eSinkDI)], legs: Legs(type: .fixedHeight, model: .dl27)), language: .en),
        Case(
            name: "fh14-esk1-seismic",
            summary: "T2-B1, fixed-height DL14, seismic feet, no pegboard, E-Sink with basin light, wrist blade centre",
            sink: Fixtures.sink(
                model: .t2B1, basins: [basin(.eSink, light: true)], legs: Legs(type: .fixedHeight, model: .dl14), feet: .seismicFeet,
                faucets: [Faucet(type: .wristBlade, quantity: 1, placement: .center)]), language: .en),
        Case(
            name: "lc1-peg-esk3-fr",
            summary: "T2-B3, LC1, castors, solid pegboard, 3 E-Sink with lights on 1 and 3, pre-rinse centre, DI water gun, French",
            sink: Fixtures.sink(
                model: .t2B3, length: 90, basins: [basin(.eSink, light: true), basin(.eSink), basin(.eSink, light: true)],
                pegboard: Pegboard(type: .solid, color: nil, size: .sameAsSink), legs: Legs(type: .heightAdjustable, model: .lc1),
                faucets: [Faucet(type: .preRinse, quantity: 1, placement: .center)],
                sprayers: [Sprayer(type: .diWaterGunTurret, quantity: 1, location: .right)]), language: .fr),
        Case(
            name: "ha14-di2-sp", summary: "T2-B2, height-adjustable DL14, 2 E-Sink DI (a DI-only sink), Spanish",
            sink: Fixtures.sink(basins: [basin(.eSinkDI), basin(.eSinkDI)], legs: Legs(type: .heightAdjustable, model: .dl14)),
            language: .sp),
        Case(
            name: "mixed3-peg-fr",
            summary: "T2-B3, DL27, pegboard, E-Drain + E-Sink (light) + E-Sink DI, 2 wrist blades between 1/2, air gun, French",
            sink: Fixtures.sink(
                model: .t2B3, length: 90, basins: [basin(.eDrain), basin(.eSink, light: true), basin(.eSinkDI)], pegboard: perforated,
                faucets: [Faucet(type: .wristBlade, quantity: 2, placement: .between1And2)],
                sprayers: [Sprayer(type: .airGunTurret, quantity: 1, location: .left)]), language: .fr),
        Case(
            name: "edr1-fh-bare", summary: "T2-B1, fixed-height DL27, castors, no pegboard, one E-Drain, no faucet, nothing else",
            sink: Fixtures.sink(model: .t2B1, basins: [basin(.eDrain)], legs: Legs(type: .fixedHeight, model: .dl27)), language: .en),
        Case(
            name: "esk2-peg-accessories",
            summary: "T2-B2, DL27, pegboard, 2 E-Sink, 2 wrist blades centre, 2 air gun rosettes, a bin rail ×2 and a glove dispenser",
            sink: Fixtures.sink(
                basins: [basin(.eSink), basin(.eSink)], pegboard: perforated,
                faucets: [Faucet(type: .wristBlade, quantity: 2, placement: .center)],
                sprayers: [Sprayer(type: .airGunRosette, quantity: 2, location: .left)],
                accessories: [AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 2), AccessoryLine(id: "T-OA-PB-SS-1GLOVE", quantity: 1)]),
            language: .en),
        Case(
            name: "di1-peg-fr", summary: "T2-B1, fixed-height DL14, seismic feet, custom pegboard, one E-Sink DI, French",
            sink: Fixtures.sink(
                model: .t2B1, basins: [basin(.eSinkDI)],
                pegboard: Pegboard(type: .perforated, color: .blue, size: .custom(width: 50, length: 36)),
                legs: Legs(type: .fixedHeight, model: .dl14), feet: .seismicFeet), language: .fr),
        Case(
            name: "edr3-ha-lights",
            summary: "T2-B3, DL27, seismic feet, no pegboard, 3 E-Drain with lights and P-traps, wrist blades between 1/2 and 2/3",
            sink: Fixtures.sink(
                model: .t2B3, length: 100,
                basins: [
                    basin(.eDrain, light: true, pTrap: true), basin(.eDrain, light: true, pTrap: true),
                    basin(.eDrain, light: true, pTrap: true),
                ],
                feet: .seismicFeet,
                faucets: [
                    Faucet(type: .wristBlade, quantity: 1, placement: .between1And2),
                    Faucet(type: .wristBlade, quantity: 1, placement: .between2And3),
                ]), language: .en),
        Case(
            name: "esk-edr-fh-sp",
            summary:
                "T2-B2, fixed-height DL27, pegboard, E-Sink + E-Drain (light), pre-rinse centre, DI water gun rosette, an accessory, Spanish",
            sink: Fixtures.sink(
                basins: [basin(.eSink), basin(.eDrain, light: true)], pegboard: perforated, legs: Legs(type: .fixedHeight, model: .dl27),
                faucets: [Faucet(type: .preRinse, quantity: 1, placement: .center)],
                sprayers: [Sprayer(type: .diWaterGunRosette, quantity: 1, location: .right)],
                accessories: [AccessoryLine(id: "T-OA-MNT-ARM", quantity: 1)]), language: .sp),
        Case(
            name: "di-edr-di-lc1-fr",
            summary: "T2-B3, LC1, no pegboard, E-Sink DI + E-Drain + E-Sink DI (light), DI goosenecks between 1/2 and 2/3, French",
            sink: Fixtures.sink(
                model: .t2B3, length: 84, basins: [basin(.eSinkDI), basin(.eDrain), basin(.eSinkDI, light: true)],
                legs: Legs(type: .heightAdjustable, model: .lc1),
                faucets: [
                    Faucet(type: .diGooseneck, quantity: 1, placement: .between1And2),
                    Faucet(type: .diGooseneck, quantity: 1, placement: .between2And3),
                ]), language: .fr),
    ]

    static let fixture = Fixtures.repositoryRoot.appendingPathComponent("Tests/CleanStationCoreTests/Fixtures/checklist-applicability.txt")

    /// The fixture's text for the templates as they are.
    static func render() -> String {
        var text = """
            # Applicable items of the version 2 checklists, per configuration and kind.
            # Reviewed against CLP.T2.001.V01, CLT.T2.001.V01 and CLQ.T2.001.V01 (../shared/customer).
            # A line: the item id, "[N/A allowed]" where the person may answer N/A, "×N" the quantity to pack
            # (all compared), then after "#" the form line it comes from. Items not listed do not apply and show as N/A.

            """
        for testCase in cases {
            for template in ChecklistTemplate.seedsV2 {
                text += "\n[\(testCase.name) \(template.kind.rawValue)]  # \(testCase.summary)\n"
                for item in template.instantiate(in: Fixtures.context(testCase.sink, language: testCase.language)).applicableItems {
                    let entry = item.id + (item.naAllowed ? " [N/A allowed]" : "") + (item.expectedQuantity.map { " ×\($0)" } ?? "")
                    text += entry.padding(toLength: max(entry.count + 1, 56), withPad: " ", startingAt: 0) + "# \(item.source ?? "")\n"
                }
            }
        }
        return text
    }

    /// The fixture read back: for each `name KIND`, its entries without comments.
    static func read(_ text: String) -> [String: [String]] {
        var sections: [String: [String]] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let entry =
                line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if entry.hasPrefix("[") && entry.hasSuffix("]") {
                current = String(entry.dropFirst().dropLast())
                sections[current!] = []
            } else if !entry.isEmpty, let current {
                sections[current]!.append(entry)
            }
        }
        return sections
    }

    @Test func theCasesCoverWhatTheIssueAsks() {
        let sinks = Self.cases.map(\.sink)
        #expect(Self.cases.count >= 12)
        #expect(Set(sinks.map(\.legs.type)) == Set(LegsType.allCases))
        #expect(sinks.contains { $0.pegboard == nil } && sinks.contains { $0.pegboard != nil })
        #expect(Set(sinks.flatMap { $0.basins.map(\.type) }) == Set(BasinType.allCases))
        #expect(sinks.contains { Set($0.basins.map(\.type)).count > 1 }, "a mixed sink")
        #expect(sinks.contains { $0.basins.allSatisfy { $0.type == .eSinkDI } }, "a DI-only sink")
        #expect(sinks.contains { !$0.accessories.isEmpty })
        #expect(Set(Self.cases.map(\.language)) == Set(Language.allCases))
        for sink in sinks { #expect(sink.withDefaults().validationErrors().isEmpty, "\(sink)") }
    }

    @Test func applicableItemsMatchTheReviewedFixture() throws {
        let rendered = Self.render()
        if ProcessInfo.processInfo.environment["CLEANSTATION_RECORD_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(at: Self.fixture.deletingLastPathComponent(), withIntermediateDirectories: true)
            try rendered.write(to: Self.fixture, atomically: true, encoding: .utf8)
        }
        let expected = Self.read(try String(contentsOf: Self.fixture, encoding: .utf8))
        let actual = Self.read(rendered)
        #expect(expected.keys.sorted() == actual.keys.sorted())
        for key in actual.keys.sorted() {
            let want = expected[key] ?? []
            let have = actual[key] ?? []
            #expect(
                want == have,
                "\(key): only in the fixture \(want.filter { !have.contains($0) }), only in the templates \(have.filter { !want.contains($0) })"
            )
        }
    }
}
