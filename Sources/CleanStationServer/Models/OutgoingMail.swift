import Fluent
import Foundation

/// An e-mail waiting for (or done with) the mail server: written in the
/// transaction of the change it reports, sent afterwards by `MailOutbox`.
final class OutgoingMail: Model, @unchecked Sendable {
    static let schema = "mail_outbox"

    enum Status: String, Codable, Sendable {
        case pending, sent, failed
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Enum(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    @Field(key: "created_at") var createdAt: Date
    /// When the next attempt is due; while an instance holds the message it is a lease.
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "last_error") var lastError: String?

    init() {}

    static let sealedPrefix = "sealed:"
    static let sentSealed = "(sent; a sealed message is not kept)"

    /// A body that must not lie in the database in clear (a password link):
    /// sealed with the field key, opened only to be sent, then dropped.
    static func sealed(_ body: String, cipher: FieldCipher) throws -> String {
        sealedPrefix + (try cipher.seal(Array(body.utf8)))
    }

    static func isSealed(_ body: String) -> Bool { body.hasPrefix(sealedPrefix) }

    /// The text to send: a sealed body opened, or the body as stored.
    static func readable(_ body: String, cipher: FieldCipher?) -> String {
        guard isSealed(body) else { return body }
        guard let cipher, let bytes = try? cipher.open(String(body.dropFirst(sealedPrefix.count))) else {
            return "This message could not be opened: ask for it again."
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    init(recipient: String, subject: String, body: String, now: Date) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.status = .pending
        self.attempts = 0
        self.createdAt = now
        self.nextAttemptAt = now
    }
}
