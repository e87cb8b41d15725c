import CleanStationCore
import Testing

/// One test per row of bom-rules.md §3.
@Suite struct BOMRulesTests {
    func ids(_ sink: SinkConfiguration, language: Language = .en) -> [String] {
        BOMRules.lines(for: sink, language: language).map(\.id)
    }

    func line(_ id: String, in sink: SinkConfiguration, language: Language = .en) -> BOMRuleLine? {
        BOMRules.lines(for: sink, language: language).first { $0.id == id }
    }

    @Test(arguments: [
        (48.0, "T2-BODY-48-60-HA", "709.82"), (60, "T2-BODY-48-60-HA", "709.82"), (60.5, "T2-BODY-61-72-HA", "709.83"),
        (61, "T2-BODY-61-72-HA", "709.83"), (72, "T2-BODY-61-72-HA", "709.83"), (72.5, "T2-BODY-73-120-HA", "709.84"),
        (73, "T2-BODY-73-120-HA", "709.84"), (120, "T2-BODY-73-120-HA", "709.84"),
    ])
    func bodyByLength(length: Double, id: String, itemNumber: String) {
        let lines = BOMRules.lines(for: Fixtures.sink(length: length), language: .en)
        #expect(lines[0].id == id)
        #expect(lines[0].itemNumber == itemNumber)
        #expect(lines.filter { $0.id.hasPrefix("T2-BODY-") }.count == 1)
    }

    @Test(arguments: [
        (LegsType.heightAdjustable, LegsModel.dl27, "T2-DL27-KIT", "711.97"), (.heightAdjustable, .dl14, "T2-DL14-KIT", "711.98"),
        (.heightAdjustable, .lc1, "T2-LC1-KIT", "711.99"), (.fixedHeight, .dl27, "T2-DL27-FH-KIT", "711.100"),
        (.fixedHeight, .dl14, "T2-DL14-FH-KIT", "711.101"),
    ])
    func legs(type: LegsType, model: LegsModel, id: String, itemNumber: String) {
        let lines = BOMRules.lines(for: Fixtures.sink(legs: Legs(type: type, model: model)), language: .en)
        #expect(lines[1].id == id)
        #expect(lines[1].itemNumber == itemNumber)
    }

    @Test(arguments: [(Feet.lockLevelingCasters, "T2-LEVELING-CASTOR-475", "711.95"), (.seismicFeet, "T2-SEISMIC-FEET", "711.96")])
    func feet(feet: Feet, id: String, itemNumber: String) {
        let lines = BOMRules.lines(for: Fixtures.sink(feet: feet), language: .en)
        #expect(lines[2] == BOMRuleLine(id, itemNumber: itemNumber, quantity: 1))
    }

    @Test func noPegboardNoPegboardLines() {
        let lines = ids(Fixtures.sink())
        #expect(!lines.contains { $0.contains("-PB-") || $0 == "T2-OHL-MDRD-KIT" })
    }

    @Test(arguments: [(PegboardType.perforated, "T2-ADW-PB-PERF-KIT", "716.130"), (.solid, "T2-ADW-PB-SOLID-KIT", "716.131")])
    func pegboardKits(type: PegboardType, id: String, itemNumber: String) {
        let sink = Fixtures.sink(pegboard: Pegboard(type: type, color: nil, size: .sameAsSink))
        let lines = BOMRules.lines(for: sink, language: .en)
        #expect(lines[3] == BOMRuleLine("T2-OHL-MDRD-KIT", itemNumber: "716.128"))
        #expect(lines[4] == BOMRuleLine(id, itemNumber: itemNumber))
        #expect(!lines.contains { $0.id == "T-OA-PB-COLOR" })
    }

    @Test(arguments: PegboardColor.allCases)
    func pegboardColourKeepsTheColour(color: PegboardColor) {
        let sink = Fixtures.sink(pegboard: Pegboard(type: .perforated, color: color, size: .sameAsSink))
        let line = line("T-OA-PB-COLOR", in: sink)
        #expect(line == BOMRuleLine("T-OA-PB-COLOR", itemNumber: "708.77", attributes: ["color": color.rawValue]))
    }

    /// Every range at both ends, fractions floored, as far as valid sink lengths reach.
    @Test(arguments: [
        (48.0, "T2-ADW-PB-4836", "715.121"), (59, "T2-ADW-PB-4836", "715.121"), (59.9, "T2-ADW-PB-4836", "715.121"),
        (60, "T2-ADW-PB-6036", "715.122"), (71.99, "T2-ADW-PB-6036", "715.122"), (72, "T2-ADW-PB-7236", "715.123"),
        (83.5, "T2-ADW-PB-7236", "715.123"), (84, "T2-ADW-PB-8436", "715.124"), (95, "T2-ADW-PB-8436", "715.124"),
        (96, "T2-ADW-PB-9636", "715.125"), (107.9, "T2-ADW-PB-9636", "715.125"), (108, "T2-ADW-PB-10836", "715.126"),
        (119, "T2-ADW-PB-10836", "715.126"), (119.5, "T2-ADW-PB-10836", "715.126"), (120, "T2-ADW-PB-12036", "715.127"),
    ])
    func pegboardSizeSameAsSink(length: Double, id: String, itemNumber: String) {
        let sink = Fixtures.sink(length: length, pegboard: Pegboard(type: .solid, color: nil, size: .sameAsSink))
        #expect(sink.validationErrors().isEmpty)
        let sizes = BOMRules.lines(for: sink, language: .en).filter { $0.itemNumber?.hasPrefix("715.") == true }
        #expect(sizes == [BOMRuleLine(id, itemNumber: itemNumber)])
    }

    /// The table's ranges beyond valid sinks (34–47 and up to 130).
    @Test(arguments: [(34.0, "T2-ADW-PB-3436"), (47.9, "T2-ADW-PB-3436"), (120.9, "T2-ADW-PB-12036"), (130, "T2-ADW-PB-12036")])
    func pegboardTableOutsideSinkLengths(length: Double, id: String) {
        let sink = Fixtures.sink(length: length, pegboard: Pegboard(type: .solid, color: nil, size: .sameAsSink))
        #expect(ids(sink).contains(id))
    }

    @Test(arguments: [
        (50.0, 36.0, "T2-ADW-PB-50X36"), (50.5, 36, "T2-ADW-PB-50.5X36"), (94.25, 36.75, "T2-ADW-PB-94.25X36.75"),
        (72, 30, "T2-ADW-PB-72X30"),
    ])
    func customPegboardNumber(width: Double, length: Double, id: String) {
        let sink = Fixtures.sink(pegboard: Pegboard(type: .perforated, color: .red, size: .custom(width: width, length: length)))
        let custom = BOMRules.lines(for: sink, language: .en).filter { $0.custom != nil }
        #expect(custom.map(\.id) == [id])
        #expect(custom.first?.custom?.series == "720.215.002")
        #expect(custom.first?.itemNumber == nil)
        #expect(!ids(sink).contains { $0.hasPrefix("T2-ADW-PB-") && $0.hasSuffix("36") && !$0.contains("X") })
    }

    @Test(arguments: [
        (BasinType.eSink, "T2-BSN-ESK-KIT", "713.109"), (.eSinkDI, "T2-BSN-ESK-DI-KIT", "713.108"), (.eDrain, "T2-BSN-EDR-KIT", "713.107"),
    ])
    func basinKitPerBasin(type: BasinType, id: String, itemNumber: String) {
        let sink = Fixtures.sink(model: .t2B3, basins: Array(repeating: Basin(type: type, size: .standard(.s20x20x8)), count: 3))
        #expect(line(id, in: sink) == BOMRuleLine(id, itemNumber: itemNumber, quantity: 3))
    }

    @Test(arguments: [
        (StandardBasinSize.s20x20x8, "T2-ADW-BASIN20X20X8", "712.102"), (.s24x20x8, "T2-ADW-BASIN24X20X8", "712.103"),
        (.s24x20x10, "T2-ADW-BASIN24X20X10", "712.104"), (.s30x20x8, "T2-ADW-BASIN30X20X8", "712.105"),
        (.s30x20x10, "T2-ADW-BASIN30X20X10", "712.106"),
    ])
    func standardBasinSize(size: StandardBasinSize, id: String, itemNumber: String) {
        let sink = Fixtures.sink(basins: [Basin(type: .eDrain, size: .standard(size)), Basin(type: .eSink, size: .standard(size))])
        #expect(line(id, in: sink) == BOMRuleLine(id, itemNumber: itemNumber, quantity: 2))
    }

    @Test(arguments: [
        (26.0, 20.0, 9.0, "T2-ADW-BASIN-26X20X9"), (24.5, 20, 10, "T2-ADW-BASIN-24.5X20X10"), (30, 20.25, 8.5, "T2-ADW-BASIN-30X20.25X8.5"),
    ])
    func customBasinNumber(width: Double, length: Double, depth: Double, id: String) {
        let basin = Basin(type: .eSink, size: .custom(width: width, length: length, depth: depth))
        let sink = Fixtures.sink(basins: [basin, basin])
        let line = line(id, in: sink)
        #expect(line?.quantity == 2)
        #expect(line?.custom?.series == "720.215.001")
    }

    @Test(arguments: [
        ([BasinType.eDrain], "T2-CTRL-EDR1", "719.176"), ([.eSink], "T2-CTRL-ESK1", "719.177"), ([.eSinkDI], "T2-CTRL-ESK1", "719.177"),
        ([.eDrain, .eSink], "T2-CTRL-EDR1-ESK1", "719.178"), ([.eSinkDI, .eDrain], "T2-CTRL-EDR1-ESK1", "719.178"),
        ([.eDrain, .eDrain], "T2-CTRL-EDR2", "719.179"), ([.eSink, .eSinkDI], "T2-CTRL-ESK2", "719.180"),
        ([.eDrain, .eDrain, .eDrain], "T2-CTRL-EDR3", "719.181"), ([.eSink, .eSink, .eSinkDI], "T2-CTRL-ESK3", "719.182"),
        ([.eSink, .eDrain, .eSink], "T2-CTRL-EDR1-ESK2", "719.183"), ([.eDrain, .eSinkDI, .eDrain], "T2-CTRL-EDR2-ESK1", "719.184"),
    ])
    func controlBox(types: [BasinType], id: String, itemNumber: String) {
        let model: SinkModel = [.t2B1, .t2B2, .t2B3][types.count - 1]
        let sink = Fixtures.sink(model: model, basins: types.map { Basin(type: $0, size: .standard(.s20x20x8)) })
        let boxes = BOMRules.lines(for: sink, language: .en).filter { $0.id.hasPrefix("T2-CTRL-") }
        #expect(boxes == [BOMRuleLine(id, itemNumber: itemNumber)])
    }

    @Test func pTrapAndLightsPerBasin() {
        let sink = Fixtures.sink(
            model: .t2B3,
            basins: [
                Basin(type: .eDrain, size: .standard(.s20x20x8), pTrap: true, basinLight: true),
                Basin(type: .eSink, size: .standard(.s20x20x8), pTrap: true, basinLight: true),
                Basin(type: .eSinkDI, size: .standard(.s20x20x8), pTrap: false, basinLight: true),
            ])
        #expect(line("T2-OA-MS-1026", in: sink) == BOMRuleLine("T2-OA-MS-1026", itemNumber: "706.65", quantity: 2))
        #expect(line("T2-OA-BASIN-LIGHT-EDR-KIT", in: sink) == BOMRuleLine("T2-OA-BASIN-LIGHT-EDR-KIT", itemNumber: "706.67", quantity: 1))
        #expect(line("T2-OA-BASIN-LIGHT-ESK-KIT", in: sink) == BOMRuleLine("T2-OA-BASIN-LIGHT-ESK-KIT", itemNumber: "706.68", quantity: 2))
        #expect(!ids(Fixtures.sink()).contains { $0 == "T2-OA-MS-1026" || $0.hasPrefix("T2-OA-BASIN-LIGHT") })
    }

    @Test(arguments: [
        (FaucetType.wristBlade, "T2-OA-STD-FAUCET-WB-KIT", "706.58"), (.preRinse, "T2-OA-PRE-RINSE-FAUCET-KIT", "706.59"),
        (.diGooseneck, "T2-OA-DI-GOOSENECK-FAUCET-KIT", "706.60"),
    ])
    func faucetWithQuantity(type: FaucetType, id: String, itemNumber: String) {
        let sink = Fixtures.sink(faucets: [Faucet(type: type, quantity: 2, placement: .center)])
        #expect(line(id, in: sink) == BOMRuleLine(id, itemNumber: itemNumber, quantity: 2))
    }

    @Test func faucetsOfOneTypeMerge() {
        let sink = Fixtures.sink(
            model: .t2B3,
            faucets: [
                Faucet(type: .wristBlade, quantity: 1, placement: .between1And2),
                Faucet(type: .wristBlade, quantity: 2, placement: .between2And3),
            ])
        #expect(line("T2-OA-STD-FAUCET-WB-KIT", in: sink)?.quantity == 3)
        #expect(ids(sink).filter { $0 == "T2-OA-STD-FAUCET-WB-KIT" }.count == 1)
    }

    @Test func diBasinWithoutFaucetGetsAGooseneck() {
        let sink = Fixtures.sink(basins: [
            Basin(type: .eSinkDI, size: .standard(.s20x20x8)), Basin(type: .eDrain, size: .standard(.s20x20x8)),
        ])
        #expect(
            line("T2-OA-DI-GOOSENECK-FAUCET-KIT", in: sink)
                == BOMRuleLine("T2-OA-DI-GOOSENECK-FAUCET-KIT", itemNumber: "706.60", quantity: 1))
        #expect(!ids(Fixtures.sink()).contains("T2-OA-DI-GOOSENECK-FAUCET-KIT"))
    }

    @Test(arguments: [
        (SprayerType.diWaterGunTurret, "T2-OA-WATERGUN-TURRET-KIT", "706.61"), (.diWaterGunRosette, "T2-OA-WATERGUN-ROSETTE-KIT", "706.62"),
        (.airGunTurret, "T2-OA-AIRGUN-TURRET-KIT", "706.63"), (.airGunRosette, "T2-OA-AIRGUN-ROSETTE-KIT", "706.64"),
    ])
    func sprayerWithQuantity(type: SprayerType, id: String, itemNumber: String) {
        for quantity in 1...2 {
            let sink = Fixtures.sink(sprayers: [Sprayer(type: type, quantity: quantity, location: .right)])
            #expect(line(id, in: sink) == BOMRuleLine(id, itemNumber: itemNumber, quantity: quantity))
        }
    }

    @Test(arguments: [(Language.en, "T2-STD-MANUAL-EN-KIT"), (.fr, "T2-STD-MANUAL-FR-KIT"), (.sp, "T2-STD-MANUAL-SP-KIT")])
    func manualByLanguage(language: Language, id: String) {
        let manuals = BOMRules.lines(for: Fixtures.sink(), language: language).filter { $0.id.contains("MANUAL") }
        #expect(manuals == [BOMRuleLine(id)])
    }

    @Test func accessoriesCarryTheirItemNumbersAndMerge() {
        let sink = Fixtures.sink(accessories: [
            AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 2), AccessoryLine(id: "T-OA-MNT-SINGLE-COMBO-PB", quantity: 1),
            AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 1),
        ])
        let lines = BOMRules.lines(for: sink, language: .en)
        #expect(
            Array(lines.suffix(2)) == [
                BOMRuleLine("T-OA-BINRAIL-24-KIT", itemNumber: "702.4", quantity: 3),
                BOMRuleLine("T-OA-MNT-SINGLE-COMBO-PB", itemNumber: "705.57", quantity: 1),
            ])
    }

    @Test func theSpecificationExampleInRuleOrder() throws {
        let sink = try SinkConfiguration.valid(Fixtures.specExample)
        #expect(
            ids(sink) == [
                "T2-BODY-48-60-HA", "T2-DL27-KIT", "T2-LEVELING-CASTOR-475", "T2-OHL-MDRD-KIT", "T2-ADW-PB-PERF-KIT", "T-OA-PB-COLOR",
                "T2-ADW-PB-6036", "T2-BSN-EDR-KIT", "T2-BSN-ESK-KIT", "T2-ADW-BASIN24X20X10", "T2-ADW-BASIN-26X20X9", "T2-CTRL-EDR1-ESK1",
                "T2-OA-MS-1026", "T2-OA-BASIN-LIGHT-ESK-KIT", "T2-OA-STD-FAUCET-WB-KIT", "T2-OA-AIRGUN-TURRET-KIT", "T2-STD-MANUAL-EN-KIT",
                "T-OA-BINRAIL-24-KIT",
            ])
    }

    @Test func accessoryListHasFiftyFourEntriesInFourGroups() {
        #expect(Accessories.all.count == 54)
        #expect(Set(Accessories.all.map(\.id)).count == 54)
        let groups = Dictionary(grouping: Accessories.all, by: \.group).mapValues(\.count)
        #expect(groups == [.basketsBinsShelves: 25, .holdersPlatesHangers: 13, .lighting: 4, .electronicDigital: 12])
    }
}
