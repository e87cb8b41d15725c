/// The five checklists of domain.md.
public enum ChecklistKind: String, Sendable, Hashable, CaseIterable, Codable {
    case preQC = "PRE_QC"
    case production = "PRODUCTION"
    case eolTest = "EOL_TEST"
    case packaging = "PACKAGING"
    case finalQC = "FINAL_QC"

    /// The kind as it appears in URLs: `pre-qc`, `eol-test`…
    public var pathName: String { rawValue.lowercased().replacingOccurrences(of: "_", with: "-") }

    public init?(pathName: String) {
        self.init(rawValue: pathName.uppercased().replacingOccurrences(of: "-", with: "_"))
    }
}

public enum AnswerType: String, Sendable, Hashable, CaseIterable, Codable {
    /// `true` passes, `false` fails.
    case check = "CHECK"
    /// Passes inside `min`…`max` (inclusive) when given.
    case number = "NUMBER"
    /// Non-empty text.
    case text = "TEXT"
    /// A non-empty serial number.
    case serial = "SERIAL"
    /// One of `options`; listed `failingOptions` fail.
    case choice = "CHOICE"
}

/// A checklist template: a versioned list of sections of items. A template
/// in use is never edited; a change is the next version.
public struct ChecklistTemplate: Sendable, Hashable, Codable {
    public var kind: ChecklistKind
    public var name: String
    public var version: Int
    /// The customer's form this digitises (`CLP.T2.001`…).
    public var form: String
    /// What a signature on a result of this checklist means.
    public var signatureMeaning: String
    public var sections: [Section]

    public struct Section: Sendable, Hashable, Codable {
        public var title: String
        public var items: [Item]

        public init(_ title: String, _ items: [Item]) {
            self.title = title
            self.items = items
        }
    }

    public struct Item: Sendable, Hashable, Codable {
        /// Stable across versions while the item means the same.
        public var id: String
        public var text: String
        public var answerType: AnswerType
        public var unit: String?
        public var min: Double?
        public var max: Double?
        public var options: [String]?
        public var failingOptions: [String]?
        /// Repeated for each basin the condition holds for.
        public var perBasin: Bool
        public var naAllowed: Bool
        public var condition: ChecklistCondition
        /// How many of a packed part the build needs, for packaging items.
        public var quantity: QuantityRule?

        public init(
            _ id: String, _ text: String, _ answerType: AnswerType = .check, perBasin: Bool = false,
            when condition: ChecklistCondition = .always,
            naAllowed: Bool = false, unit: String? = nil, min: Double? = nil, max: Double? = nil, options: [String]? = nil,
            failingOptions: [String]? = nil, quantity: QuantityRule? = nil
        ) {
            self.id = id
            self.text = text
            self.answerType = answerType
            self.unit = unit
            self.min = min
            self.max = max
            self.options = options
            self.failingOptions = failingOptions
            self.perBasin = perBasin
            self.naAllowed = naAllowed
            self.condition = condition
            self.quantity = quantity
        }
    }

    public init(kind: ChecklistKind, name: String, version: Int, form: String, signatureMeaning: String, sections: [Section]) {
        self.kind = kind
        self.name = name
        self.version = version
        self.form = form
        self.signatureMeaning = signatureMeaning
        self.sections = sections
    }

    public var items: [Item] { sections.flatMap(\.items) }
}

/// When an item applies, as data: evaluated against the sink, and for
/// per-basin items against each basin.
public indirect enum ChecklistCondition: Sendable, Hashable, Codable {
    case always
    case pegboard
    /// Per basin: that basin is one of these types; sink-level: any basin is.
    case basinType([BasinType])
    /// Per basin: that basin has a light; sink-level: any basin has.
    case basinLight
    case sprayer([SprayerType])
    case faucet([FaucetType])
    case feet(Feet)
    case all([ChecklistCondition])
    case any([ChecklistCondition])
    case not(ChecklistCondition)

    /// Whether it holds for the sink, or for its basin at `basinIndex`.
    public func holds(for sink: SinkConfiguration, basinIndex: Int? = nil) -> Bool {
        let basins = basinIndex.map { [sink.basins[$0]] } ?? sink.basins
        switch self {
        case .always: return true
        case .pegboard: return sink.pegboard != nil
        case .basinType(let types): return basins.contains { types.contains($0.type) }
        case .basinLight: return basins.contains(where: \.basinLight)
        case .sprayer(let types): return sink.sprayers.contains { types.contains($0.type) }
        case .faucet(let types): return sink.withDefaults().faucets.contains { types.contains($0.type) }
        case .feet(let feet): return sink.feet == feet
        case .all(let conditions): return conditions.allSatisfy { $0.holds(for: sink, basinIndex: basinIndex) }
        case .any(let conditions): return conditions.contains { $0.holds(for: sink, basinIndex: basinIndex) }
        case .not(let condition): return !condition.holds(for: sink, basinIndex: basinIndex)
        }
    }

    public static let eDrain = ChecklistCondition.basinType([.eDrain])
    public static let eSink = ChecklistCondition.basinType([.eSink, .eSinkDI])
    public static let airGun = ChecklistCondition.sprayer([.airGunTurret, .airGunRosette])
    public static let waterGun = ChecklistCondition.sprayer([.diWaterGunTurret, .diWaterGunRosette])
}

/// How many of a packed item a build needs.
public enum QuantityRule: Sendable, Hashable, Codable {
    case fixed(Int)
    /// One per basin of these types (all types when empty).
    case perBasin([BasinType])
    /// Per sprayer ordered of these types, times the sprayers' quantity.
    case perSprayer([SprayerType])
    /// Per faucet ordered of these types, times the faucets' quantity.
    case perFaucet([FaucetType])

    public func quantity(for sink: SinkConfiguration) -> Int {
        switch self {
        case .fixed(let count): return count
        case .perBasin(let types): return sink.basins.filter { types.isEmpty || types.contains($0.type) }.count
        case .perSprayer(let types): return sink.sprayers.filter { types.contains($0.type) }.reduce(0) { $0 + $1.quantity }
        case .perFaucet(let types): return sink.withDefaults().faucets.filter { types.contains($0.type) }.reduce(0) { $0 + $1.quantity }
        }
    }
}

extension ChecklistTemplate {
    /// What makes a template unusable, by field: every section needs items,
    /// item ids are unique, choices have options, limits are ordered.
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError(field: "name", message: "must not be empty")) }
        if sections.isEmpty { errors.append(FieldError(field: "sections", message: "a template needs at least one section")) }
        var seen: Set<String> = []
        for (sectionIndex, section) in sections.enumerated() {
            let sectionPath = JSONPath.root.key("sections").index(sectionIndex)
            if section.items.isEmpty { errors.append(FieldError(sectionPath.key("items"), "a section needs at least one item")) }
            for (itemIndex, item) in section.items.enumerated() {
                let path = sectionPath.key("items").index(itemIndex)
                if item.id.isEmpty || !item.id.allSatisfy({ $0.isLetter || $0.isNumber || "-.".contains($0) }) {
                    errors.append(FieldError(path.key("id"), "must be letters, digits, '-' and '.'"))
                } else if !seen.insert(item.id).inserted {
                    errors.append(FieldError(path.key("id"), "\(item.id) is used twice"))
                }
                if item.text.trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.append(FieldError(path.key("text"), "must not be empty"))
                }
                if item.answerType == .choice, (item.options ?? []).isEmpty {
                    errors.append(FieldError(path.key("options"), "a CHOICE item needs options"))
                }
                if let failing = item.failingOptions, !Set(failing).isSubset(of: item.options ?? []) {
                    errors.append(FieldError(path.key("failingOptions"), "must be among the options"))
                }
                if let min = item.min, let max = item.max, min > max { errors.append(FieldError(path.key("min"), "must not exceed max")) }
            }
        }
        return errors
    }
}
