import Foundation
import NIOConcurrencyHelpers

/// Sign-in attempts per client address in a sliding minute, per instance
/// (the per-account lockout, shared through the database, is the other guard).
final class LoginRateLimiter: Sendable {
    private let limit: Int
    private let attempts = NIOLockedValueBox<[String: [Date]]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Records an attempt; `false` when the address is over its limit.
    func allow(_ address: String?, now: Date = Date()) -> Bool {
        let key = address ?? "unknown"
        let windowStart = now.addingTimeInterval(-60)
        return attempts.withLockedValue { table in
            if table.count > 10_000 { table = table.filter { $0.value.last.map { $0 > windowStart } ?? false } }
            var recent = (table[key] ?? []).filter { $0 > windowStart }
            guard recent.count < limit else {
                table[key] = recent
                return false
            }
            recent.append(now)
            table[key] = recent
            return true
        }
    }
}
