import Vapor

/// Work a request starts and does not wait for, so that its answer takes
/// the same time whatever the work finds (a password link: an address with
/// an account or without). Failures are logged; shutdown waits for what is
/// running, and tests wait with `drain`.
actor BackgroundWork {
    private var running: [UUID: Task<Void, Never>] = [:]
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func start(_ name: String, _ work: @escaping @Sendable () async throws -> Void) {
        let id = UUID()
        let logger = logger
        running[id] = Task {
            do {
                try await work()
            } catch {
                logger.error("background work failed", metadata: ["work": .string(name), "error": "\(String(reflecting: error))"])
            }
            self.finished(id)
        }
    }

    private func finished(_ id: UUID) {
        running[id] = nil
    }

    /// Returns once nothing started so far is running.
    func drain() async {
        while let task = running.values.first {
            await task.value
        }
    }
}

struct BackgroundWorkKey: StorageKey {
    typealias Value = BackgroundWork
}

struct BackgroundWorkLifecycle: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.backgroundWork.drain()
    }
}

extension Application {
    var backgroundWork: BackgroundWork { storage[BackgroundWorkKey.self]! }
}
