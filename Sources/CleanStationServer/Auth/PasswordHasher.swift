import NIOPosix
import Vapor

#if canImport(Glibc)
import Glibc
#endif

/// bcrypt, on threads of its own at a lower scheduling priority.
///
/// A password hash at cost 12 takes about a quarter of a second of a core,
/// on purpose. On the shared thread pool, a burst of sign-ins or signatures
/// took both cores and every other request queued behind it (half of the
/// instance's CPU in the `mixed` load test went to signatures). Here the
/// hashing threads run at nice 10: they use every idle cycle, so a sign-in
/// storm alone is as fast as before, but the event loops and PostgreSQL go
/// first when both want the CPU. Hashing is never weakened to be faster.
final class PasswordHasher: Sendable {
    /// The nice value of the hashing threads (0 is the default, 19 the lowest).
    static let niceness: Int32 = 10
    private let pool: NIOThreadPool

    init(threads: Int = System.coreCount) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    func verify(_ password: String, created hash: String) async throws -> Bool {
        try await run { try Bcrypt.verify(password, created: hash) }
    }

    func hash(_ password: String, cost: Int) async throws -> String {
        try await run { try Bcrypt.hash(password, cost: cost) }
    }

    /// Whether any of `hashes` is the hash of `password` (password history).
    func matchesAny(_ password: String, of hashes: [String]) async throws -> Bool {
        try await run { try hashes.contains { try Bcrypt.verify(password, created: $0) } }
    }

    func shutdown() async throws {
        try await pool.shutdownGracefully()
    }

    /// Runs `work` on a hashing thread (internal for the tests).
    func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await pool.runIfActive {
            Self.lowerPriority()
            return try work()
        }
    }

    /// On Linux the nice value belongs to the thread, and `who` 0 names the
    /// calling one; setting it again on a thread of this pool costs a system
    /// call, nothing next to a hash.
    private static func lowerPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }
}

struct PasswordHasherKey: StorageKey {
    typealias Value = PasswordHasher
}

extension Application {
    /// Every bcrypt hash and verification of the instance.
    var passwordHasher: PasswordHasher { storage[PasswordHasherKey.self]! }
}
