import CleanStationCore
import Fluent
import JWT
import SQLKit
import Vapor

/// The signed-in user and session of a request.
struct Principal: Sendable {
    var userID: UUID
    var role: Role
    var sessionID: UUID
    var email: String
    var fullName: String
    var initials: String
}

extension Request {
    /// The principal, or 401 for a request that has none.
    func principal() throws -> Principal {
        guard let principal = storage[PrincipalKey.self] else { throw APIError.unauthorized }
        return principal
    }

    var auditActor: AuditActor {
        AuditActor(
            userID: storage[PrincipalKey.self]?.userID, sessionID: storage[PrincipalKey.self]?.sessionID,
            clientAddress: clientAddress, userAgent: headers.first(name: .userAgent).map { String($0.prefix(256)) },
            requestID: requestID)
    }
}

struct PrincipalKey: StorageKey {
    typealias Value = Principal
}

/// The signed-in user's unread notifications, counted as the page signed in (`signIn(sessionID:userID:unread:)`).
struct UnreadKey: StorageKey {
    typealias Value = Int
}

/// Session limits of security.md.
enum SessionPolicy {
    static let idleTimeout: TimeInterval = 2 * 3_600
    static let absoluteTimeout: TimeInterval = 8 * 3_600
    static let maximumPerUser = 3
    static let refreshLifetime: TimeInterval = 30 * 24 * 3_600

    static func isLive(_ session: Session, now: Date) -> Bool {
        isLive(revokedAt: session.revokedAt, lastSeenAt: session.lastSeenAt, createdAt: session.createdAt, now: now)
    }

    static func isLive(revokedAt: Date?, lastSeenAt: Date, createdAt: Date, now: Date) -> Bool {
        revokedAt == nil && now.timeIntervalSince(lastSeenAt) < idleTimeout && now.timeIntervalSince(createdAt) < absoluteTimeout
    }
}

/// Verifies the bearer token and its session; a route group behind it
/// requires a signed-in user, and `roles` restricts it further.
struct BearerAuthenticator: AsyncMiddleware {
    var roles: Set<Role>?
    /// Whether a user who still has a step of `AccountSetup` to take may call it.
    var allowedBeforeSetup = false

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization else { throw APIError.unauthorized }
        let token: AccessToken
        do {
            token = try await request.jwt.verify(bearer.token, as: AccessToken.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure && error.failedClaim is ExpirationClaim {
            throw APIError(.unauthorized, "TOKEN_EXPIRED", "The access token has expired: refresh it or sign in again.")
        } catch {
            throw APIError.unauthorized
        }
        guard let userID = UUID(uuidString: token.sub.value), let sessionID = UUID(uuidString: token.sid) else {
            throw APIError.unauthorized
        }
        let user = try await request.signIn(sessionID: sessionID, userID: userID)
        if let roles, !roles.contains(user.role) { throw APIError.refused(user.role, request) }
        switch allowedBeforeSetup ? nil : user.pendingSetup {
        case .changePassword:
            throw APIError(
                .forbidden, AccountSetup.changePassword.rawValue,
                "Your password was set by someone else: choose your own at /api/v1/auth/password first.")
        case .enrolSecondFactor:
            throw APIError(
                .forbidden, AccountSetup.enrolSecondFactor.rawValue,
                "Your role signs in with two factors: enrol at /api/v1/auth/mfa/setup first.")
        case nil: break
        }
        return try await next.respond(to: request)
    }
}

/// Who signed in, and the step of `AccountSetup` still theirs to take, if any.
struct SessionUser: Sendable {
    var principal: Principal
    var pendingSetup: AccountSetup?

    var role: Role { principal.role }
}

extension Request {
    /// Loads a live session and its active user (in one round trip: this
    /// runs on every request), keeps the session alive, and makes them this
    /// request's principal. `userID`, when given, must be the session's user.
    /// Plain SQL into the columns it uses: with the unread count, also read
    /// through Fluent before, it cost a small page 0.6 ms of its 2.2 ms of CPU
    /// (issue 20, release build, one request at a time). With `unread`, the
    /// same round trip counts the user's unread notifications, which every
    /// page's bell shows (`UnreadKey`).
    @discardableResult
    func signIn(sessionID: UUID, userID: UUID?, unread: Bool = false) async throws -> SessionUser {
        let sql = db as! any SQLDatabase
        let count: SQLQueryString =
            unread ? ", (SELECT COUNT(*) FROM notifications n WHERE n.user_id = s.user_id AND n.read_at IS NULL) AS unread" : ""
        guard
            let row = try await sql.raw(
                """
                SELECT s.user_id, s.created_at, s.last_seen_at, s.revoked_at, u.role, u.email, u.full_name, u.initials,
                u.is_active, u.must_change_password, u.mfa_enabled_at\(count)
                FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = \(bind: sessionID)
                """
            ).first(),
            let role = Role(rawValue: try row.decode(column: "role", as: String.self)),
            try row.decode(column: "is_active", as: Bool.self)
        else { throw APIError.unauthorized }
        let principal = Principal(
            userID: try row.decode(column: "user_id", as: UUID.self), role: role, sessionID: sessionID,
            email: try row.decode(column: "email", as: String.self), fullName: try row.decode(column: "full_name", as: String.self),
            initials: try row.decode(column: "initials", as: String.self))
        guard userID == nil || principal.userID == userID else { throw APIError.unauthorized }
        let now = Date()
        let lastSeen = try row.decode(column: "last_seen_at", as: Date.self)
        guard
            SessionPolicy.isLive(
                revokedAt: try row.decode(column: "revoked_at", as: Date?.self), lastSeenAt: lastSeen,
                createdAt: try row.decode(column: "created_at", as: Date.self), now: now)
        else {
            throw APIError(.unauthorized, "TOKEN_EXPIRED", "The session has ended: sign in again.")
        }
        if now.timeIntervalSince(lastSeen) > 60 {
            try await sql.raw("UPDATE sessions SET last_seen_at = \(bind: now) WHERE id = \(bind: sessionID)").run()
        }
        storage[PrincipalKey.self] = principal
        if unread { storage[UnreadKey.self] = try row.decode(column: "unread", as: Int.self) }
        return SessionUser(
            principal: principal,
            pendingSetup: User.pendingSetup(
                role: role, mustChangePassword: try row.decode(column: "must_change_password", as: Bool.self),
                secondFactorEnrolled: try row.decode(column: "mfa_enabled_at", as: Date?.self) != nil, application.config))
    }
}

extension User {
    /// Whether the user's role asks for two factors and the user has none yet.
    func needsMFAEnrolment(_ config: Config) -> Bool {
        mfaEnabledAt == nil && config.mfaRequiredRoles.contains(role)
    }

    /// The step the user must take before anything else, if any.
    func pendingSetup(_ config: Config) -> AccountSetup? {
        Self.pendingSetup(role: role, mustChangePassword: mustChangePassword, secondFactorEnrolled: mfaEnabledAt != nil, config)
    }

    static func pendingSetup(role: Role, mustChangePassword: Bool, secondFactorEnrolled: Bool, _ config: Config) -> AccountSetup? {
        AccountSetup.pending(
            mustChangePassword: mustChangePassword, secondFactorEnrolled: secondFactorEnrolled,
            secondFactorRequired: config.mfaRequiredRoles.contains(role))
    }
}

extension APIError {
    /// A route the role may not call: 403, or 404 for an order or a
    /// document when the role sees no orders (`Role.seesOrders`).
    static func refused(_ role: Role, _ request: Request) -> APIError {
        if !role.seesOrders, request.parameters.get("orderID") != nil { return .notFound("The order") }
        if !role.seesOrders, request.parameters.get("documentID") != nil { return .notFound("The document") }
        return .forbidden
    }
}
