import CleanStationCore
import Vapor

/// An error answered as the envelope of security.md:
/// `{"error": {"code", "message", "details"}, "requestId"}`.
public struct APIError: AbortError, Sendable {
    public var status: HTTPResponseStatus
    public var code: String
    public var message: String
    public var details: [FieldError]
    public var headers: HTTPHeaders

    public var reason: String { message }

    public init(_ status: HTTPResponseStatus, _ code: String, _ message: String, details: [FieldError] = [], headers: HTTPHeaders = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public static func validation(_ errors: [FieldError]) -> APIError {
        APIError(.unprocessableEntity, "VALIDATION_ERROR", "The request has \(errors.count) invalid field(s).", details: errors)
    }

    public static func validation(_ failure: ValidationError) -> APIError { validation(failure.errors) }

    public static let unauthorized = APIError(.unauthorized, "INVALID_TOKEN", "Sign in first: a valid bearer token is required.")
    public static let forbidden = APIError(.forbidden, "PERMISSION_DENIED", "Your role may not do this.")

    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, "RESOURCE_NOT_FOUND", "\(what) does not exist.")
    }

    public static func conflict(_ message: String) -> APIError {
        APIError(.conflict, "RESOURCE_CONFLICT", message)
    }

    /// An `OrderPolicy` refusal: 403 for a role that never may, 409 otherwise.
    init(_ refusal: OrderPolicy.Refusal, naming build: String? = nil) {
        let message = build.map { OrderPolicy.naming(refusal.message, build: $0) } ?? refusal.message
        switch refusal {
        case .role: self.init(.forbidden, "PERMISSION_DENIED", message)
        case .state: self.init(.conflict, "INVALID_TRANSITION", message)
        case .conflict: self.init(.conflict, "RESOURCE_CONFLICT", message)
        case .tasksOpen: self.init(.conflict, "TASKS_OPEN", message)
        case .lotsMissing(let items):
            self.init(
                .conflict, "LOTS_MISSING", message, details: items.map { FieldError(field: "lots.\($0)", message: "no lot recorded") })
        }
    }
}

struct ErrorEnvelope: Content {
    struct Body: Content {
        var code: String
        var message: String
        var details: [FieldError]
    }

    var error: Body
    var requestId: String
}
