import Fluent
import SQLKit

/// The e-mail outbox, read by due time.
struct CreateMailOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutgoingMail.schema)
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("last_error", .string)
            .create()
        try await (database as! any SQLDatabase).create(index: "mail_outbox_due").on(OutgoingMail.schema).column("status")
            .column("next_attempt_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutgoingMail.schema).delete()
    }
}
