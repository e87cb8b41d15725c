import Testing

@testable import CleanStationServer

#if canImport(Glibc)
import Glibc
#endif

/// bcrypt runs on threads of its own at a lower priority, so that a burst of
/// sign-ins or signatures cannot take the CPU from every other request.
@Suite struct PasswordHasherTests {
    static func niceness() -> Int32 {
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    @Test func hashesVerifyAndRefuse() async throws {
        let hasher = PasswordHasher(threads: 1)
        let hash = try await hasher.hash("Correct-Horse-42!", cost: 4)
        #expect(try await hasher.verify("Correct-Horse-42!", created: hash))
        #expect(try await !hasher.verify("correct-horse-42!", created: hash))
        #expect(
            try await hasher.matchesAny("Correct-Horse-42!", of: ["$2b$04$invalidinvalidinvalidinvalidinvalidinvalidinvalidinv", hash]))
        #expect(try await !hasher.matchesAny("Other-Horse-42!", of: [hash]))
        try await hasher.shutdown()
    }

    @Test func hashingThreadsRunAtALowerPriorityThanTheCaller() async throws {
        let hasher = PasswordHasher(threads: 2)
        let caller = Self.niceness()
        let hashing = try await hasher.run { Self.niceness() }
        #expect(hashing == PasswordHasher.niceness)
        #expect(hashing > caller)
        #expect(Self.niceness() == caller)
        try await hasher.shutdown()
    }
}
