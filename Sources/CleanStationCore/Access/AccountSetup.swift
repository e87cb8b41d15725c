/// What a signed-in person must do before anything else (security.md,
/// issue 17): change a password someone else chose (an account created or
/// reset by an administrator), then enrol a second factor when the role
/// requires one. Until then only the steps themselves, the session and
/// signing out are open; the API answers 403 with the step's code, the
/// pages send the person to it.
public enum AccountSetup: String, Sendable, Equatable, Codable, CaseIterable {
    case changePassword = "PASSWORD_CHANGE_REQUIRED"
    case enrolSecondFactor = "MFA_REQUIRED"

    public static func pending(mustChangePassword: Bool, secondFactorEnrolled: Bool, secondFactorRequired: Bool) -> AccountSetup? {
        if mustChangePassword { return .changePassword }
        if secondFactorRequired, !secondFactorEnrolled { return .enrolSecondFactor }
        return nil
    }

    /// How long a password someone else chose works: long enough to reach
    /// the person over a weekend, short enough that a note left lying about
    /// stops working. Past it, an administrator resets again.
    public static let temporaryPasswordLifetime: Double = 72 * 3_600

    /// Who may reset someone's password or second factor: an administrator, for another person.
    public static func mayReset(actorRole: Role, actorIsTarget: Bool) -> Bool {
        actorRole == .admin && !actorIsTarget
    }
}
