import CleanStationCore
import PropertyBased
import Testing

/// Invariants over random configurations, valid and not.
@Suite struct BOMPropertyTests {
    static let generators = [BOMGenerator(catalog: Fixtures.fullCatalog.catalog), BOMGenerator(catalog: .builtIn)]

    @Test func validConfigurationsGiveOneOfEachAndConsistentTotals() async {
        await propertyCheck(count: 400, input: Gen.uint64(in: UInt64.min...UInt64.max)) { seed in
            var random = SplitMix64(seed: seed)
            let sink = RandomSink.configuration(&random)
            let language = Language.allCases.randomElement(using: &random)!
            guard sink.validationErrors().isEmpty else { return }
            for generator in Self.generators {
                let document = generator.bom(for: sink, language: language)
                let ids = document.items.map(\.id)
                #expect(ids.filter { $0.hasPrefix("T2-BODY-") }.count == 1)
                #expect(
                    ids.filter { ["T2-DL27-KIT", "T2-DL14-KIT", "T2-LC1-KIT", "T2-DL27-FH-KIT", "T2-DL14-FH-KIT"].contains($0) }.count == 1)
                #expect(ids.filter { $0.hasPrefix("T2-CTRL-") }.count == 1)
                #expect(ids.filter { $0.hasPrefix("T2-STD-MANUAL-") } == ["T2-STD-MANUAL-\(language.rawValue)-KIT"])
                #expect(Set(ids).count == ids.count, "top-level lines are merged")
                #expect(document.lines == document.lines.sorted { $0.id < $1.id })
                #expect(Self.leafTotals(document.items) == Dictionary(uniqueKeysWithValues: document.lines.map { ($0.id, $0.quantity) }))
                #expect(document.items.allSatisfy { $0.kind != .unknown }, "every rule id is in both catalogues")
            }
        }
    }

    @Test func everyValidConfigurationReadsBackFromItsJSON() async {
        await propertyCheck(count: 400, input: Gen.uint64(in: UInt64.min...UInt64.max)) { seed in
            var random = SplitMix64(seed: seed)
            let sink = RandomSink.configuration(&random)
            switch SinkConfiguration.read(sink.jsonValue) {
            case .success(let read):
                #expect(read == sink.withDefaults())
            case .failure(let failure):
                #expect(!failure.errors.isEmpty)
                #expect(failure.errors == sink.validationErrors())
            }
        }
    }

    @Test func invalidConfigurationsNeverTrapTheGenerator() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: UInt64.min...UInt64.max)) { seed in
            var random = SplitMix64(seed: seed)
            var sink = RandomSink.configuration(&random)
            sink.basins = Array(sink.basins.prefix(Int.random(in: 0...3, using: &random)))
            sink.length = Double.random(in: -10...500, using: &random)
            let document = Self.generators[0].bom(for: sink, language: .en)
            #expect(Self.leafTotals(document.items) == Dictionary(uniqueKeysWithValues: document.lines.map { ($0.id, $0.quantity) }))
        }
    }

    /// Guards the properties above against passing vacuously.
    @Test func randomSinksAreOftenValidAndSometimesNot() {
        var random = SplitMix64(seed: 42)
        let valid = (0..<300).filter { _ in RandomSink.configuration(&random).validationErrors().isEmpty }.count
        #expect((60...280).contains(valid), "\(valid) of 300 valid")
    }

    /// Totals computed from the tree itself: a leaf's quantity times its ancestors'.
    static func leafTotals(_ items: [BOMItem], factor: Int = 1) -> [String: Int] {
        var totals: [String: Int] = [:]
        for item in items {
            if item.children.isEmpty {
                totals[item.id, default: 0] += item.quantity * factor
            } else {
                totals.merge(leafTotals(item.children, factor: item.quantity * factor), uniquingKeysWith: +)
            }
        }
        return totals
    }
}

/// A small deterministic generator, seeded by the property checker.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Configurations over every option, mostly valid, sometimes not.
enum RandomSink {
    static func configuration(_ random: inout SplitMix64) -> SinkConfiguration {
        let model = SinkModel.allCases.randomElement(using: &random)!
        let legsType = LegsType.allCases.randomElement(using: &random)!
        let legsModels: [LegsModel] = legsType == .heightAdjustable ? LegsModel.allCases : [.dl27, .dl14]
        let pegboard: Pegboard? =
            Bool.random(using: &random)
            ? Pegboard(
                type: PegboardType.allCases.randomElement(using: &random)!,
                color: Bool.random(using: &random) ? PegboardColor.allCases.randomElement(using: &random) : nil,
                size: Bool.random(using: &random)
                    ? .sameAsSink : .custom(width: dimension(&random, 20...130), length: dimension(&random, 20...48)))
            : nil
        let basins = (0..<model.basinCount).map { _ in
            Basin(
                type: BasinType.allCases.randomElement(using: &random)!,
                size: Int.random(in: 0..<4, using: &random) == 0
                    ? .custom(width: dimension(&random, 10...40), length: dimension(&random, 10...30), depth: dimension(&random, 4...16))
                    : .standard(StandardBasinSize.allCases.randomElement(using: &random)!),
                pTrap: Bool.random(using: &random), basinLight: Bool.random(using: &random))
        }
        let placements = FaucetPlacement.allCases.filter { $0.minimumBasins <= model.basinCount }
        let faucets = (0..<Int.random(in: 0...2, using: &random)).map { _ in
            Faucet(
                type: FaucetType.allCases.randomElement(using: &random)!, quantity: Int.random(in: 1...2, using: &random),
                placement: placements.randomElement(using: &random)!)
        }
        let sprayers = (0..<Int.random(in: 0...2, using: &random)).map { _ in
            Sprayer(
                type: SprayerType.allCases.randomElement(using: &random)!, quantity: Int.random(in: 1...2, using: &random),
                location: SprayerLocation.allCases.randomElement(using: &random)!)
        }
        let accessories = (0..<Int.random(in: 0...10, using: &random)).map { _ in
            AccessoryLine(id: Accessories.all.randomElement(using: &random)!.id, quantity: Int.random(in: 1...5, using: &random))
        }
        return SinkConfiguration(
            buildNumber: "B\(Int.random(in: 1...99999, using: &random))", model: model,
            width: dimension(&random, 20...40), length: dimension(&random, 48...120),
            legs: Legs(type: legsType, model: legsModels.randomElement(using: &random)!),
            feet: Feet.allCases.randomElement(using: &random)!, pegboard: pegboard,
            workflowDirection: WorkflowDirection.allCases.randomElement(using: &random)!, basins: basins, faucets: faucets,
            sprayers: sprayers, accessories: accessories)
    }

    /// Whole, half or quarter inches, as drawings give them.
    static func dimension(_ random: inout SplitMix64, _ range: ClosedRange<Double>) -> Double {
        (Double.random(in: range, using: &random) * 4).rounded(.down) / 4
    }
}
