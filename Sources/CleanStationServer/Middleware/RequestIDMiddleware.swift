import Vapor

/// Accepts a sane `X-Request-Id` or makes one, puts it in the logger's
/// metadata and returns it on the response; logs one line per request
/// (probes and scrapes at debug level only).
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
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: Self.header, value: id)
        let quiet = ["/api/health", "/api/ready", "/metrics"].contains(request.url.path)
        request.logger.log(
            level: quiet ? .debug : .info, "\(request.method.rawValue) \(request.url.path)",
            metadata: [
                "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible((ContinuousClock.now - start).milliseconds),
            ])
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
