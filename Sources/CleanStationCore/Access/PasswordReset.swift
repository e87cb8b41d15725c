import Foundation

/// Self-service "forgot password" (issue 17): a single-use link sent to the
/// account's e-mail address, kept only as a hash, working for 30 minutes.
/// The answer to a request is the same whether or not the address has an
/// account, so that it tells nobody who works here.
public enum PasswordReset {
    public static let lifetime: TimeInterval = 30 * 60
    /// One link per account in this interval: a form sent twice, or by
    /// someone else, does not fill the person's mailbox.
    public static let resendInterval: TimeInterval = 2 * 60

    /// The answer to every request, account or not.
    public static let requestAnswer =
        "If an account has this address, a link to choose a new password is on its way. It works once, for 30 minutes."

    public enum Refusal: Equatable, Sendable {
        case unknown, used, expired

        public var message: String {
            switch self {
            case .unknown: "This link is not valid: ask for a new one."
            case .used: "This link was used already: ask for a new one."
            case .expired: "This link has expired: ask for a new one."
            }
        }
    }

    /// Why a token issued at `expiresAt` and used at `usedAt` may not reset a password now, or `nil`.
    public static func refusal(expiresAt: Date, usedAt: Date?, now: Date) -> Refusal? {
        if usedAt != nil { return .used }
        return now >= expiresAt ? .expired : nil
    }

    /// Whether another link may be sent, the last having been sent at `lastSentAt`.
    public static func maySend(lastSentAt: Date?, now: Date) -> Bool {
        guard let lastSentAt else { return true }
        return now.timeIntervalSince(lastSentAt) >= resendInterval
    }
}
