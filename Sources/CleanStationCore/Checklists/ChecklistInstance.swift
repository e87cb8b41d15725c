/// A checklist resolved for one build: per-basin items repeated for each
/// qualifying basin, items that do not apply marked, packed quantities computed.
public struct ChecklistInstance: Sendable, Hashable {
    public var kind: ChecklistKind
    public var templateVersion: Int
    public var buildNumber: String
    public var sections: [Section]

    public struct Section: Sendable, Hashable {
        public var title: String
        public var items: [Item]
    }

    public struct Item: Sendable, Hashable {
        /// The template item's id, with `.bN` for basin N.
        public var id: String
        public var templateItemID: String
        public var text: String
        public var answerType: AnswerType
        public var basin: Int?
        public var applicable: Bool
        public var naAllowed: Bool
        public var unit: String?
        public var min: Double?
        public var max: Double?
        public var options: [String]?
        public var failingOptions: [String]?
        public var expectedQuantity: Int?
    }

    public var items: [Item] { sections.flatMap(\.items) }
}

extension ChecklistTemplate {
    public func instantiate(for sink: SinkConfiguration) -> ChecklistInstance {
        ChecklistInstance(
            kind: kind, templateVersion: version, buildNumber: sink.buildNumber,
            sections: sections.map { section in
                ChecklistInstance.Section(title: section.title, items: section.items.flatMap { $0.instances(for: sink) })
            })
    }
}

extension ChecklistTemplate.Item {
    /// One instance for a sink-level item; one per qualifying basin for a
    /// per-basin item, or a single non-applicable one when no basin qualifies.
    func instances(for sink: SinkConfiguration) -> [ChecklistInstance.Item] {
        guard perBasin else { return [instance(id: id, basin: nil, applicable: condition.holds(for: sink), sink: sink)] }
        let qualifying = sink.basins.indices.filter { condition.holds(for: sink, basinIndex: $0) }
        guard !qualifying.isEmpty else { return [instance(id: id, basin: nil, applicable: false, sink: sink)] }
        return qualifying.map { instance(id: "\(id).b\($0 + 1)", basin: $0 + 1, applicable: true, sink: sink) }
    }

    private func instance(id: String, basin: Int?, applicable: Bool, sink: SinkConfiguration) -> ChecklistInstance.Item {
        ChecklistInstance.Item(
            id: id, templateItemID: self.id, text: text, answerType: answerType, basin: basin, applicable: applicable, naAllowed: naAllowed,
            unit: unit, min: min, max: max, options: options, failingOptions: failingOptions,
            expectedQuantity: applicable ? quantity?.quantity(for: sink) : nil)
    }
}

extension ChecklistInstance {
    /// The JSON of `GET …/checklists/{kind}` (api.md), with the server's template id.
    public func jsonValue(templateID: String) -> JSONValue {
        func optional(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
        return .object([
            JSONMember("templateId", .string(templateID)), JSONMember("templateVersion", .number(Double(templateVersion))),
            JSONMember("kind", .string(kind.rawValue)), JSONMember("buildNumber", .string(buildNumber)),
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
                                            JSONMember("naAllowed", .bool(item.naAllowed)),
                                            JSONMember("unit", item.unit.map { .string($0) } ?? .null),
                                            JSONMember("min", optional(item.min)),
                                            JSONMember("max", optional(item.max)),
                                            JSONMember("options", item.options.map { .array($0.map { .string($0) }) } ?? .null),
                                            JSONMember("expectedQuantity", item.expectedQuantity.map { .number(Double($0)) } ?? .null),
                                        ])
                                    })),
                        ])
                    })),
        ])
    }
}
