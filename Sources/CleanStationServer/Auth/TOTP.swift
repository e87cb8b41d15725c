import Foundation
import Vapor

/// RFC 6238 codes as authenticator apps compute them (HMAC-SHA1, 30-second
/// steps, 6 digits), through Vapor's `TOTP`; the secret travels as Vapor's
/// Base32 without padding. What is ours is the step a code matched, within
/// one step of clock drift either way, so that a code is accepted once.
extension TOTP {
    static let step = 30
    static let digits = 6

    /// The code of one time step.
    static func code(secret: [UInt8], counter: Int64) -> String {
        TOTP(key: SymmetricKey(data: secret), digest: .sha1, digits: .six, interval: step)
            .generate(time: Date(timeIntervalSince1970: TimeInterval(counter * Int64(step))))
    }

    static func counter(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / TimeInterval(step)).rounded(.down))
    }

    /// The time step a code matches within one step of `date`, or `nil`.
    static func matchingStep(_ code: String, secret: [UInt8], at date: Date) -> Int64? {
        let now = counter(at: date)
        return [now, now - 1, now + 1].first { Self.code(secret: secret, counter: $0) == code }
    }

    static func randomSecret() -> [UInt8] {
        [UInt8].random(count: 20)
    }
}
