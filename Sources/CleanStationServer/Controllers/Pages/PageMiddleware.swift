import CleanStationCore
import Vapor

/// Around every page: security headers, the CSRF cookie, the flash message
/// read once, and errors as HTML pages; an unauthenticated visit goes to the
/// sign-in page and comes back to where it was afterwards.
struct PageMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
        + "frame-ancestors 'none'; form-action 'self'"

    /// The camera for scanning build labels on this site; nothing else.
    static let permissionsPolicy =
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), display-capture=()"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            // An unknown address under /api reaches the pages' catch-all; it is answered as the API answers.
            if request.url.path.hasPrefix("/api/") { throw error }
            response = try await Self.errorResponse(for: error, request: request)
        }
        let headers = [
            ("Content-Security-Policy", Self.contentSecurityPolicy), ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
            ("Permissions-Policy", Self.permissionsPolicy),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        if response.headers.first(name: .cacheControl) == nil { response.headers.replaceOrAdd(name: .cacheControl, value: "no-store") }
        let web = request.application.webSession
        if let nonce = request.storage[CSRFNonceKey.self], request.cookies[WebSession.csrfCookie]?.string != nonce {
            response.cookies[WebSession.csrfCookie] = web.cookie(nonce)
        }
        if request.cookies[WebSession.flashCookie] != nil, response.cookies[WebSession.flashCookie] == nil,
            response.status.code < 300
        {
            response.cookies[WebSession.flashCookie] = web.cookie("", maxAge: 0)
        }
        return response
    }

    static func errorResponse(for error: any Error, request: Request) async throws -> Response {
        let api = APIErrorMiddleware.apiError(for: error, request: request)
        if api.status == .unauthorized {
            let here = request.method == .GET ? request.url.string : SiteURL.home.path
            let response = request.redirect(
                to: SiteURL.login.path + "?next=" + (here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? SiteURL.home.path)
            )
            if request.cookies[WebSession.sessionCookie] != nil {
                response.cookies[WebSession.sessionCookie] = request.application.webSession.cookie("", maxAge: 0)
                response.cookies[WebSession.flashCookie] = request.application.webSession.cookie(
                    Flash.encode("Your session has ended: sign in again."))
            }
            return response
        }
        let title: String =
            switch api.status {
            case .notFound: "Not found"
            case .forbidden: "Not allowed"
            case .conflict: "Not possible now"
            case .serviceUnavailable: "Unavailable"
            case .internalServerError: "Something went wrong"
            default: "Cannot do that"
            }
        let page = ErrorPage(
            status: Int(api.status.code), title: title, message: api.message, details: api.details.map(\.description),
            requestID: request.requestID)
        let response = try await Chrome.render(request, "error", title: title, page, section: nil)
        response.status = api.status
        for (name, value) in api.headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }

    struct ErrorPage: Encodable {
        var status: Int
        var title: String
        var message: String
        var details: [String]
        var requestID: String
    }
}

/// Refuses a form post whose CSRF token is not the signature of this
/// browser's nonce and its session: a token taken from one session (an
/// attacker's own) is worthless in another.
struct CSRFMiddleware: AsyncMiddleware {
    struct Field: Content {
        var _csrf: String?
    }

    /// The route's body limit: route middleware runs before the route
    /// collects the body, so this collects it (once, for both).
    var maxBodySize: ByteCount

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.body.data == nil { _ = try await request.body.collect(max: maxBodySize.value).get() }
        let presented: String?
        if request.headers.contentType?.type == "multipart" {
            presented = try? request.content.decode(Field.self)._csrf
        } else {
            presented = FormFields(request).value(WebSession.csrfField)
        }
        guard let nonce = request.cookies[WebSession.csrfCookie]?.string, let presented,
            WebSession.same(request.application.webSession.csrfToken(nonce: nonce, session: request.sessionCookieID), presented)
        else {
            throw APIError(
                .forbidden, "CSRF_REJECTED", "This form has expired or did not come from CleanStation: reload the page and send it again.")
        }
        return try await next.respond(to: request)
    }
}

/// Signs the request in from the session cookie; roles as for the API.
/// Someone with a step of `AccountSetup` to take goes to it first: their
/// account page to choose their own password, then the enrolment page.
struct CookieAuthenticator: AsyncMiddleware {
    var roles: Set<Role>?
    var allowedBeforeSetup = false

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let value = request.cookies[WebSession.sessionCookie]?.string,
            let sessionID = request.application.webSession.sessionID(from: value)
        else { throw APIError.unauthorized }
        // A page shown counts the bell's unread notifications in the same round trip. A form's post or an autosave
        // does not show the bell; a download (a GET) pays the count without showing it.
        let user = try await request.signIn(
            sessionID: sessionID, userID: nil, unread: request.method == .GET || request.method == .HEAD)
        switch allowedBeforeSetup ? nil : user.pendingSetup {
        case .changePassword: return request.redirect(to: SiteURL.account.path)
        case .enrolSecondFactor: return request.redirect(to: SiteURL.accountMFA.path)
        case nil: break
        }
        if let roles, !roles.contains(user.role) { throw APIError.refused(user.role, request) }
        return try await next.respond(to: request)
    }
}
