import Fluent
import SQLKit

struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Session.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("revoked_reason", .string)
            .field("client_address", .string)
            .field("user_agent", .string)
            .create()
        try await database.schema(RefreshToken.schema)
            .id()
            .field("session_id", .uuid, .required, .references(Session.schema, "id"))
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(LoginAttempt.schema)
            .id()
            .field("email", .string, .required)
            .field("succeeded", .bool, .required)
            .field("at", .datetime, .required)
            .field("client_address", .string)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "sessions_user_id").on(Session.schema).column("user_id").run()
        try await sql.create(index: "refresh_tokens_session_id").on(RefreshToken.schema).column("session_id").run()
        try await sql.create(index: "login_attempts_email_at").on(LoginAttempt.schema).column("email").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema).delete()
        try await database.schema(RefreshToken.schema).delete()
        try await database.schema(Session.schema).delete()
    }
}
