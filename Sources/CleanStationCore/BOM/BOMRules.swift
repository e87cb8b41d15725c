/// The mapping rules of bom-rules.md §3: which top-level lines one sink
/// gets, with the customer's item numbers.
public enum BOMRules {
    public static let bodyLengthRange: ClosedRange<Double> = 48...120
    public static let maximumSprayers = 2

    public static func maximumFaucets(basinCount: Int) -> Int {
        basinCount >= 3 ? 3 : 2
    }

    /// The top-level lines of one sink, in rule order, lines with the same
    /// id merged. The
    /// configuration is expected to be valid; defaults of §3 are applied here.
    public static func lines(for configuration: SinkConfiguration, language: Language) -> [BOMRuleLine] {
        let sink = configuration.withDefaults()
        var lines: [BOMRuleLine] = []
        lines.reserveCapacity(12 + 4 * sink.basins.count + sink.faucets.count + sink.sprayers.count + sink.accessories.count)
        lines += [body(length: sink.length), legs(sink.legs), feet(sink.feet)]
        if let pegboard = sink.pegboard {
            lines.append(BOMRuleLine("T2-OHL-MDRD-KIT", itemNumber: "716.128"))
            switch pegboard.type {
            case .perforated: lines.append(BOMRuleLine("T2-ADW-PB-PERF-KIT", itemNumber: "716.130"))
            case .solid: lines.append(BOMRuleLine("T2-ADW-PB-SOLID-KIT", itemNumber: "716.131"))
            }
            if let color = pegboard.color {
                lines.append(BOMRuleLine(pegboardColorId, itemNumber: pegboardColorItemNumber, attributes: ["color": color.rawValue]))
            }
            switch pegboard.size {
            case .sameAsSink: lines.append(pegboardSize(sinkLength: sink.length))
            case .custom(let width, let length):
                lines.append(
                    BOMRuleLine(
                        "T2-ADW-PB-\(dimensions(width, length))",
                        custom: CustomPart(series: "720.215.002", name: "Custom pegboard \(dimensions(width, length, separator: " × ")) in")
                    ))
            }
        }
        lines += merged(sink.basins.map { basinKit($0.type) })
        lines += merged(sink.basins.map { basinSize($0.size) })
        if let controlBox = controlBox(basins: sink.basins) { lines.append(controlBox) }
        let pTraps = sink.basins.count(where: \.pTrap)
        if pTraps > 0 { lines.append(BOMRuleLine(pTrapID, itemNumber: "706.65", quantity: pTraps)) }
        lines += merged(sink.basins.filter(\.basinLight).map { basinLight($0.type) })
        lines += merged(sink.faucets.map { faucet($0.type, quantity: $0.quantity) })
        lines += merged(sink.sprayers.map { sprayer($0.type, quantity: $0.quantity) })
        lines.append(manual(language))
        lines += merged(
            sink.accessories.map { BOMRuleLine($0.id, itemNumber: Accessories.byId[$0.id]?.itemNumber, quantity: $0.quantity) })
        return lines
    }

    public static let pegboardColorId = "T-OA-PB-COLOR"
    static let pTrapID = "T2-OA-MS-1026"
    public static let pegboardColorItemNumber = "708.77"

    /// A length between two ranges (60.5) takes the next range up.
    static func body(length: Double) -> BOMRuleLine {
        if length <= 60 { return BOMRuleLine("T2-BODY-48-60-HA", itemNumber: "709.82") }
        if length <= 72 { return BOMRuleLine("T2-BODY-61-72-HA", itemNumber: "709.83") }
        return BOMRuleLine("T2-BODY-73-120-HA", itemNumber: "709.84")
    }

    static func legs(_ legs: Legs) -> BOMRuleLine {
        switch (legs.type, legs.model) {
        case (.heightAdjustable, .dl27): BOMRuleLine("T2-DL27-KIT", itemNumber: "711.97")
        case (.heightAdjustable, .dl14): BOMRuleLine("T2-DL14-KIT", itemNumber: "711.98")
        case (_, .lc1): BOMRuleLine("T2-LC1-KIT", itemNumber: "711.99")
        case (.fixedHeight, .dl27): BOMRuleLine("T2-DL27-FH-KIT", itemNumber: "711.100")
        case (.fixedHeight, .dl14): BOMRuleLine("T2-DL14-FH-KIT", itemNumber: "711.101")
        }
    }

    static func feet(_ feet: Feet) -> BOMRuleLine {
        switch feet {
        case .lockLevelingCasters: BOMRuleLine("T2-LEVELING-CASTOR-475", itemNumber: "711.95")
        case .seismicFeet: BOMRuleLine("T2-SEISMIC-FEET", itemNumber: "711.96")
        }
    }

    /// Standard pegboards by the sink's whole inches, from 34 to 130.
    static let pegboardSizes: [(inches: ClosedRange<Int>, id: String, itemNumber: String)] = [
        (34...47, "T2-ADW-PB-3436", "715.120"), (48...59, "T2-ADW-PB-4836", "715.121"),
        (60...71, "T2-ADW-PB-6036", "715.122"), (72...83, "T2-ADW-PB-7236", "715.123"),
        (84...95, "T2-ADW-PB-8436", "715.124"), (96...107, "T2-ADW-PB-9636", "715.125"),
        (108...119, "T2-ADW-PB-10836", "715.126"), (120...130, "T2-ADW-PB-12036", "715.127"),
    ]

    static func pegboardSize(sinkLength: Double) -> BOMRuleLine {
        let inches = Int(sinkLength.rounded(.down))
        let size = pegboardSizes.first { $0.inches.contains(inches) } ?? (inches < 34 ? pegboardSizes.first! : pegboardSizes.last!)
        return BOMRuleLine(size.id, itemNumber: size.itemNumber)
    }

    static func basinKit(_ type: BasinType) -> BOMRuleLine {
        switch type {
        case .eDrain: BOMRuleLine("T2-BSN-EDR-KIT", itemNumber: "713.107")
        case .eSinkDI: BOMRuleLine("T2-BSN-ESK-DI-KIT", itemNumber: "713.108")
        case .eSink: BOMRuleLine("T2-BSN-ESK-KIT", itemNumber: "713.109")
        }
    }

    static let standardBasinItemNumbers: [StandardBasinSize: String] = [
        .s20x20x8: "712.102", .s24x20x8: "712.103", .s24x20x10: "712.104", .s30x20x8: "712.105", .s30x20x10: "712.106",
    ]

    static func basinSize(_ size: BasinSize) -> BOMRuleLine {
        switch size {
        case .standard(let standard):
            return BOMRuleLine("T2-ADW-BASIN\(standard.rawValue)", itemNumber: standardBasinItemNumbers[standard])
        case .custom(let width, let length, let depth):
            return BOMRuleLine(
                "T2-ADW-BASIN-\(dimensions(width, length, depth))",
                custom: CustomPart(series: "720.215.001", name: "Custom basin \(dimensions(width, length, depth, separator: " × ")) in"))
        }
    }

    /// Control boxes by the number of E-Drain and E-Sink basins.
    static let controlBoxes: [BasinMix: (id: String, itemNumber: String)] = [
        BasinMix(eDrain: 1, eSink: 0): ("T2-CTRL-EDR1", "719.176"), BasinMix(eDrain: 0, eSink: 1): ("T2-CTRL-ESK1", "719.177"),
        BasinMix(eDrain: 1, eSink: 1): ("T2-CTRL-EDR1-ESK1", "719.178"), BasinMix(eDrain: 2, eSink: 0): ("T2-CTRL-EDR2", "719.179"),
        BasinMix(eDrain: 0, eSink: 2): ("T2-CTRL-ESK2", "719.180"), BasinMix(eDrain: 3, eSink: 0): ("T2-CTRL-EDR3", "719.181"),
        BasinMix(eDrain: 0, eSink: 3): ("T2-CTRL-ESK3", "719.182"), BasinMix(eDrain: 1, eSink: 2): ("T2-CTRL-EDR1-ESK2", "719.183"),
        BasinMix(eDrain: 2, eSink: 1): ("T2-CTRL-EDR2-ESK1", "719.184"),
    ]

    struct BasinMix: Hashable {
        var eDrain: Int
        var eSink: Int
    }

    /// `nil` only for basin counts no valid configuration has (none, or more than three).
    static func controlBox(basins: [Basin]) -> BOMRuleLine? {
        let eSink = basins.filter(\.type.isESink).count
        let mix = BasinMix(eDrain: basins.count - eSink, eSink: eSink)
        return controlBoxes[mix].map { BOMRuleLine($0.id, itemNumber: $0.itemNumber) }
    }

    static func basinLight(_ type: BasinType) -> BOMRuleLine {
        type == .eDrain
            ? BOMRuleLine("T2-OA-BASIN-LIGHT-EDR-KIT", itemNumber: "706.67")
            : BOMRuleLine("T2-OA-BASIN-LIGHT-ESK-KIT", itemNumber: "706.68")
    }

    static func faucet(_ type: FaucetType, quantity: Int) -> BOMRuleLine {
        switch type {
        case .wristBlade: BOMRuleLine("T2-OA-STD-FAUCET-WB-KIT", itemNumber: "706.58", quantity: quantity)
        case .preRinse: BOMRuleLine("T2-OA-PRE-RINSE-FAUCET-KIT", itemNumber: "706.59", quantity: quantity)
        case .diGooseneck: BOMRuleLine("T2-OA-DI-GOOSENECK-FAUCET-KIT", itemNumber: "706.60", quantity: quantity)
        }
    }

    static func sprayer(_ type: SprayerType, quantity: Int) -> BOMRuleLine {
        switch type {
        case .diWaterGunTurret: BOMRuleLine("T2-OA-WATERGUN-TURRET-KIT", itemNumber: "706.61", quantity: quantity)
        case .diWaterGunRosette: BOMRuleLine("T2-OA-WATERGUN-ROSETTE-KIT", itemNumber: "706.62", quantity: quantity)
        case .airGunTurret: BOMRuleLine("T2-OA-AIRGUN-TURRET-KIT", itemNumber: "706.63", quantity: quantity)
        case .airGunRosette: BOMRuleLine("T2-OA-AIRGUN-ROSETTE-KIT", itemNumber: "706.64", quantity: quantity)
        }
    }

    static func manual(_ language: Language) -> BOMRuleLine {
        BOMRuleLine("T2-STD-MANUAL-\(language.rawValue)-KIT")
    }

    /// Every catalogue line the rules can produce, with its item number.
    public static var possibleLines: [BOMRuleLine] {
        let pegboard = [
            BOMRuleLine("T2-OHL-MDRD-KIT", itemNumber: "716.128"), BOMRuleLine("T2-ADW-PB-PERF-KIT", itemNumber: "716.130"),
            BOMRuleLine("T2-ADW-PB-SOLID-KIT", itemNumber: "716.131"), BOMRuleLine(pegboardColorId, itemNumber: pegboardColorItemNumber),
        ]
        let bodies = [48.0, 72, 120].map(body(length:))
        let allLegs = LegsType.allCases.flatMap { type in LegsModel.allCases.map { legs(Legs(type: type, model: $0)) } }
        let basinLines =
            BasinType.allCases.flatMap { [basinKit($0), basinLight($0)] }
            + StandardBasinSize.allCases.map { basinSize(.standard($0)) }
        let options = FaucetType.allCases.map { faucet($0, quantity: 1) } + SprayerType.allCases.map { sprayer($0, quantity: 1) }
        return bodies + allLegs + Feet.allCases.map(feet) + pegboard + pegboardSizes.map { BOMRuleLine($0.id, itemNumber: $0.itemNumber) }
            + basinLines + controlBoxes.values.map { BOMRuleLine($0.id, itemNumber: $0.itemNumber) }
            + [BOMRuleLine(pTrapID, itemNumber: "706.65")] + options + Language.allCases.map(manual)
            + Accessories.all.map { BOMRuleLine($0.id, itemNumber: $0.itemNumber) }
    }

    /// Dimensions without trailing zeros, joined by `X`: `26X20X9`, `24.5X20X10`.
    static func dimensions(_ values: Double..., separator: String = "X") -> String {
        values.map(JSONSerializer.format).joined(separator: separator)
    }

    /// Lines with the same id become one, in the place of the first, with
    /// the quantities added. Only lines of one kind can share an id, so the
    /// rules merge each kind's few lines by a linear search.
    static func merged(_ lines: [BOMRuleLine]) -> [BOMRuleLine] {
        var result: [BOMRuleLine] = []
        result.reserveCapacity(lines.count)
        for line in lines {
            if let position = result.firstIndex(where: { $0.id == line.id }) {
                result[position].quantity += line.quantity
            } else {
                result.append(line)
            }
        }
        return result
    }
}

/// One top-level line of a sink's BOM, before expansion.
public struct BOMRuleLine: Sendable, Hashable {
    public var id: String
    public var itemNumber: String?
    public var quantity: Int
    public var custom: CustomPart?
    public var attributes: [String: String]

    public init(
        _ id: String, itemNumber: String? = nil, quantity: Int = 1, custom: CustomPart? = nil, attributes: [String: String] = [:]
    ) {
        self.id = id
        self.itemNumber = itemNumber
        self.quantity = quantity
        self.custom = custom
        self.attributes = attributes
    }
}

/// A part made to the sink's dimensions: numbered in its series, never in the catalogue.
public struct CustomPart: Sendable, Hashable {
    public var series: String
    public var name: String
}
