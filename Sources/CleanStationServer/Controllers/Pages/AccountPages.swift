import CleanStationCore
import CleanStationExports
import Vapor

/// The signed-in user's own account: password, sessions, and two-factor
/// enrolment (a role that signs in with two factors comes to the latter
/// first, security.md, as the API sends it to `/api/v1/auth/mfa/setup`).
enum AccountPages {
    /// A live session, on the account page and on an admin's page of a user.
    struct SessionRow: Encodable {
        var started: String
        var lastSeen: String
        var address: String
        var browser: String
        var current: Bool
        /// Where its "End session" button posts.
        var endAction: String

        init(_ session: SessionsController.SessionList.Item, endAction: (String) -> String) {
            started = OrderRow.shortTime(session.createdAt)
            lastSeen = OrderRow.shortTime(session.lastSeenAt)
            address = session.clientAddress ?? "–"
            browser = session.userAgent.map { String($0.prefix(80)) } ?? "–"
            current = session.current
            self.endAction = endAction(session.id)
        }
    }

    struct Account: Encodable {
        var fullName: String
        var email: String
        var role: String
        /// The password was set by someone else: it is changed before anything else.
        var mustChangePassword: Bool
        var mfaEnabled: Bool
        var fields: [FormField]
        var sessions: [SessionRow]
    }

    static func account(_ request: Request) async throws -> Response {
        try await renderAccount(request, errors: [:])
    }

    private static func renderAccount(
        _ request: Request, errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let principal = try request.principal()
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        let sessions = try await SessionsController.mine(request).items
        let view = Account(
            fullName: user.fullName, email: user.email, role: Chrome.roleName(user.role), mustChangePassword: user.mustChangePassword,
            mfaEnabled: user.mfaEnabledAt != nil,
            fields: [
                FormField("currentPassword", "Current password", type: "password", errors: errors, required: true),
                FormField(
                    "newPassword", "New password", type: "password", errors: errors,
                    hint: "12 or more characters with upper and lower case, a digit and a symbol; none of your last 12", required: true),
                FormField("confirmPassword", "New password again", type: "password", errors: errors, required: true),
            ],
            sessions: sessions.map { SessionRow($0) { SiteURL.accountSessionEnd(.value($0)).path } })
        let response = try await Chrome.render(request, "account", title: "Your account", view, section: SiteURL.account.path)
        response.status = status
        return response
    }

    /// The API's password change, with the new password typed twice.
    static func changePassword(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let new = fields.value("newPassword") ?? ""
        guard new == fields.value("confirmPassword") ?? "" else {
            return try await renderAccount(
                request, errors: ["confirmPassword": "does not match the new password"], status: .unprocessableEntity)
        }
        let input = UsersController.PasswordChange(currentPassword: fields.value("currentPassword") ?? "", newPassword: new)
        do {
            _ = try await UsersController.changePassword(request, input)
        } catch let error as APIError where error.status == .unprocessableEntity {
            return try await renderAccount(request, errors: error.fieldMessages, status: error.status)
        }
        return Flash.redirect(request, to: SiteURL.account.path, "Your password has been changed.")
    }

    /// Ends one of the user's other sessions (another browser or device).
    static func endSession(_ request: Request) async throws -> Response {
        try await Flash.perform(request, then: SiteURL.account.path, "That session has ended.") {
            _ = try await SessionsController.end(request)
        }
    }

    struct MFA: Encodable {
        var enabled: Bool
        var required: Bool
        var secret: String?
        var qrCode: String?
        var error: String?
        var backupCodes: [String]
    }

    static func mfa(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        return try await render(
            request,
            MFA(
                enabled: user.mfaEnabledAt != nil, required: user.needsMFAEnrolment(request.application.config), backupCodes: []))
    }

    /// A new secret, shown once as text and as a QR code for the authenticator app.
    static func start(_ request: Request) async throws -> Response {
        try await render(request, try await enrolment(request, error: nil))
    }

    static func enable(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        do {
            let result = try await MFAController.enable(
                request, .init(code: fields.text("code") ?? "", password: fields.value("password") ?? ""))
            return try await render(request, MFA(enabled: true, required: false, backupCodes: result.backupCodes))
        } catch let error as APIError where error.status == .unauthorized || error.status == .unprocessableEntity {
            return try await render(
                request,
                try await enrolment(
                    request,
                    error: error.details.first?.field == "password"
                        ? "That is not your password. Scan this new code and try again."
                        : "\(error.details.first?.message ?? error.message) Scan this new code and try again."),
                status: .unprocessableEntity)
        }
    }

    private static func enrolment(_ request: Request, error: String?) async throws -> MFA {
        let setup = try await MFAController.setup(request)
        let svg = try QRCode(setup.otpauthUri).svg()
        return MFA(
            enabled: false, required: false, secret: setup.secret,
            qrCode: "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString(), error: error, backupCodes: [])
    }

    private static func render(_ request: Request, _ page: MFA, status: HTTPResponseStatus = .ok) async throws -> Response {
        let response = try await Chrome.render(request, "mfa", title: "Two-factor sign-in", page, section: SiteURL.accountMFA.path)
        response.status = status
        return response
    }
}
