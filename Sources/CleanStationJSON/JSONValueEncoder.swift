import Foundation

/// Any `Encodable` as a `JSONValue`, without a round trip through bytes.
/// Members keep the order the type encodes them in (for synthesized
/// conformances, the order of the properties), and an optional property
/// that is `nil` is written as `null`, not left out: a typed answer has
/// the same members whatever it holds, as the OpenAPI document says.
/// A `JSONValue` inside encodes as itself. Dates, data, URLs and decimals
/// are refused (the API writes them as text it formats itself), and so are
/// dictionaries, whose keys have no order.
public enum JSONValueEncoder {
    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String
    }

    public static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Node()
        try encode(value, into: root, at: [])
        return root.value ?? .object([])
    }

    /// A value being built; containers write into it by reference.
    final class Node {
        enum Content {
            case value(JSONValue)
            case object([(String, Node)])
            case array([Node])
        }
        var content: Content?

        var value: JSONValue? {
            switch content {
            case nil: nil
            case .value(let value): value
            case .object(let members): .object(members.map { JSONMember($0.0, $0.1.value ?? .null) })
            case .array(let items): .array(items.map { $0.value ?? .null })
            }
        }

        func member(_ key: String) -> Node {
            var members: [(String, Node)] = []
            if case .object(let existing) = content { members = existing }
            if let found = members.first(where: { $0.0 == key }) { return found.1 }
            let node = Node()
            members.append((key, node))
            content = .object(members)
            return node
        }

        func append() -> Node {
            var items: [Node] = []
            if case .array(let existing) = content { items = existing }
            let node = Node()
            items.append(node)
            content = .array(items)
            return node
        }

        func set(_ value: JSONValue) { content = .value(value) }
    }

    struct ValueEncoder: Encoder {
        let node: Node
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.content {} else { node.content = .object([]) }
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.content {} else { node.content = .array([]) }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    static func encode(_ value: some Encodable, into node: Node, at path: [any CodingKey]) throws {
        switch value {
        case let json as JSONValue: node.set(json)
        case is Date, is Data, is URL, is Decimal:
            throw Unsupported(
                description: "\(path.map(\.stringValue).joined(separator: ".")): \(type(of: value)) is written as formatted text")
        default:
            // A dictionary's keys come in hash order: an answer lists its members in a declared order.
            // A cast, not reflection: this runs for every value of every typed answer.
            if value is any ExpressibleByDictionaryLiteral {
                throw Unsupported(
                    description: "\(path.map(\.stringValue).joined(separator: ".")): a dictionary has no order; use a type or an array")
            }
            try value.encode(to: ValueEncoder(node: node, codingPath: path))
        }
    }

    static func number<T: BinaryInteger>(_ value: T) -> JSONValue { .number(Double(value)) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).set(.null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { node.member(key.stringValue).set(.bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { node.member(key.stringValue).set(.string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { node.member(key.stringValue).set(.number(value)) }
        mutating func encode(_ value: Float, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
        mutating func encode(_ value: Int, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { node.member(key.stringValue).set(number(value)) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try JSONValueEncoder.encode(value, into: node.member(key.stringValue), at: codingPath + [key])
        }
        // `nil` is written as null: the member is always there. Every overload the
        // standard library gives a default for (which would leave the member out) is here.
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws {
            guard let value else { return try encodeNil(forKey: key) }
            try encode(value, forKey: key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        )
            -> KeyedEncodingContainer<NestedKey>
        {
            ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { ValueEncoder(node: node.member("super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey]
        var count: Int {
            if case .array(let items) = node.content { return items.count }
            return 0
        }

        mutating func encodeNil() throws { node.append().set(.null) }
        mutating func encode(_ value: Bool) throws { node.append().set(.bool(value)) }
        mutating func encode(_ value: String) throws { node.append().set(.string(value)) }
        mutating func encode(_ value: Double) throws { node.append().set(.number(value)) }
        mutating func encode(_ value: Float) throws { node.append().set(.number(Double(value))) }
        mutating func encode(_ value: Int) throws { node.append().set(number(value)) }
        mutating func encode(_ value: Int8) throws { node.append().set(number(value)) }
        mutating func encode(_ value: Int16) throws { node.append().set(number(value)) }
        mutating func encode(_ value: Int32) throws { node.append().set(number(value)) }
        mutating func encode(_ value: Int64) throws { node.append().set(number(value)) }
        mutating func encode(_ value: UInt) throws { node.append().set(number(value)) }
        mutating func encode(_ value: UInt8) throws { node.append().set(number(value)) }
        mutating func encode(_ value: UInt16) throws { node.append().set(number(value)) }
        mutating func encode(_ value: UInt32) throws { node.append().set(number(value)) }
        mutating func encode(_ value: UInt64) throws { node.append().set(number(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONValueEncoder.encode(value, into: node.append(), at: codingPath)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            ValueEncoder(node: node.append(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            ValueEncoder(node: node.append(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { ValueEncoder(node: node.append(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.set(.null) }
        mutating func encode(_ value: Bool) throws { node.set(.bool(value)) }
        mutating func encode(_ value: String) throws { node.set(.string(value)) }
        mutating func encode(_ value: Double) throws { node.set(.number(value)) }
        mutating func encode(_ value: Float) throws { node.set(.number(Double(value))) }
        mutating func encode(_ value: Int) throws { node.set(number(value)) }
        mutating func encode(_ value: Int8) throws { node.set(number(value)) }
        mutating func encode(_ value: Int16) throws { node.set(number(value)) }
        mutating func encode(_ value: Int32) throws { node.set(number(value)) }
        mutating func encode(_ value: Int64) throws { node.set(number(value)) }
        mutating func encode(_ value: UInt) throws { node.set(number(value)) }
        mutating func encode(_ value: UInt8) throws { node.set(number(value)) }
        mutating func encode(_ value: UInt16) throws { node.set(number(value)) }
        mutating func encode(_ value: UInt32) throws { node.set(number(value)) }
        mutating func encode(_ value: UInt64) throws { node.set(number(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try JSONValueEncoder.encode(value, into: node, at: codingPath) }
    }
}
