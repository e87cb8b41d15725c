import CleanStationCore
import Vapor

/// A typed answer of the API (issue 19). Handlers return it, pages read
/// its fields, and `OpenAPITests` checks `example` against the schema the
/// document gives for it, both ways: a field added to the type and missing
/// from the document, or the other way round, fails the test.
/// Written by the project's serializer like every other answer: members in
/// the order of the properties, `nil` as null.
protocol APIResponse: Encodable, Sendable, AsyncResponseEncodable {
    /// A value with every optional filled, for the document's check.
    static var example: Self { get }
}

extension APIResponse {
    func encodeResponse(for request: Request) async throws -> Response {
        try await JSONValueEncoder.encode(self).encodeResponse(for: request)
    }

    /// The answer as JSON, for what keeps it (the audit trail).
    var json: JSONValue {
        get throws { try JSONValueEncoder.encode(self) }
    }
}

/// A list answered as a bare JSON array.
struct APIList<Element: APIResponse>: APIResponse {
    var items: [Element]

    init(_ items: [Element]) { self.items = items }

    static var example: Self { Self([Element.example]) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(items)
    }
}

/// A typed body of the API (issue 19). The API reads it from JSON (`read`:
/// its members and their JSON types); a page builds it from its form. Both
/// hand it to the same handler, which checks its values (`check`, each
/// error with the path the API's body would have) and gets the checked
/// value: the rules live once, and no page writes a body for the API.
protocol APIInput: Sendable {
    associatedtype Checked
    /// The body's members and their JSON types; `nil` when the reader failed.
    static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> Self?
    /// The values' rules; `nil` or errors in `reader` when one is broken.
    func check(_ reader: inout JSONFieldReader) -> Checked?
}

extension APIInput {
    /// The checked value, or a 422 naming every broken field.
    func checked() throws -> Checked {
        var reader = JSONFieldReader()
        let value = check(&reader)
        guard let value, reader.errors.isEmpty else { throw APIError.validation(reader.errors) }
        return value
    }
}

extension APIInput where Checked == Self {
    func check(_ reader: inout JSONFieldReader) -> Self? { self }
}

extension Request {
    /// The body as `Input`. Its values are checked here too, so that the
    /// errors of the JSON and of the values come back at once (a 422
    /// naming every field); the handler checks again to get the value.
    func input<Input: APIInput>(_: Input.Type) throws -> Input {
        try readBody { json, reader in
            guard let input = Input.read(json, &reader) else { return nil }
            _ = input.check(&reader)
            return input
        }
    }
}
