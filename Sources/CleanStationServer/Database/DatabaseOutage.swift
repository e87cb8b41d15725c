import FluentPostgresDriver
import NIOCore
import NIOPosix

/// Errors that mean the database cannot be reached right now (refused or
/// dropped connections, a server starting or shutting down, a pool that
/// cannot hand out a connection), as opposed to a failed query. The API
/// answers them with 503 and `Retry-After`, at once, so that clients and
/// load balancers back off instead of seeing a 500.
enum DatabaseOutage {
    static func matches(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed: return true
            case .server:
                // SQLSTATE class 08 (connection exception) and 57 (operator intervention: shutdown, starting up).
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57")
            default: return false
            }
        case is ConnectionPoolTimeoutError, is ConnectionPoolError, is NIOConnectionError, is ChannelError, is IOError:
            return true
        default:
            return false
        }
    }
}
