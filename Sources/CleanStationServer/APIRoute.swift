import CleanStationCore
import Vapor

/// Who may call a route. Deny by default: every route names its rule.
enum Access: Sendable, Equatable {
    case anyone
    /// Any signed-in user but the roles listed.
    case signedIn(except: Set<Role> = [])
    case roles(Set<Role>)
    /// Loopback and the configured internal networks, whoever asks.
    case internalNetwork

    /// The roles allowed, `nil` for anyone.
    var allowedRoles: Set<Role>? {
        switch self {
        case .anyone, .internalNetwork: nil
        case .signedIn(let except): Set(Role.allCases).subtracting(except)
        case .roles(let roles): roles
        }
    }
}

/// One entry of the typed route list: method, path, access rule and handler.
struct APIRoute: Sendable {
    var method: HTTPMethod
    var path: String
    var access: Access
    var summary: String
    /// The largest body collected for it: 1 MiB for JSON unless said otherwise.
    var maxBodySize: ByteCount
    /// Whether a user who must still enrol in two-factor sign-in may call it.
    var allowedBeforeSetup: Bool
    var handler: @Sendable (Request) async throws -> Response

    init<Output: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: String, _ access: Access, _ summary: String,
        _ handler: @escaping @Sendable (Request) async throws -> Output, maxBodySize: ByteCount = "1mb", allowedBeforeSetup: Bool = false
    ) {
        self.allowedBeforeSetup = allowedBeforeSetup
        self.method = method
        self.path = path
        self.access = access
        self.summary = summary
        self.maxBodySize = maxBodySize
        self.handler = { request in try await handler(request).encodeResponse(for: request) }
    }

    var pathComponents: [PathComponent] {
        path.split(separator: "/").map { $0.hasPrefix(":") ? .parameter(String($0.dropFirst())) : .constant(String($0)) }
    }
}
