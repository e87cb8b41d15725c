import CleanStationMail
import Fluent
import Foundation
import SQLKit
import Vapor

/// Sends the e-mail outbox in the background, so that a slow or absent
/// mail server never holds up a request. Messages are claimed with a lease
/// (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so several instances share
/// one outbox without sending a message twice; a failed attempt is retried
/// with growing delays, and after `maxAttempts` the message is marked failed.
actor MailOutbox {
    private let transport: any MailTransport
    private let from: String
    private let database: @Sendable () -> any Database
    private let logger: Logger
    private let retryBase: Duration
    /// Opens a body sealed with the field key (`OutgoingMail.sealed`).
    private let cipher: FieldCipher?
    let maxAttempts = 8
    private let batchSize = 20
    private let lease: Duration = .seconds(300)
    private let pollInterval: Duration = .seconds(15)
    private nonisolated let wakeups: AsyncStream<Void>.Continuation
    private let stream: AsyncStream<Void>
    private var worker: Task<Void, Never>?

    init(
        transport: any MailTransport, from: String, retryBase: Duration, logger: Logger, cipher: FieldCipher? = nil,
        database: @escaping @Sendable () -> any Database
    ) {
        self.cipher = cipher
        self.transport = transport
        self.from = from
        self.retryBase = retryBase
        self.logger = logger
        self.database = database
        (stream, wakeups) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a delivery round soon (after a request that may have queued mail).
    nonisolated func poke() { wakeups.yield() }

    func start() {
        guard worker == nil else { return }
        let interval = pollInterval
        let wakeups = wakeups
        let ticker = Task {
            while !Task.isCancelled {
                wakeups.yield()
                try? await Task.sleep(for: interval)
            }
        }
        worker = Task {
            for await _ in stream {
                if Task.isCancelled { break }
                await deliverLogging()
            }
            ticker.cancel()
        }
    }

    func stop() async {
        wakeups.finish()
        await worker?.value
        worker = nil
    }

    /// The delay before attempt `attempts + 1`: the base, doubled per attempt, at most one hour.
    func delay(afterAttempts attempts: Int) -> Duration {
        min(retryBase * (1 << min(attempts - 1, 16)), .seconds(3_600))
    }

    /// Sends every message due now; returns how many the server accepted.
    @discardableResult
    func deliverDue(now: @Sendable () -> Date = Date.init) async throws -> Int {
        var accepted = 0
        while true {
            let claimed = try await claim(now: now())
            if claimed.isEmpty { return accepted }
            let messages = claimed.map { mail in
                MailMessage(
                    from: from, to: mail.recipient, subject: mail.subject, body: OutgoingMail.readable(mail.body, cipher: cipher),
                    messageID: "\(mail.id!.uuidString.lowercased())@cleanstation", date: mail.createdAt)
            }
            let outcomes: [MailDelivery]
            do {
                outcomes = try await transport.send(messages)
            } catch {
                outcomes = Array(repeating: .deferred(String(describing: error)), count: messages.count)
            }
            for (mail, outcome) in zip(claimed, outcomes) {
                try await record(outcome, for: mail, at: now())
                if outcome == .accepted { accepted += 1 }
            }
            if outcomes.allSatisfy({ $0 != .accepted }) { return accepted }
        }
    }

    private func deliverLogging() async {
        do {
            try await deliverDue()
        } catch {
            logger.error("cannot send the e-mail outbox", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Takes up to a batch of due messages, pushing their due time past the lease.
    private func claim(now: Date) async throws -> [OutgoingMail] {
        let sql = database() as! any SQLDatabase
        let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        let leaseEnd = now.addingTimeInterval(TimeInterval(lease.components.seconds))
        let rows = try await sql.raw(
            """
            UPDATE mail_outbox SET next_attempt_at = \(bind: leaseEnd) WHERE id IN (
              SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
              ORDER BY next_attempt_at LIMIT \(literal: batchSize)\(lock))
            RETURNING id
            """
        ).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        return try await OutgoingMail.query(on: database()).filter(\.$id ~~ ids).sort(\.$createdAt).all()
    }

    private func record(_ outcome: MailDelivery, for mail: OutgoingMail, at now: Date) async throws {
        mail.attempts += 1
        switch outcome {
        case .accepted:
            mail.status = .sent
            mail.sentAt = now
            mail.lastError = nil
            // A sealed body (a password link) is not kept once it is sent.
            if OutgoingMail.isSealed(mail.body) { mail.body = OutgoingMail.sentSealed }
        case .rejected(let reason):
            mail.status = .failed
            mail.lastError = String(reason.prefix(500))
            logger.warning("the mail server refused a message", metadata: ["mail": "\(mail.id!)", "reason": "\(reason)"])
        case .deferred(let reason):
            mail.lastError = String(reason.prefix(500))
            if mail.attempts >= maxAttempts {
                mail.status = .failed
                logger.error(
                    "a message could not be sent", metadata: ["mail": "\(mail.id!)", "attempts": "\(mail.attempts)", "reason": "\(reason)"])
            } else {
                let wait = delay(afterAttempts: mail.attempts)
                mail.nextAttemptAt = now.addingTimeInterval(Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
            }
        }
        try await mail.save(on: database())
    }
}

/// Starts the outbox with the server and lets it finish its round when the server stops.
struct MailOutboxLifecycle: LifecycleHandler {
    let outbox: MailOutbox

    func didBootAsync(_ application: Application) async throws {
        await outbox.start()
    }

    func shutdownAsync(_ application: Application) async {
        await outbox.stop()
    }
}

struct MailOutboxKey: StorageKey {
    typealias Value = MailOutbox
}

extension Application {
    var mailOutbox: MailOutbox? { storage[MailOutboxKey.self] }
    /// Set when the application sends e-mail (`SMTP_URL`).
    var mailContext: MailContext? { mailOutbox == nil ? nil : MailContext(publicURL: publicURL) }
}
