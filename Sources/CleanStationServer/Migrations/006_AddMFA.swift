import Fluent
import SQLKit

/// TOTP secrets (encrypted) on users, single-use backup codes, and the
/// password history the policy checks new passwords against.
struct AddMFA: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema(User.schema).field("mfa_secret", .string).update()
        try await database.schema(User.schema).field("mfa_enabled_at", .datetime).update()
        try await database.schema(User.schema).field("mfa_last_step", .int64).update()
        try await database.schema(BackupCode.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .create()
        try await database.schema(PasswordHistoryEntry.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("password_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "backup_codes_user_id").on(BackupCode.schema).column("user_id").run()
        try await sql.create(index: "password_history_user_id").on(PasswordHistoryEntry.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PasswordHistoryEntry.schema).delete()
        try await database.schema(BackupCode.schema).delete()
        for field in ["mfa_secret", "mfa_enabled_at", "mfa_last_step"] {
            try await database.schema(User.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
