import Vapor

/// After every request that may have written, pokes the background workers
/// that follow the database (the audit file, the e-mail outbox); the
/// response has been produced, so the write's transaction is over.
struct AfterWriteMiddleware: AsyncMiddleware {
    let pokes: [@Sendable () -> Void]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.method != .GET, request.method != .HEAD {
            for poke in pokes { poke() }
        }
        return response
    }
}
