import CleanStationCore
import JWT
import Vapor

/// The access token's claims (security.md): subject, role, session id,
/// issuer, audience, expiry.
struct AccessToken: JWTPayload {
    static let issuer = "cleanstation-auth-service"
    static let audience = "cleanstation-api"
    static let lifetime: TimeInterval = 3_600

    var sub: SubjectClaim
    var role: String
    var sid: String
    var iss: IssuerClaim
    var aud: AudienceClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    init(userID: UUID, role: Role, sessionID: UUID, now: Date) {
        sub = SubjectClaim(value: userID.uuidString)
        self.role = role.rawValue
        sid = sessionID.uuidString
        iss = IssuerClaim(value: Self.issuer)
        aud = AudienceClaim(value: [Self.audience])
        iat = IssuedAtClaim(value: now)
        exp = ExpirationClaim(value: now.addingTimeInterval(Self.lifetime))
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try aud.verifyIntendedAudience(includes: Self.audience)
        guard iss.value == Self.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "unknown issuer") }
    }
}
