/// The five checklists of domain.md.
public enum ChecklistKind: String, Sendable, Hashable, CaseIterable, Codable {
    case preQC = "PRE_QC"
    case production = "PRODUCTION"
    case eolTest = "EOL_TEST"
    case packaging = "PACKAGING"
    case finalQC = "FINAL_QC"

    /// The kind as it appears in URLs: `pre-qc`, `eol-test`… (literals: Foundation's replacing, on every link of every
    /// page, was 1 % of the checklist page's CPU).
    public var pathName: String {
        switch self {
        case .preQC: "pre-qc"
        case .production: "production"
        case .eolTest: "eol-test"
        case .packaging: "packaging"
        case .finalQC: "final-qc"
        }
    }

    /// The path as the links write it at once; any other spelling (capitals, `_`) as before.
    public init?(pathName: String) {
        if let kind = Self.allCases.first(where: { $0.pathName == pathName }) {
            self = kind
        } else {
            self.init(rawValue: pathName.uppercased().replacingOccurrences(of: "-", with: "_"))
        }
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
    /// Whether a result names the calibrated instrument it was measured with.
    public var instrumentRequired: Bool?

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
        /// Repeated for each basin; applicable where the condition holds for it.
        public var perBasin: Bool
        /// Whether the person may answer N/A where the item applies (the
        /// form prints "N/A" and the build cannot tell).
        public var naAllowed: Bool
        public var condition: ChecklistCondition
        /// How many of a packed part the build needs, for packaging items.
        public var quantity: QuantityRule?
        /// The words shown for each option value.
        public var optionLabels: [String: String]?
        /// Options that need the note filled in (the form's "Other: ____").
        public var noteRequiredFor: [String]?
        /// What the answer must match in the build's configuration.
        public var expected: ChecklistExpectation?
        /// Repeated for each accessory the build was ordered with.
        public var perAccessory: Bool?
        /// The line of the customer's form the item digitises.
        public var source: String?

        public init(
            _ id: String, _ text: String, _ answerType: AnswerType = .check, perBasin: Bool = false,
            when condition: ChecklistCondition = .always,
            naAllowed: Bool = false, unit: String? = nil, min: Double? = nil, max: Double? = nil, options: [String]? = nil,
            failingOptions: [String]? = nil, quantity: QuantityRule? = nil, optionLabels: [String: String]? = nil,
            noteRequiredFor: [String]? = nil, expected: ChecklistExpectation? = nil, perAccessory: Bool? = nil, source: String? = nil
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
            self.optionLabels = optionLabels
            self.noteRequiredFor = noteRequiredFor
            self.expected = expected
            self.perAccessory = perAccessory
            self.source = source
        }
    }

    public init(
        kind: ChecklistKind, name: String, version: Int, form: String, signatureMeaning: String, sections: [Section],
        instrumentRequired: Bool? = nil
    ) {
        self.kind = kind
        self.name = name
        self.version = version
        self.form = form
        self.signatureMeaning = signatureMeaning
        self.sections = sections
        self.instrumentRequired = instrumentRequired
    }

    public var items: [Item] { sections.flatMap(\.items) }
}

/// What an answer must match in the build's configuration: a mismatch is
/// recorded as a failed item, not refused.
public enum ChecklistExpectation: String, Sendable, Hashable, CaseIterable, Codable {
    /// A number equal to the sink's count of basins.
    case basinCount = "BASIN_COUNT"
    /// A choice equal to the configured feet (`LOCK_LEVELING_CASTERS`, `SEISMIC_FEET`).
    case feet = "FEET"
    /// Per basin: where its faucet sits, among the placements configured for it.
    case faucetLocation = "FAUCET_LOCATION"
    /// The lifter button the build's leg kit holds: `DPF1K` or `DP1C` (any the BOM has).
    case lifterButton = "LIFTER_BUTTON"
}

/// How many of a packed item a build needs.
public indirect enum QuantityRule: Sendable, Hashable, Codable {
    case fixed(Int)
    /// One per basin of these types (all types when empty).
    case perBasin([BasinType])
    /// Per sprayer ordered of these types, times the sprayers' quantity.
    case perSprayer([SprayerType])
    /// Per faucet ordered of these types, times the faucets' quantity.
    case perFaucet([FaucetType])
    /// One per basin the condition holds for.
    case perBasinWhere(ChecklistCondition)

    public func quantity(in context: ChecklistContext) -> Int {
        let sink = context.sink
        switch self {
        case .fixed(let count): return count
        case .perBasin(let types): return sink.basins.filter { types.isEmpty || types.contains($0.type) }.count
        case .perSprayer(let types): return sink.sprayers.filter { types.contains($0.type) }.reduce(0) { $0 + $1.quantity }
        case .perFaucet(let types): return sink.faucets.filter { types.contains($0.type) }.reduce(0) { $0 + $1.quantity }
        case .perBasinWhere(let condition): return sink.basins.indices.count { condition.holds(in: context, basin: $0) }
        }
    }
}

extension ChecklistTemplate {
    /// What makes a template unusable, by field: every section needs items,
    /// item ids are unique, choices have options, limits are ordered.
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []
        if form.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "form", message: "name the customer's form"))
        }
        if signatureMeaning.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "signatureMeaning", message: "say what a signature means"))
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError(field: "name", message: "must not be empty")) }
        if sections.isEmpty { errors.append(FieldError(field: "sections", message: "a template needs at least one section")) }
        var seen: Set<String> = []
        for (sectionIndex, section) in sections.enumerated() {
            let sectionPath = JSONPath.root.key("sections").index(sectionIndex)
            if section.title.trimmingCharacters(in: .whitespaces).isEmpty {
                errors.append(FieldError(sectionPath.key("title"), "must not be empty"))
            }
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
                let options = Set(item.options ?? [])
                if let needing = item.noteRequiredFor, !Set(needing).isSubset(of: options) {
                    errors.append(FieldError(path.key("noteRequiredFor"), "must be among the options"))
                }
                if let labels = item.optionLabels, !Set(labels.keys).isSubset(of: options) {
                    errors.append(FieldError(path.key("optionLabels"), "labels options that the item does not have"))
                }
                switch item.expected {
                case .basinCount where item.answerType != .number:
                    errors.append(FieldError(path.key("expected"), "BASIN_COUNT needs a NUMBER item"))
                case .feet where item.answerType != .choice || !options.isSuperset(of: Feet.allCases.map(\.rawValue)):
                    errors.append(FieldError(path.key("expected"), "FEET needs a CHOICE item offering every kind of feet"))
                case .faucetLocation where item.answerType != .choice || !item.perBasin || !options.isSubset(of: FaucetLocation.all):
                    errors.append(
                        FieldError(
                            path.key("expected"),
                            "FAUCET_LOCATION needs a per-basin CHOICE item among \(FaucetLocation.all.joined(separator: ", "))"))
                case .lifterButton where item.answerType != .choice || !options.isSuperset(of: ["DPF1K", "DP1C"]):
                    errors.append(FieldError(path.key("expected"), "LIFTER_BUTTON needs a CHOICE item offering DPF1K and DP1C"))
                default: break
                }
                if item.perAccessory == true, item.perBasin {
                    errors.append(FieldError(path.key("perAccessory"), "an item repeats per basin or per accessory, not both"))
                }
                if case .fixed(let count)? = item.quantity, count < 1 {
                    errors.append(FieldError(path.key("quantity"), "a fixed quantity is at least 1"))
                }
                if let problem = item.condition.problem { errors.append(FieldError(path.key("condition"), problem)) }
            }
        }
        return errors
    }
}
