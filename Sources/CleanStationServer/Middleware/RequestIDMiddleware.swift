import Vapor

/// Accepts a sane `X-Request-Id` or makes one, puts it in the logger's
/// metadata and returns it on the response.
struct RequestIDMiddleware: AsyncMiddleware {
    static let header = "X-Request-Id"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let given = request.headers.first(name: Self.header)
        let id =
            given.flatMap { value in
                value.count <= 128 && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) } ? value : nil
            } ?? UUID().uuidString.lowercased()
        request.storage[RequestIDKey.self] = id
        request.logger[metadataKey: "request_id"] = .string(id)
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: Self.header, value: id)
        return response
    }
}

struct RequestIDKey: StorageKey {
    typealias Value = String
}

extension Request {
    /// The id of this request, as logged and returned in `X-Request-Id`.
    var requestID: String {
        storage[RequestIDKey.self] ?? id
    }
}
