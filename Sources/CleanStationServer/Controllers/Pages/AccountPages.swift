import CleanStationCore
import CleanStationExports
import Vapor

/// Two-factor enrolment in the browser: a role that signs in with two
/// factors comes here first (security.md), as the API sends it to
/// `/api/v1/auth/mfa/setup`.
enum AccountPages {
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
        request.formBody = .object([JSONMember("code", .string(FormFields(request).text("code") ?? ""))])
        do {
            let result = try await MFAController.enable(request)
            return try await render(
                request, MFA(enabled: true, required: false, backupCodes: result["backupCodes"]?.array.compactMap(\.string) ?? []))
        } catch let error as APIError where error.status == .unauthorized || error.status == .unprocessableEntity {
            return try await render(
                request,
                try await enrolment(request, error: "\(error.details.first?.message ?? error.message) Scan this new code and try again."),
                status: .unprocessableEntity)
        }
    }

    private static func enrolment(_ request: Request, error: String?) async throws -> MFA {
        let setup = try await MFAController.setup(request)
        let uri = setup["otpauthUri"]?.string ?? ""
        let svg = try QRCode(uri).svg()
        return MFA(
            enabled: false, required: false, secret: setup["secret"]?.string,
            qrCode: "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString(), error: error, backupCodes: [])
    }

    private static func render(_ request: Request, _ page: MFA, status: HTTPResponseStatus = .ok) async throws -> Response {
        let response = try await Chrome.render(request, "mfa", title: "Two-factor sign-in", page, section: "/account/mfa")
        response.status = status
        return response
    }
}
