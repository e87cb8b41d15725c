import Fluent
import SQLKit

/// The hash-chained audit log and its head row, which serialises appends.
/// Triggers refuse UPDATE and DELETE on the log, on both databases.
struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(table: "audit_log")
            .column("seq", type: .bigint, .primaryKey(autoIncrement: false))
            .column("at", type: .text, .notNull)
            .column("user_id", type: .text)
            .column("session_id", type: .text)
            .column("action", type: .text, .notNull)
            .column("resource_type", type: .text, .notNull)
            .column("resource_id", type: .text)
            .column("old_value", type: .text)
            .column("new_value", type: .text)
            .column("outcome", type: .text, .notNull)
            .column("client_address", type: .text)
            .column("user_agent", type: .text)
            .column("request_id", type: .text)
            .column("prev_hash", type: .text, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
        try await sql.create(table: "audit_head")
            .column("id", type: .int, .primaryKey(autoIncrement: false))
            .column("seq", type: .bigint, .notNull)
            .column("hash", type: .text, .notNull)
            .run()
        try await sql.insert(into: "audit_head").columns("id", "seq", "hash").values(
            SQLLiteral.numeric("1"), SQLLiteral.numeric("0"), SQLBind(AuditLog.genesisHash)
        ).run()
        try await sql.create(index: "audit_log_resource").on("audit_log").column("resource_type").column("resource_id").run()
        try await sql.create(index: "audit_log_user_id").on("audit_log").column("user_id").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
            ).run()
        } else {
            try await sql.raw(
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            ).run()
            try await sql.raw(
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(table: "audit_head").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER audit_log_append_only ON audit_log").run()
            try await sql.raw("DROP FUNCTION audit_log_append_only()").run()
        }
        try await sql.drop(table: "audit_log").run()
    }
}
