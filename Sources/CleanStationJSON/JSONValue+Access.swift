extension JSONValue {
    /// The text of a string value.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number of a number value.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The truth of a boolean value.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of an array; empty for other values.
    public var array: [JSONValue] {
        if case .array(let elements) = self { return elements }
        return []
    }

    /// The members of an object; empty for other values.
    public var members: [JSONMember] {
        if case .object(let members) = self { return members }
        return []
    }

    /// A copy with the value at `path` replaced, or removed when `value` is
    /// `nil`; missing object members are added. Used to derive one document
    /// from another, as "copy configuration from build N" does.
    public func setting(_ path: [JSONPath.Component], to value: JSONValue?) -> JSONValue {
        guard let first = path.first else { return value ?? .null }
        let rest = Array(path.dropFirst())
        switch (self, first) {
        case (.object(var members), .key(let key)):
            if let index = members.firstIndex(where: { $0.key == key }) {
                if rest.isEmpty, value == nil {
                    members.remove(at: index)
                } else {
                    members[index].value = members[index].value.setting(rest, to: value)
                }
            } else if let value {
                members.append(JSONMember(key, JSONValue.null.setting(rest, to: value)))
            }
            return .object(members)
        case (.array(var elements), .index(let index)) where elements.indices.contains(index):
            elements[index] = elements[index].setting(rest, to: value)
            return .array(elements)
        default:
            return self
        }
    }
}
