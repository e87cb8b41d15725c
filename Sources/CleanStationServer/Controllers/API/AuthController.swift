import CleanStationCore
import Crypto
import ExtrasBase64
import Fluent
import JWT
import SQLKit
import Vapor

/// Login, refresh, logout and the current session (security.md).
enum AuthController {
    struct UserView: APIResponse {
        /// Ids are written in lower case everywhere in the API.
        var id: String
        var email: String
        var fullName: String
        var initials: String
        var role: Role

        init(_ user: User) throws {
            id = try user.requireID().uuidString.lowercased()
            email = user.email
            fullName = user.fullName
            initials = user.initials
            role = user.role
        }

        init(id: String, email: String, fullName: String, initials: String, role: Role) {
            (self.id, self.email, self.fullName, self.initials, self.role) = (id, email, fullName, initials, role)
        }

        static let example = UserView(
            id: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b", email: "dana.reyes@torvan.test", fullName: "Dana Reyes", initials: "DR",
            role: .productionCoordinator)
    }

    struct Tokens: APIResponse {
        var accessToken: String
        var refreshToken: String
        var expiresIn: Int
        var user: UserView

        static let example = Tokens(accessToken: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", refreshToken: "r3fr3sh", expiresIn: 900, user: .example)
    }

    struct Credentials {
        var email: String
        var password: String
        var mfaCode: String?
    }

    static func login(_ request: Request) async throws -> Tokens {
        let credentials = try request.readBody { json, reader -> Credentials? in
            guard let object = reader.object(json, at: .root, allowedKeys: ["email", "password", "mfaCode"]) else { return nil }
            let email = reader.requiredString(object, "email")
            let password = reader.requiredString(object, "password")
            let mfaCode = reader.optionalString(object, "mfaCode")
            guard let email, let password else { return nil }
            return Credentials(email: email.trimmingCharacters(in: .whitespaces).lowercased(), password: password, mfaCode: mfaCode)
        }
        let (user, session, refreshToken) = try await startSession(credentials, request: request, withRefreshToken: true)
        let access = try await request.jwt.sign(
            AccessToken(userID: try user.requireID(), role: user.role, sessionID: try session.requireID(), now: session.createdAt),
            kid: request.application.signingKid)
        return Tokens(accessToken: access, refreshToken: refreshToken ?? "", expiresIn: Int(AccessToken.lifetime), user: try UserView(user))
    }

    /// Checks the credentials under the rate limit, the lockout (counted
    /// before the password is compared: `PasswordAttempts`) and the second
    /// factor, and opens a session: the API's tokens and the web pages'
    /// cookie both name it. Every refusal is recorded and audited.
    static func startSession(
        _ credentials: Credentials, request: Request, withRefreshToken: Bool
    ) async throws -> (User, Session, String?) {
        let now = Date()
        guard request.application.loginRateLimiter.allow(request.clientAddress, now: now) else {
            throw APIError(
                .tooManyRequests, "RATE_LIMITED", "Too many sign-in attempts from this address: wait a minute.",
                headers: ["Retry-After": "60"])
        }
        let database = request.db
        let address = request.clientAddress
        let attempt = try await PasswordAttempts.begin(credentials.email, address: address, on: database, now: now)
        let user = try await User.query(on: database).filter(\.$email == credentials.email).filter(\.$isActive == true).first()
        let hash = user?.passwordHash ?? dummyHash
        let matches = try await request.application.passwordHasher.verify(credentials.password, created: hash)
        func refuse(_ error: APIError, reason: String) async throws -> Never {
            // The attempt stays counted as failed.
            try await database.transaction { transaction in
                try await AuditLog.append(
                    AuditEvent(
                        action: "LOGIN_FAILED", resourceType: "user", resourceID: user?.id?.uuidString.lowercased(),
                        newValue: .object([JSONMember("email", .string(credentials.email)), JSONMember("reason", .string(reason))]),
                        outcome: "FAILURE"),
                    actor: request.auditActor, on: transaction, now: now)
            }
            throw error
        }
        guard let user, matches else {
            try await refuse(APIError(.unauthorized, "INVALID_CREDENTIALS", "The e-mail or the password is wrong."), reason: "password")
        }
        if let expires = user.passwordExpiresAt, expires <= now {
            try await refuse(
                APIError(
                    .unauthorized, "PASSWORD_EXPIRED", "This temporary password has expired: ask an administrator for a new one."),
                reason: "temporary password expired")
        }
        if let refusal = try await MFAController.check(credentials.mfaCode, for: user, request: request, on: database, now: now) {
            if refusal.code == "MFA_REQUIRED" {
                // The password was right and no code was given yet: neither a failure nor a sign-in.
                try await PasswordAttempts.withdraw(attempt, on: database)
                throw refusal
            }
            try await refuse(refusal, reason: "second factor")
        }
        let userID = try user.requireID()
        let (session, refreshToken) = try await database.transaction { transaction in
            // Under the user's row lock: a reset that committed while the password was compared ends this sign-in too.
            try await User.lock(userID, on: transaction)
            guard let current = try await User.find(userID, on: transaction), current.isActive, current.passwordHash == user.passwordHash,
                current.mfaEnabledAt == user.mfaEnabledAt
            else {
                throw APIError(.unauthorized, "INVALID_CREDENTIALS", "The account changed while signing in: sign in again.")
            }
            try await PasswordAttempts.succeeded(attempt, on: transaction)
            let session = Session(userID: userID, now: now, clientAddress: address, userAgent: request.auditActor.userAgent)
            try await session.create(on: transaction)
            let live = try await Session.query(on: transaction).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
                .sort(\.$createdAt, .descending).sort(\.$id).all()
            for old in live.dropFirst(SessionPolicy.maximumPerUser) {
                old.revokedAt = now
                old.revokedReason = "more than \(SessionPolicy.maximumPerUser) sessions"
                try await old.update(on: transaction)
            }
            let token = withRefreshToken ? try await issueRefreshToken(for: session.requireID(), now: now, on: transaction) : nil
            var actor = request.auditActor
            actor.userID = userID
            actor.sessionID = session.id
            try await AuditLog.append(
                AuditEvent(action: "LOGIN", resourceType: "session", resourceID: session.id?.uuidString.lowercased()),
                actor: actor, on: transaction, now: now)
            return (session, token)
        }
        return (user, session, refreshToken)
    }

    static func refresh(_ request: Request) async throws -> Tokens {
        let presented = try request.readBody { json, reader -> String? in
            guard let object = reader.object(json, at: .root, allowedKeys: ["refreshToken"]) else { return nil }
            return reader.requiredString(object, "refreshToken")
        }
        let now = Date()
        let hash = tokenHash(presented)
        let outcome: Result<(User, Session, String), APIError> = try await request.db.transaction { transaction in
            guard let stored = try await RefreshToken.query(on: transaction).filter(\.$tokenHash == hash).with(\.$session).first() else {
                return .failure(APIError.unauthorized)
            }
            let session = stored.session
            // Claimed with a conditional update: of the same token sent at once, one rotates it and the others are
            // reuses, which end the session (on PostgreSQL the others wait for the first to commit, then find it used).
            let sql = transaction as! any SQLDatabase
            let claimed = try await sql.update(RefreshToken.schema).set("used_at", to: now).where("token_hash", .equal, hash)
                .where("used_at", .is, SQLLiteral.null).returning("id").all()
            if claimed.isEmpty {
                if session.revokedAt == nil {
                    session.revokedAt = now
                    session.revokedReason = "refresh token reused"
                    try await session.update(on: transaction)
                    try await AuditLog.append(
                        AuditEvent(
                            action: "LOGOUT", resourceType: "session", resourceID: session.id?.uuidString.lowercased(),
                            newValue: .object([JSONMember("reason", "refresh token reused")]), outcome: "FAILURE"),
                        actor: request.auditActor, on: transaction, now: now)
                }
                return .failure(APIError(.unauthorized, "INVALID_TOKEN", "This refresh token was already used: the session is ended."))
            }
            guard SessionPolicy.isLive(session, now: now), now.timeIntervalSince(stored.createdAt) < SessionPolicy.refreshLifetime,
                let user = try await User.find(session.$user.id, on: transaction), user.isActive
            else { return .failure(APIError(.unauthorized, "TOKEN_EXPIRED", "The session has ended: sign in again.")) }
            session.lastSeenAt = now
            try await session.update(on: transaction)
            let next = try await issueRefreshToken(for: session.requireID(), now: now, on: transaction)
            return .success((user, session, next))
        }
        let (user, session, next) = try outcome.get()
        let access = try await request.jwt.sign(
            AccessToken(userID: try user.requireID(), role: user.role, sessionID: try session.requireID(), now: now),
            kid: request.application.signingKid)
        return Tokens(accessToken: access, refreshToken: next, expiresIn: Int(AccessToken.lifetime), user: try UserView(user))
    }

    static func logout(_ request: Request) async throws -> HTTPStatus {
        let principal = try request.principal()
        let now = Date()
        try await request.db.transaction { transaction in
            guard let session = try await Session.find(principal.sessionID, on: transaction) else { return }
            session.revokedAt = now
            session.revokedReason = "logout"
            try await session.update(on: transaction)
            try await AuditLog.append(
                AuditEvent(action: "LOGOUT", resourceType: "session", resourceID: principal.sessionID.uuidString.lowercased()),
                actor: request.auditActor, on: transaction, now: now)
        }
        return .noContent
    }

    struct SessionView: APIResponse {
        struct Current: Encodable, Sendable {
            var id: String
            var createdAt: String
            var lastSeenAt: String
            var expiresAt: String
            var idleExpiresAt: String
        }

        var user: UserView
        var session: Current
        /// What the user must do before anything else (`AccountSetup`), if anything.
        var pendingSetup: AccountSetup?

        static let example = SessionView(
            user: .example,
            session: Current(
                id: "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e", createdAt: "2026-12-06T08:00:00.000Z", lastSeenAt: "2026-12-06T09:30:00.000Z",
                expiresAt: "2026-12-06T16:00:00.000Z", idleExpiresAt: "2026-12-06T11:30:00.000Z"),
            pendingSetup: .enrolSecondFactor)
    }

    static func session(_ request: Request) async throws -> SessionView {
        let principal = try request.principal()
        guard let session = try await Session.query(on: request.db).filter(\.$id == principal.sessionID).with(\.$user).first() else {
            throw APIError.unauthorized
        }
        return SessionView(
            user: try UserView(session.user),
            session: .init(
                id: principal.sessionID.uuidString.lowercased(), createdAt: AuditLog.timestamp(session.createdAt),
                lastSeenAt: AuditLog.timestamp(session.lastSeenAt),
                expiresAt: AuditLog.timestamp(session.createdAt.addingTimeInterval(SessionPolicy.absoluteTimeout)),
                idleExpiresAt: AuditLog.timestamp(session.lastSeenAt.addingTimeInterval(SessionPolicy.idleTimeout))),
            pendingSetup: session.user.pendingSetup(request.application.config))
    }

    /// A new random refresh token; only its hash is stored.
    static func issueRefreshToken(for sessionID: UUID, now: Date, on database: any Database) async throws -> String {
        let token = Data([UInt8].random(count: 32)).base64URLEncodedString()
        try await RefreshToken(sessionID: sessionID, tokenHash: tokenHash(token), now: now).create(on: database)
        return token
    }

    static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hex
    }

    /// Verified against when the e-mail is unknown, so that timing does not tell.
    static let dummyHash = (try? Bcrypt.hash("not a password of anyone", cost: 12)) ?? ""
}

extension Data {
    /// Base64 with the URL's alphabet, without padding. Foundation's encoding and three replacements were 1 % of the
    /// instance's CPU under load: every page signs its session cookie's check and its form's token.
    func base64URLEncodedString() -> String {
        Base64.encodeToString(bytes: self, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }
}
