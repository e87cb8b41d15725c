/// When an item applies, as data: evaluated against the build (its
/// configuration, its order's language and its BOM), and for per-basin
/// items against each basin.
///
/// The catalogue is the truth about what a build physically has, so the
/// templates prefer `bom` and `basinBOM` where the catalogue tells: an
/// E-Sink DI basin kit holds no dosing pump, a fixed-height leg kit no
/// lifter control box.
public indirect enum ChecklistCondition: Sendable, Hashable, Codable {
    case always
    case pegboard
    /// Per basin: that basin is one of these kinds; sink-level: any basin is.
    /// E-Sink DI is a kind of its own.
    case basinType([BasinType])
    /// Per basin: that basin has a light; sink-level: any basin has.
    case basinLight
    case sprayer([SprayerType])
    case faucet([FaucetType])
    case feet(Feet)
    case legs(LegsType)
    /// Any of these accessories was ordered (any accessory when empty).
    case accessory([String])
    case language([Language])
    /// Any of these ids anywhere in the build's expanded BOM.
    case bom([String])
    /// Per basin: any of these ids in that basin's own BOM lines (its kit,
    /// size, light and P-trap, expanded); sink-level: in any basin's.
    case basinBOM([String])
    case all([ChecklistCondition])
    case any([ChecklistCondition])
    case not(ChecklistCondition)

    /// Whether it holds for the build, or for its basin at `basin` (0-based).
    public func holds(in context: ChecklistContext, basin: Int? = nil) -> Bool {
        let sink = context.sink
        let basins = basin.map { [$0] } ?? Array(sink.basins.indices)
        switch self {
        case .always: return true
        case .pegboard: return sink.pegboard != nil
        case .basinType(let types): return basins.contains { types.contains(sink.basins[$0].type) }
        case .basinLight: return basins.contains { sink.basins[$0].basinLight }
        case .sprayer(let types): return sink.sprayers.contains { types.contains($0.type) }
        case .faucet(let types): return sink.faucets.contains { types.contains($0.type) }
        case .feet(let feet): return sink.feet == feet
        case .legs(let type): return sink.legs.type == type
        case .accessory(let ids): return sink.accessories.contains { ids.isEmpty || ids.contains($0.id) }
        case .language(let languages): return languages.contains(context.language)
        case .bom(let ids): return ids.contains { context.sinkParts.contains($0) }
        case .basinBOM(let ids): return basins.contains { index in ids.contains { context.basinParts[index].contains($0) } }
        case .all(let conditions): return conditions.allSatisfy { $0.holds(in: context, basin: basin) }
        case .any(let conditions): return conditions.contains { $0.holds(in: context, basin: basin) }
        case .not(let condition): return !condition.holds(in: context, basin: basin)
        }
    }

    /// What makes the condition unusable: an empty list of ids or conditions.
    public var problem: String? {
        switch self {
        case .basinType(let values): return values.isEmpty ? "name at least one basin kind" : nil
        case .sprayer(let values): return values.isEmpty ? "name at least one sprayer type" : nil
        case .faucet(let values): return values.isEmpty ? "name at least one faucet type" : nil
        case .language(let values): return values.isEmpty ? "name at least one language" : nil
        case .bom(let ids), .basinBOM(let ids):
            return ids.isEmpty || ids.contains(where: \.isEmpty) ? "name at least one part or assembly id" : nil
        case .all(let conditions), .any(let conditions):
            return conditions.isEmpty ? "combine at least one condition" : conditions.lazy.compactMap(\.problem).first
        case .not(let condition): return condition.problem
        case .always, .pegboard, .basinLight, .feet, .legs, .accessory: return nil
        }
    }

    /// Version 1's "E-Sink" counted E-Sink DI basins in.
    public static let eDrain = ChecklistCondition.basinType([.eDrain])
    public static let eSink = ChecklistCondition.basinType([.eSink, .eSinkDI])
    public static let airGun = ChecklistCondition.sprayer([.airGunTurret, .airGunRosette])
    public static let waterGun = ChecklistCondition.sprayer([.diWaterGunTurret, .diWaterGunRosette])
}

/// What a checklist is resolved against: the build's configuration (with
/// the defaults of bom-rules.md §3), its order's language and its BOM.
public struct ChecklistContext: Sendable {
    public let sink: SinkConfiguration
    public let language: Language
    public let bom: BOMDocument
    /// Every id in the expanded BOM.
    let sinkParts: Set<String>
    /// Per basin, every id under that basin's own top-level lines.
    let basinParts: [Set<String>]

    public init(sink: SinkConfiguration, language: Language, bom: BOMDocument) {
        self.sink = sink.withDefaults()
        self.language = language
        self.bom = bom
        func collect(_ item: BOMItem, into ids: inout Set<String>) {
            ids.insert(item.id)
            for child in item.children { collect(child, into: &ids) }
        }
        var all: Set<String> = []
        for item in bom.items { collect(item, into: &all) }
        sinkParts = all
        basinParts = self.sink.basins.map { basin in
            var own: Set<String> = [BOMRules.basinKit(basin.type).id, BOMRules.basinSize(basin.size).id]
            if basin.basinLight { own.insert(BOMRules.basinLight(basin.type).id) }
            if basin.pTrap { own.insert(BOMRules.pTrapID) }
            var ids: Set<String> = []
            for item in bom.items where own.contains(item.id) { collect(item, into: &ids) }
            return ids
        }
    }

    /// The BOM's top-level line of an ordered accessory.
    public func accessoryLine(_ id: String) -> BOMItem? {
        bom.items.first { $0.id == id }
    }
}

// MARK: - Words

extension ChecklistCondition {
    /// What the condition asks of a build, in the floor's words: the reason
    /// shown beside an item that does not apply ("needs a pegboard").
    public var summary: String {
        func list<T>(_ values: [T], _ word: (T) -> String, or joiner: String = " or ") -> String {
            values.map(word).joined(separator: joiner)
        }
        switch self {
        case .always: return "always"
        case .pegboard: return "a pegboard"
        case .basinType(let types): return "an \(list(types, \.label)) basin"
        case .basinLight: return "a basin light"
        case .sprayer(let types): return list(types, \.label)
        case .faucet(let types): return list(types, \.label)
        case .feet(let feet): return feet.label.lowercased()
        case .legs(let type): return "\(type.label.lowercased()) legs"
        case .accessory(let ids): return ids.isEmpty ? "an ordered accessory" : "accessory \(list(ids, { $0 }))"
        case .language(let languages): return "an order in \(list(languages, \.label))"
        case .bom(let ids): return "\(list(ids, { $0 })) in the BOM"
        case .basinBOM(let ids): return "\(list(ids, { $0 })) in the basin's kit"
        case .all(let conditions): return list(conditions, \.summary, or: " and ")
        case .any(let conditions): return list(conditions, \.summary)
        case .not(let condition): return "no \(condition.summary)"
        }
    }
}

extension BasinType {
    public var label: String {
        switch self {
        case .eSink: "E-Sink"
        case .eSinkDI: "E-Sink DI"
        case .eDrain: "E-Drain"
        }
    }
}

extension LegsType {
    public var label: String {
        switch self {
        case .heightAdjustable: "Height-adjustable"
        case .fixedHeight: "Fixed-height"
        }
    }
}

extension Feet {
    public var label: String {
        switch self {
        case .lockLevelingCasters: "Lock & levelling castors"
        case .seismicFeet: "Levelling feet"
        }
    }
}

extension FaucetType {
    public var label: String {
        switch self {
        case .wristBlade: "wrist-blade faucet"
        case .preRinse: "pre-rinse faucet"
        case .diGooseneck: "DI gooseneck faucet"
        }
    }
}

extension SprayerType {
    public var label: String {
        switch self {
        case .diWaterGunTurret: "DI water gun with turret"
        case .diWaterGunRosette: "DI water gun with rosette"
        case .airGunTurret: "air gun with turret"
        case .airGunRosette: "air gun with rosette"
        }
    }
}

extension Language {
    public var label: String {
        switch self {
        case .en: "English"
        case .fr: "French"
        case .sp: "Spanish"
        }
    }
}

// MARK: - Text

/// Conditions as text, for people who edit templates:
/// `all(basin(E_SINK), basin-bom(T2-ESK-TEMP-KIT))`. A name takes its
/// values in parentheses, separated by commas; ids with other characters
/// than letters, digits and `-._/` are quoted.
extension ChecklistCondition {
    public var text: String {
        func values(_ values: [String]) -> String {
            values.map { value in
                value.allSatisfy(ConditionParser.isBare) && !value.isEmpty ? value : "\"\(value.replacingOccurrences(of: "\"", with: ""))\""
            }.joined(separator: ", ")
        }
        switch self {
        case .always: return "always"
        case .pegboard: return "pegboard"
        case .basinLight: return "basin-light"
        case .basinType(let types): return "basin(\(values(types.map(\.rawValue))))"
        case .sprayer(let types): return "sprayer(\(values(types.map(\.rawValue))))"
        case .faucet(let types): return "faucet(\(values(types.map(\.rawValue))))"
        case .feet(let feet): return "feet(\(feet.rawValue))"
        case .legs(let type): return "legs(\(type.rawValue))"
        case .accessory(let ids): return "accessory(\(values(ids)))"
        case .language(let languages): return "language(\(values(languages.map(\.rawValue))))"
        case .bom(let ids): return "bom(\(values(ids)))"
        case .basinBOM(let ids): return "basin-bom(\(values(ids)))"
        case .all(let conditions): return "all(\(conditions.map(\.text).joined(separator: ", ")))"
        case .any(let conditions): return "any(\(conditions.map(\.text).joined(separator: ", ")))"
        case .not(let condition): return "not(\(condition.text))"
        }
    }

    /// Reads the text form; the error says where and what was expected.
    public static func parse(_ text: String) -> Result<ChecklistCondition, ConditionSyntaxError> {
        var parser = ConditionParser(text)
        do {
            let condition = try parser.condition()
            parser.skipSpaces()
            guard parser.atEnd else { throw parser.error("unexpected text after the condition") }
            return .success(condition)
        } catch let error as ConditionSyntaxError {
            return .failure(error)
        } catch {
            return .failure(ConditionSyntaxError(message: "\(error)"))
        }
    }

    /// The names the text form knows, for the editor's help.
    public static let vocabulary: [(name: String, meaning: String)] = [
        ("always", "every build"), ("pegboard", "a pegboard is ordered"), ("basin-light", "a basin light (per basin: this basin's)"),
        ("basin(E_SINK, E_SINK_DI, E_DRAIN)", "a basin of these kinds (per basin: this basin)"),
        ("legs(HEIGHT_ADJUSTABLE | FIXED_HEIGHT)", "the legs"), ("feet(LOCK_LEVELING_CASTERS | SEISMIC_FEET)", "the feet"),
        ("faucet(WRIST_BLADE, PRE_RINSE, DI_GOOSENECK)", "a faucet of these types"),
        ("sprayer(AIR_GUN_TURRET, …)", "a sprayer of these types"), ("accessory(ID, …)", "one of these accessories ordered"),
        ("language(EN, FR, SP)", "the order's language"), ("bom(ID, …)", "one of these ids anywhere in the build's BOM"),
        ("basin-bom(ID, …)", "one of these ids in a basin's own kit (per basin: this basin's)"),
        ("all(…), any(…), not(…)", "combinations"),
    ]
}
