import Vapor

/// Turns every error into the JSON envelope, with the request id. A 500
/// is logged with its cause and answered without internals. No answer of
/// the API is kept by a browser or a proxy (`Cache-Control: no-store`).
struct APIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = Self.response(for: error, request: request)
        }
        if request.url.path.hasPrefix("/api/"), response.headers.first(name: .cacheControl) == nil {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }

    static func response(for error: any Error, request: Request) -> Response {
        let apiError = apiError(for: error, request: request)
        let envelope = ErrorEnvelope(
            error: .init(code: apiError.code, message: apiError.message, details: apiError.details), requestId: request.requestID)
        let response = Response(status: apiError.status, headers: apiError.headers)
        do {
            try response.content.encode(envelope)
        } catch {
            response.body = .init(string: #"{"error":{"code":"INTERNAL_ERROR","message":"","details":[]},"requestId":""}"#)
        }
        return response
    }

    /// What any error means to a client; a 500 is logged with its cause.
    static func apiError(for error: any Error, request: Request) -> APIError {
        let apiError: APIError
        switch error {
        case let error as APIError:
            apiError = error
        case let error as any AbortError where error.status.code < 500:
            apiError = APIError(error.status, code(for: error.status), error.reason, headers: error.headers)
        case let error as DecodingError:
            apiError = APIError(.badRequest, "VALIDATION_ERROR", "The body could not be read: \(error.localizedDescription)")
        case let error where String(reflecting: type(of: error)).hasPrefix("MultipartKit."):
            // MultipartKit's parser errors are not public types: a body that is not multipart/form-data as declared.
            apiError = APIError(
                .badRequest, "VALIDATION_ERROR", "The body is not valid multipart/form-data: \(String(describing: error))")
        case let error where DatabaseOutage.matches(error):
            request.logger.warning("the database is unavailable", metadata: ["error": "\(String(reflecting: error))"])
            apiError = APIError(
                .serviceUnavailable, "SERVICE_UNAVAILABLE", "The database is unavailable; try again shortly.", headers: ["Retry-After": "5"]
            )
        default:
            request.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            apiError = APIError(.internalServerError, "INTERNAL_ERROR", "Something went wrong on our side; the request id identifies it.")
        }
        return apiError
    }

    static func code(for status: HTTPResponseStatus) -> String {
        switch status {
        case .notFound: "RESOURCE_NOT_FOUND"
        case .unauthorized: "INVALID_TOKEN"
        case .forbidden: "PERMISSION_DENIED"
        case .conflict: "RESOURCE_CONFLICT"
        case .payloadTooLarge: "PAYLOAD_TOO_LARGE"
        case .tooManyRequests: "RATE_LIMITED"
        default: "VALIDATION_ERROR"
        }
    }
}
