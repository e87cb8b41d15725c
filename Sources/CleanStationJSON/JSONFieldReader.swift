/// Reads typed values out of a `JSONValue`, collecting every problem as a
/// `FieldError` instead of stopping at the first, so that a form or a file
/// can be corrected in one pass.
public struct JSONFieldReader: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func fail(_ path: JSONPath, _ message: String) {
        errors.append(FieldError(path, message))
    }

    /// Whether a problem was recorded at `path` or inside it.
    public func hasErrors(within path: JSONPath) -> Bool {
        let prefix = path.description
        return errors.contains { $0.field == prefix || $0.field.hasPrefix(prefix + ".") || $0.field.hasPrefix(prefix + "[") }
    }

    /// The members of an object. Duplicate keys are reported; with
    /// `allowedKeys`, so are the members not in it.
    public mutating func object(
        _ value: JSONValue, at path: JSONPath, allowedKeys: Set<String>? = nil
    ) -> JSONObjectFields? {
        guard case .object(let members) = value else {
            fail(path, "must be an object, not \(value.typeName)")
            return nil
        }
        var fields: [String: JSONValue] = [:]
        var order: [String] = []
        for member in members {
            if fields[member.key] != nil {
                fail(path.key(member.key), "appears more than once")
                continue
            }
            if let allowedKeys, !allowedKeys.contains(member.key) {
                fail(path.key(member.key), "is not a known field")
                continue
            }
            fields[member.key] = member.value
            order.append(member.key)
        }
        return JSONObjectFields(path: path, values: fields, keys: order)
    }

    /// The value of a member: `nil`, and an error when `required`, if it is
    /// absent or null.
    public mutating func member(_ fields: JSONObjectFields, _ key: String, required: Bool = true) -> JSONValue? {
        guard let value = fields.values[key], value != .null else {
            if required { fail(fields.path.key(key), "is required") }
            return nil
        }
        return value
    }

    public mutating func string(_ value: JSONValue, at path: JSONPath) -> String? {
        guard case .string(let text) = value else {
            fail(path, "must be a string, not \(value.typeName)")
            return nil
        }
        return text
    }

    public mutating func bool(_ value: JSONValue, at path: JSONPath) -> Bool? {
        guard case .bool(let flag) = value else {
            fail(path, "must be true or false, not \(value.typeName)")
            return nil
        }
        return flag
    }

    public mutating func number(_ value: JSONValue, at path: JSONPath) -> Double? {
        guard case .number(let number) = value else {
            fail(path, "must be a number, not \(value.typeName)")
            return nil
        }
        return number
    }

    public mutating func integer(_ value: JSONValue, at path: JSONPath) -> Int? {
        guard let number = number(value, at: path) else { return nil }
        guard let integer = Int(exactly: number) else {
            fail(path, "must be a whole number, not \(JSONSerializer.format(number))")
            return nil
        }
        return integer
    }

    public mutating func array(_ value: JSONValue, at path: JSONPath) -> [JSONValue]? {
        guard case .array(let elements) = value else {
            fail(path, "must be an array, not \(value.typeName)")
            return nil
        }
        return elements
    }

    /// A string that must be one of an enumeration's raw values.
    public mutating func enumeration<Value: RawRepresentable & CaseIterable>(
        _ type: Value.Type, _ value: JSONValue, at path: JSONPath
    ) -> Value? where Value.RawValue == String {
        guard let text = string(value, at: path) else { return nil }
        guard let result = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            fail(path, "\(JSONSerializer.quoted(text)) is not one of \(allowed)")
            return nil
        }
        return result
    }
}

/// The members of one JSON object, with its path.
public struct JSONObjectFields: Sendable {
    public let path: JSONPath
    public let values: [String: JSONValue]
    /// The keys in document order.
    public let keys: [String]
}

extension JSONFieldReader {
    /// A required string member.
    public mutating func requiredString(_ fields: JSONObjectFields, _ key: String) -> String? {
        member(fields, key).flatMap { string($0, at: fields.path.key(key)) }
    }

    /// An optional string member: absent and null are `nil`, other types an error.
    public mutating func optionalString(_ fields: JSONObjectFields, _ key: String) -> String? {
        member(fields, key, required: false).flatMap { string($0, at: fields.path.key(key)) }
    }

    /// An optional boolean member: absent and null are `defaultValue`.
    public mutating func optionalBool(_ fields: JSONObjectFields, _ key: String, default defaultValue: Bool) -> Bool? {
        guard let value = member(fields, key, required: false) else { return defaultValue }
        return bool(value, at: fields.path.key(key))
    }
}
