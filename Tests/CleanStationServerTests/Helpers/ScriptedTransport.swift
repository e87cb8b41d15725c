import CleanStationMail
import NIOConcurrencyHelpers

/// A transport that records what it is given and answers as scripted:
/// per recipient (accepted unless told otherwise), or by failing whole sessions.
final class ScriptedTransport: MailTransport, Sendable {
    private struct Script {
        var sent: [MailMessage] = []
        var answers: [String: MailDelivery] = [:]
        var failingSessions = 0
    }
    private let script = NIOLockedValueBox(Script())

    func answer(_ recipient: String, with delivery: MailDelivery) { script.withLockedValue { $0.answers[recipient] = delivery } }
    func failNextSession() { script.withLockedValue { $0.failingSessions += 1 } }
    var sent: [MailMessage] { script.withLockedValue { $0.sent } }

    func send(_ messages: [MailMessage]) async throws -> [MailDelivery] {
        try script.withLockedValue { script in
            script.sent += messages
            if script.failingSessions > 0 {
                script.failingSessions -= 1
                throw SMTPClient.Failure(description: "connection refused")
            }
            return messages.map { script.answers[$0.to] ?? .accepted }
        }
    }
}
