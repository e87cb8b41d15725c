/// One problem with one field of an input, addressed by its JSON path.
/// Its JSON is the `details[]` entry of the API's `VALIDATION_ERROR`.
public struct FieldError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public init(_ path: JSONPath, _ message: String) {
        self.init(field: path.description, message: message)
    }

    /// `field: message`, or the message alone for the document as a whole.
    public var description: String {
        field.isEmpty ? message : "\(field): \(message)"
    }
}

/// Every problem found in one input, in document order.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
