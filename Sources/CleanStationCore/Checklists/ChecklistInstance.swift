/// A checklist resolved for one build: per-basin items repeated for each
/// basin, accessory items for each ordered accessory, every item marked
/// applicable or not (with the reason), packed quantities computed.
public struct ChecklistInstance: Sendable, Hashable {
    public var kind: ChecklistKind
    public var templateVersion: Int
    public var buildNumber: String
    public var instrumentRequired: Bool
    public var sections: [Section]

    public struct Section: Sendable, Hashable {
        public var title: String
        public var items: [Item]
    }

    public struct Item: Sendable, Hashable {
        /// The template item's id, with `.bN` for basin N or `.ID` for an accessory.
        public var id: String
        public var templateItemID: String
        public var text: String
        public var answerType: AnswerType
        public var basin: Int?
        public var applicable: Bool
        /// Why the item does not apply to this build ("needs a pegboard").
        public var notApplicableReason: String?
        public var naAllowed: Bool
        public var unit: String?
        public var min: Double?
        public var max: Double?
        public var options: [String]?
        public var failingOptions: [String]?
        public var optionLabels: [String: String]
        public var noteRequiredFor: [String]
        /// The values that match the build's configuration; any other fails.
        public var expectedValues: [String]?
        public var expectedQuantity: Int?
        public var source: String?

        /// The words for an option value.
        /// The option's label, or its code in words (`CENTER_OF_BASIN` → "Center of basin", `60_L` → "60 L") on a template without labels.
        public func label(of option: String) -> String { optionLabels[option] ?? Self.words(option) }

        static func words(_ code: String) -> String {
            let words = code.split(separator: "_").map { word in
                word.count > 1 && word.allSatisfy(\.isLetter) ? word.lowercased() : String(word)
            }.joined(separator: " ")
            return words.prefix(1).uppercased() + words.dropFirst()
        }
    }

    public var items: [Item] { sections.flatMap(\.items) }
    public var applicableItems: [Item] { items.filter(\.applicable) }
}

extension ChecklistTemplate {
    public func instantiate(in context: ChecklistContext) -> ChecklistInstance {
        ChecklistInstance(
            kind: kind, templateVersion: version, buildNumber: context.sink.buildNumber, instrumentRequired: instrumentRequired ?? false,
            sections: sections.map { section in
                ChecklistInstance.Section(title: section.title, items: section.items.flatMap { $0.instances(in: context) })
            })
    }
}

extension ChecklistTemplate.Item {
    /// One instance for a sink-level item; one per basin for a per-basin
    /// item; one per ordered accessory for an accessory item.
    func instances(in context: ChecklistContext) -> [ChecklistInstance.Item] {
        if perAccessory == true {
            guard !context.sink.accessories.isEmpty else {
                return [instance(id: id, text: text, basin: nil, in: context, reason: "no accessories were ordered")]
            }
            // One line per accessory id: the same accessory ordered on two lines is one line of its total quantity.
            var lines: [AccessoryLine] = []
            for line in context.sink.accessories {
                if let index = lines.firstIndex(where: { $0.id == line.id }) {
                    lines[index].quantity += line.quantity
                } else {
                    lines.append(line)
                }
            }
            return lines.map { line in
                let bomLine = context.accessoryLine(line.id)
                let number = bomLine?.itemNumber ?? Accessories.byId[line.id]?.itemNumber
                let name = bomLine?.name.map { " — \($0)" } ?? ""
                var item = instance(
                    id: "\(id).\(line.id)", text: "\(text): \([number, line.id].compactMap { $0 }.joined(separator: " "))\(name)",
                    basin: nil, in: context)
                if item.applicable { item.expectedQuantity = line.quantity }
                return item
            }
        }
        guard perBasin else { return [instance(id: id, text: text, basin: nil, in: context)] }
        return context.sink.basins.indices.map { instance(id: "\(id).b\($0 + 1)", text: text, basin: $0, in: context) }
    }

    private func instance(
        id: String, text: String, basin: Int?, in context: ChecklistContext, reason: String? = nil
    ) -> ChecklistInstance.Item {
        let applicable = reason == nil && condition.holds(in: context, basin: basin)
        var options = options
        var expectedValues: [String]?
        switch expected {
        case .basinCount: expectedValues = [String(context.sink.basins.count)]
        case .feet: expectedValues = [context.sink.feet.rawValue]
        case .faucetLocation:
            let location = FaucetLocation(basin: (basin ?? 0) + 1, of: context.sink)
            options = options?.filter(location.offered.contains)
            expectedValues = location.expected
        case .lifterButton:
            let held = [("DPF1K", CatalogParts.lifterButtonDPF1K), ("DP1C", CatalogParts.lifterButtonDPF1C)]
                .filter { context.sinkParts.contains($0.1) }.map(\.0)
            expectedValues = held.isEmpty ? nil : held
        case nil: break
        }
        return ChecklistInstance.Item(
            id: id, templateItemID: self.id, text: text, answerType: answerType, basin: basin.map { $0 + 1 }, applicable: applicable,
            notApplicableReason: applicable ? nil : reason ?? "needs \(condition.summary)", naAllowed: naAllowed, unit: unit, min: min,
            max: max, options: options, failingOptions: failingOptions, optionLabels: optionLabels ?? [:],
            noteRequiredFor: noteRequiredFor ?? [], expectedValues: applicable ? expectedValues : nil,
            expectedQuantity: applicable ? quantity?.quantity(in: context) : nil, source: source)
    }
}

/// Where a basin's faucet may sit (CLP §1 "Sink Faucet Location"): the
/// form offers basin 1 centre or between 1/2; basin 2 between 1/2, 2/3 or
/// centre; basin 3 between 2/3 or centre, each only where the basins exist.
public struct FaucetLocation: Sendable, Hashable {
    public static let center = "CENTER"
    public static let none = "NONE"
    /// Every value the template lists, in the form's order.
    public static let all = [center, FaucetPlacement.between1And2.rawValue, FaucetPlacement.between2And3.rawValue, none]
    public static let labels = [
        center: "Center of basin", FaucetPlacement.between1And2.rawValue: "Between basins 1/2",
        FaucetPlacement.between2And3.rawValue: "Between basins 2/3", none: "No faucet at this basin",
    ]

    /// The values offered for this basin.
    public var offered: [String]
    /// The values that agree with the configured placements: a faucet
    /// between two basins serves both; centred faucets serve as many of the
    /// other basins as they number, which ones the order does not say.
    public var expected: [String]

    public init(basin: Int, of sink: SinkConfiguration) {
        let count = sink.basins.count
        func between(_ basin: Int) -> [String] {
            (basin > 1 ? ["BETWEEN_\(basin - 1)_\(basin)"] : []) + (basin < count ? ["BETWEEN_\(basin)_\(basin + 1)"] : [])
        }
        offered = (basin == 1 ? [Self.center] + between(basin) : between(basin) + [Self.center]) + [Self.none]
        let placements = Set(sink.faucets.map(\.placement.rawValue))
        let centred = sink.faucets.filter { $0.placement == .center }.reduce(0) { $0 + $1.quantity }
        let serving = between(basin).filter(placements.contains)
        let unserved = (1...max(count, 1)).filter { between($0).allSatisfy { !placements.contains($0) } }.count
        expected =
            serving + (centred > 0 && serving.isEmpty ? [Self.center] : []) + (serving.isEmpty && centred < unserved ? [Self.none] : [])
    }
}

extension ChecklistInstance {
    /// The JSON of `GET …/checklists/{kind}` (api.md), with the server's template id.
    public func jsonValue(templateID: String) -> JSONValue {
        func optional(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        func strings(_ values: [String]?) -> JSONValue { values.map { .array($0.map { .string($0) }) } ?? .null }
        return .object([
            JSONMember("templateId", .string(templateID)), JSONMember("templateVersion", .number(Double(templateVersion))),
            JSONMember("kind", .string(kind.rawValue)), JSONMember("buildNumber", .string(buildNumber)),
            JSONMember("instrumentRequired", .bool(instrumentRequired)),
            JSONMember(
                "sections",
                .array(
                    sections.map { section in
                        .object([
                            JSONMember("title", .string(section.title)),
                            JSONMember(
                                "items",
                                .array(
                                    section.items.map { item in
                                        .object([
                                            JSONMember("id", .string(item.id)), JSONMember("text", .string(item.text)),
                                            JSONMember("answerType", .string(item.answerType.rawValue)),
                                            JSONMember("basin", item.basin.map { .number(Double($0)) } ?? .null),
                                            JSONMember("applicable", .bool(item.applicable)),
                                            JSONMember("notApplicableReason", item.notApplicableReason.map { .string($0) } ?? .null),
                                            JSONMember("naAllowed", .bool(item.naAllowed)),
                                            JSONMember("unit", item.unit.map { .string($0) } ?? .null),
                                            JSONMember("min", optional(item.min)),
                                            JSONMember("max", optional(item.max)),
                                            JSONMember("options", strings(item.options)),
                                            JSONMember("failingOptions", strings(item.failingOptions)),
                                            JSONMember(
                                                "optionLabels",
                                                item.options == nil
                                                    ? .null
                                                    : .object((item.options ?? []).map { JSONMember($0, .string(item.label(of: $0))) })),
                                            JSONMember("noteRequiredFor", .array(item.noteRequiredFor.map { .string($0) })),
                                            JSONMember("expectedValues", strings(item.expectedValues)),
                                            JSONMember("expectedQuantity", item.expectedQuantity.map { .number(Double($0)) } ?? .null),
                                            JSONMember("source", item.source.map { .string($0) } ?? .null),
                                        ])
                                    })),
                        ])
                    })),
        ])
    }
}
