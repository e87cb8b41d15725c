import CleanStationCore
import Fluent
import Vapor

/// "Forgot your password?" (issue 17): ask for a link by e-mail, then
/// choose a new password with it. Both pages work without a session.
enum PasswordResetPages {
    struct Forgot: Encodable {
        /// The application sends e-mail; otherwise the page says whom to ask.
        var offered: Bool
        /// The request was taken: the same words for every address.
        var sent: String?
        var error: String?
        var fields: [FormField]
    }

    struct Reset: Encodable {
        /// The link cannot be used: why, and no form.
        var refusal: String?
        var fields: [FormField]
    }

    static func forgot(_ request: Request) async throws -> Response {
        try await renderForgot(request, sent: nil, errors: [:])
    }

    static func requestLink(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        guard let email = EmailAddress.normalized(fields.value("email") ?? "") else {
            return try await renderForgot(request, sent: nil, errors: ["email": EmailAddress.problem], status: .unprocessableEntity)
        }
        do {
            try await PasswordResetController.requestLink(for: email, request: request)
        } catch let error as APIError where error.status == .tooManyRequests || error.status == .serviceUnavailable {
            return try await renderForgot(request, sent: nil, errors: [:], error: error.message, status: error.status)
        }
        return try await renderForgot(request, sent: PasswordReset.requestAnswer, errors: [:])
    }

    /// The link's token leaves the address at once: it moves into a cookie
    /// for this page only, and the browser comes back without it, so that
    /// it is not in the history, in a `Referer` or in a trace of the page.
    /// The cookie is `SameSite=Lax`, which a link opened from a mail reader sends.
    static let tokenCookie = "cs_reset"

    static func form(_ request: Request) async throws -> Response {
        if let token = request.query[String.self, at: "token"] {
            let response = request.redirect(to: SiteURL.passwordReset.path, redirectType: .normal)
            response.cookies[tokenCookie] = HTTPCookies.Value(
                string: token, maxAge: Int(PasswordReset.lifetime), path: SiteURL.passwordReset.path,
                isSecure: request.application.webSession.secure, isHTTPOnly: true, sameSite: .lax)
            return response
        }
        return try await renderReset(request, token: request.cookies[tokenCookie]?.string ?? "", errors: [:])
    }

    static func reset(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let token = request.cookies[tokenCookie]?.string ?? ""
        let new = fields.value("newPassword") ?? ""
        guard new == fields.value("confirmPassword") ?? "" else {
            return try await renderReset(
                request, token: token, errors: ["confirmPassword": "does not match the new password"], status: .unprocessableEntity)
        }
        do {
            try await PasswordResetController.reset(token: token, newPassword: new, request: request)
        } catch let error as APIError where error.status == .unprocessableEntity {
            return try await renderReset(request, token: token, errors: error.fieldMessages, status: error.status)
        }
        let response = Flash.redirect(request, to: SiteURL.login.path, "Your password is changed: sign in with it.")
        response.cookies[tokenCookie] = HTTPCookies.Value(string: "", maxAge: 0, path: SiteURL.passwordReset.path)
        return response
    }

    private static func renderForgot(
        _ request: Request, sent: String?, errors: [String: String], error: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let view = Forgot(
            offered: request.mailContext != nil, sent: sent, error: error,
            fields: [
                FormField("email", "E-mail", type: "email", value: FormFields(request).value("email") ?? "", errors: errors, required: true)
            ]
        )
        let response = try await Chrome.render(request, "password-forgot", title: "Forgot your password?", view, section: nil)
        response.status = status
        return response
    }

    /// The form, or why the link cannot be used (checked before anyone types a password).
    private static func renderReset(
        _ request: Request, token: String, errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var refusal = errors["token"]
        if refusal == nil {
            let hash = AuthController.tokenHash(token)
            let link = try await PasswordResetToken.query(on: request.db).filter(\.$tokenHash == hash).first()
            refusal =
                link.map { PasswordReset.refusal(expiresAt: $0.expiresAt, usedAt: $0.usedAt, now: Date())?.message }
                ?? PasswordReset.Refusal.unknown.message
        }
        let view = Reset(
            refusal: refusal,
            fields: [
                FormField(
                    "newPassword", "New password", type: "password", errors: errors,
                    hint: "12 or more characters with upper and lower case, a digit and a symbol; none of your last 12", required: true),
                FormField("confirmPassword", "New password again", type: "password", errors: errors, required: true),
            ])
        let response = try await Chrome.render(request, "password-reset", title: "Choose a new password", view, section: nil)
        response.status = status
        return response
    }
}
