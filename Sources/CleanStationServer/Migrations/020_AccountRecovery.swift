import Fluent

/// Accounts people can recover (issue 17): a password set by someone else
/// (an administrator creating the account or resetting its password) must
/// be changed at the next sign-in, and works only for a while.
struct AccountRecovery: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one change at a time.
        try await database.schema(User.schema).field("must_change_password", .bool, .required, .sql(.default(false))).update()
        try await database.schema(User.schema).field("password_expires_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("password_expires_at").update()
        try await database.schema(User.schema).deleteField("must_change_password").update()
    }
}
