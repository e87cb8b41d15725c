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
