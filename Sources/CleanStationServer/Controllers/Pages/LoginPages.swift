import CleanStationCore
import Vapor

/// Sign-in with the second factor when the account has one, and sign-out.
enum LoginPages {
    struct Form: Encodable {
        var next: String
        var email: String
        var error: String?
        /// The account has two factors: the form asks for the code.
        var askCode: Bool
    }

    static func form(_ request: Request) async throws -> Response {
        if let value = request.cookies[WebSession.sessionCookie]?.string,
            let sessionID = request.application.webSession.sessionID(from: value),
            let user = try? await request.signIn(sessionID: sessionID, userID: nil)
        {
            return request.redirect(to: Chrome.home(for: user.role))
        }
        return try await render(request, Form(next: safeNext(request.query[String.self, at: "next"]), email: "", askCode: false))
    }

    static func submit(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let email = (fields.text("email") ?? "").lowercased()
        let next = safeNext(fields.value("next"))
        guard let password = fields.value("password"), !email.isEmpty, !password.isEmpty else {
            return try await render(
                request, Form(next: next, email: email, error: "Enter your e-mail and your password.", askCode: false), status: .ok)
        }
        let credentials = AuthController.Credentials(email: email, password: password, mfaCode: fields.text("mfaCode"))
        do {
            let (user, session, _) = try await AuthController.startSession(credentials, request: request, withRefreshToken: false)
            let target = next == SiteURL.home.path ? Chrome.home(for: user.role) : next
            let response = request.redirect(to: target, redirectType: .normal)
            response.cookies[WebSession.sessionCookie] = request.application.webSession.cookie(
                request.application.webSession.sessionValue(try session.requireID()), maxAge: Int(SessionPolicy.absoluteTimeout))
            return response
        } catch let error as APIError where error.status == .unauthorized || error.status == .tooManyRequests {
            let askCode = error.code.hasPrefix("MFA_")
            let message = error.code == "MFA_REQUIRED" ? "Enter the code from your authenticator app, or a backup code." : error.message
            let response = try await render(
                request, Form(next: next, email: email, error: message, askCode: askCode), status: error.status)
            for (name, value) in error.headers { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        }
    }

    static func logout(_ request: Request) async throws -> Response {
        _ = try await AuthController.logout(request)
        let response = Flash.redirect(request, to: SiteURL.login.path, "You are signed out.")
        response.cookies[WebSession.sessionCookie] = request.application.webSession.cookie("", maxAge: 0)
        return response
    }

    private static func render(_ request: Request, _ form: Form, status: HTTPResponseStatus = .ok) async throws -> Response {
        let response = try await Chrome.render(request, "login", title: "Sign in", form, section: nil)
        response.status = status
        return response
    }

    /// Only a page of this site that a signed-in person opens: printable
    /// ASCII with no backslash (browsers drop tabs and line breaks, so
    /// `/%09/evil` would become `//evil`), no scheme or host, and a path that
    /// a GET page route for signed-in people answers (not the sign-in or
    /// password-reset pages). Anything else leads home.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.utf8.count <= 2048, next.hasPrefix("/"), !next.hasPrefix("//"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }),
            let parts = URLComponents(string: next), parts.scheme == nil, parts.host == nil, parts.user == nil,
            parts.path.hasPrefix("/"), !parts.path.hasPrefix("//")
        else { return SiteURL.home.path }
        let segments = parts.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let page = Pages.all.first { route in
            route.method == .GET && route.access != .anyone && route.matches(segments.filter { !$0.isEmpty })
        }
        return page == nil ? SiteURL.home.path : next
    }
}
