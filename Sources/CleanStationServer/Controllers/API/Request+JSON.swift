import CleanStationCore
import Vapor

extension Request {
    /// The body parsed by the strict parser; text that is not JSON is a 422
    /// naming where it went wrong.
    func jsonBody() throws -> JSONValue {
        guard let buffer = body.data else { throw APIError.validation([FieldError(field: "", message: "a JSON body is required")]) }
        do {
            return try JSONParser.parse(Data(buffer: buffer))
        } catch {
            throw APIError.validation([FieldError(error.path, "not valid JSON: \(error)")])
        }
    }

    /// Reads a body with a `JSONFieldReader` closure; any error is a 422.
    func readBody<Value>(_ read: (JSONValue, inout JSONFieldReader) -> Value?) throws -> Value {
        var reader = JSONFieldReader()
        let value = read(try jsonBody(), &reader)
        guard let value, reader.errors.isEmpty else { throw APIError.validation(reader.errors) }
        return value
    }

    /// A whole-number query parameter within `range`; anything else (text,
    /// a number out of range or past `Int`) is a field error, never a trap.
    func boundedQuery(
        _ name: String, default value: Int, range: ClosedRange<Int>, _ errors: inout [FieldError]
    ) -> Int {
        guard let text = query[String.self, at: name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            errors.append(FieldError(field: name, message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
            return value
        }
        return number
    }

    func uuidParameter(_ name: String, _ what: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else { throw APIError.notFound(what) }
        return id
    }
}

extension JSONValue: AsyncResponseEncodable {
    /// Written by the project's serializer, keys in their given order.
    public func encodeResponse(for request: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: JSONSerializer.data(self)))
    }
}
