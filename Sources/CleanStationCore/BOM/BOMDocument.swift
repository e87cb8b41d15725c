/// The BOM of one sink (bom-rules.md §5): the top-level lines expanded
/// through the catalogue, the flat pick list and the data gaps met.
public struct BOMDocument: Sendable, Hashable, Codable {
    public var buildNumber: String
    public var items: [BOMItem]
    /// Every leaf with its total quantity for the sink, sorted by id.
    public var lines: [BOMLine]
    public var warnings: [String]

    public init(buildNumber: String, items: [BOMItem], lines: [BOMLine], warnings: [String]) {
        self.buildNumber = buildNumber
        self.items = items
        self.lines = lines
        self.warnings = warnings
    }
}

public enum BOMItemKind: String, Sendable, Hashable, CaseIterable, Codable {
    case assembly = "ASSEMBLY"
    case part = "PART"
    case custom = "CUSTOM"
    case unknown = "UNKNOWN"
}

/// A node of the BOM tree; a child's quantity is per one parent.
public struct BOMItem: Sendable, Hashable, Codable {
    public var id: String
    public var itemNumber: String?
    public var name: String?
    public var kind: BOMItemKind
    public var quantity: Int
    public var inCatalog: Bool
    /// The numbering series of a custom part.
    public var series: String?
    /// Choices the line carries, such as a pegboard's `color`.
    public var attributes: [String: String]?
    public var children: [BOMItem]

    public init(
        id: String, itemNumber: String? = nil, name: String?, kind: BOMItemKind, quantity: Int, inCatalog: Bool,
        series: String? = nil, attributes: [String: String]? = nil, children: [BOMItem] = []
    ) {
        self.id = id
        self.itemNumber = itemNumber
        self.name = name
        self.kind = kind
        self.quantity = quantity
        self.inCatalog = inCatalog
        self.series = series
        self.attributes = attributes
        self.children = children
    }
}

/// A line of the pick list: one leaf id and how many the sink needs.
public struct BOMLine: Sendable, Hashable, Codable {
    public var id: String
    public var name: String?
    public var kind: BOMItemKind
    public var quantity: Int
    public var inCatalog: Bool
    public var series: String?
    public var attributes: [String: String]?

    public init(
        id: String, name: String?, kind: BOMItemKind, quantity: Int, inCatalog: Bool, series: String? = nil,
        attributes: [String: String]? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.quantity = quantity
        self.inCatalog = inCatalog
        self.series = series
        self.attributes = attributes
    }

    init(leaf item: BOMItem, quantity: Int) {
        self.init(
            id: item.id, name: item.name, kind: item.kind, quantity: quantity, inCatalog: item.inCatalog, series: item.series,
            attributes: item.attributes)
    }
}

extension BOMDocument {
    /// The document as JSON, keys in the order of §5; the same document
    /// always gives the same bytes.
    public var jsonValue: JSONValue {
        .object([
            JSONMember("buildNumber", .string(buildNumber)),
            JSONMember("items", .array(items.map(\.jsonValue))),
            JSONMember("lines", .array(lines.map(\.jsonValue))),
            JSONMember("warnings", .array(warnings.map { .string($0) })),
        ])
    }
}

extension BOMItem {
    var jsonValue: JSONValue {
        var members = [JSONMember("id", .string(id))]
        if let itemNumber { members.append(JSONMember("itemNumber", .string(itemNumber))) }
        members += [
            JSONMember("name", name.map { .string($0) } ?? .null), JSONMember("kind", .string(kind.rawValue)),
            JSONMember("quantity", .number(Double(quantity))), JSONMember("inCatalog", .bool(inCatalog)),
        ]
        if let series { members.append(JSONMember("series", .string(series))) }
        if let attributes { members.append(JSONMember("attributes", attributes.jsonValue)) }
        members.append(JSONMember("children", .array(children.map(\.jsonValue))))
        return .object(members)
    }
}

extension BOMLine {
    var jsonValue: JSONValue {
        var members = [
            JSONMember("id", .string(id)), JSONMember("name", name.map { .string($0) } ?? .null),
            JSONMember("kind", .string(kind.rawValue)), JSONMember("quantity", .number(Double(quantity))),
            JSONMember("inCatalog", .bool(inCatalog)),
        ]
        if let series { members.append(JSONMember("series", .string(series))) }
        if let attributes { members.append(JSONMember("attributes", attributes.jsonValue)) }
        return .object(members)
    }
}

extension [String: String] {
    fileprivate var jsonValue: JSONValue {
        .object(sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) })
    }
}

// Encoding goes through `jsonValue`, so that every encoder writes the same
// members (`name: null` for an unknown id) as the CLI and the API.
extension BOMDocument {
    public func encode(to encoder: any Encoder) throws { try jsonValue.encode(to: encoder) }
}

extension BOMItem {
    public func encode(to encoder: any Encoder) throws { try jsonValue.encode(to: encoder) }
}

extension BOMLine {
    public func encode(to encoder: any Encoder) throws { try jsonValue.encode(to: encoder) }
}
