import NIOCore
import NIOPosix
import Vapor

/// The baseline of BENCHMARKS.md: a bare Vapor application answering
/// `GET /api/health` with a small JSON body, built the same way as
/// `cleanstation` (same package, same flags), so that the cost of
/// CleanStation's own middleware on the hot path can be measured.
/// `HelloVapor serve --port P --log warning`
///
/// Like `cleanstation`, it runs Swift concurrency on SwiftNIO's event loops.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
var environment = try Environment.detect()
try LoggingSystem.bootstrap(from: &environment)
let app = try await Application.make(environment)
app.get("api", "health") { _ -> Response in
    var headers = HTTPHeaders()
    headers.contentType = .json
    return Response(status: .ok, headers: headers, body: .init(string: #"{"status":"ok","version":"hello","uptimeSeconds":0}"#))
}
do {
    try await app.execute()
} catch {
    try? await app.asyncShutdown()
    throw error
}
try await app.asyncShutdown()
