import Vapor

/// Serves the pages' styles and scripts from `Public`. Only paths under
/// `/css/` and `/js/` reach the file system: Vapor's `FileMiddleware` alone
/// would look for a file on every request, the API's included (measured:
/// `/api/health` lost about a third of its throughput to it).
struct PublicFilesMiddleware: AsyncMiddleware {
    static let prefixes = ["/css/", "/js/"]
    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard Self.prefixes.contains(where: request.url.path.hasPrefix) else { return try await next.respond(to: request) }
        return try await files.respond(to: request, chainingTo: next).get()
    }
}
