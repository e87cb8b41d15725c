import Foundation

/// The per-account lockout of security.md and 21 CFR 11.300(d): every
/// password check counts (sign-in, a signature's password, a password
/// change), and after `threshold` failures in `window`, counted since the
/// last successful sign-in, the account is locked until the window passes.
///
/// A check counts as a failure from the moment it starts until it is known
/// to have succeeded, so that twenty guesses arriving at once meet the same
/// limit as twenty in a row: at most `threshold` of them are ever checked.
public enum Lockout {
    public static let threshold = 5
    public static let window: TimeInterval = 15 * 60

    /// Failures count from here: the window's start, or the last success if later.
    public static func countsFrom(now: Date, lastSuccess: Date?) -> Date {
        max(now.addingTimeInterval(-window), lastSuccess ?? .distantPast)
    }

    /// Whether one more password check may start, given the failures (and
    /// checks under way) counted since `countsFrom`.
    public static func allowsAnotherCheck(failures: Int) -> Bool {
        failures < threshold
    }
}
