import Fluent
import Foundation
import SQLKit

/// The two PostgreSQL roles of a deployment (ADR 009): the owner of the
/// schema runs the migrations (`DATABASE_MIGRATION_URL`); the application
/// connects as a role granted only what it does. On the records that must
/// not change it may read and append, no more: no UPDATE, DELETE or
/// TRUNCATE on `audit_log` and `checklist_results`, `audit_head` moved only
/// through the owner's functions, and, not owning any table, no ALTER and no
/// disabling of triggers.
public enum DatabaseRoles {
    /// Tables the application reads and appends to only.
    static let appendOnly = [
        "audit_log", "checklist_results", "nonconformances", "nonconformance_steps", "shipments", "shipment_builds",
        "device_history_records", "serial_numbers", "build_lots",
    ]

    /// The role a PostgreSQL URL signs in as.
    public static func role(of url: String) -> String? {
        URLComponents(string: url)?.user.flatMap { $0.removingPercentEncoding }
    }

    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Grants `role` what the application needs, as the owner, after the
    /// migrations, in one transaction: never half granted. A role that owns
    /// tables (a deployment from before ADR 009, where the application ran
    /// the migrations) is refused: an owner can undo any revoke.
    public static func grant(to role: String, on database: any Database) async throws {
        guard (database as! any SQLDatabase).dialect.name == "postgresql" else { return }
        try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            let row = try await sql.raw(
                "SELECT current_user AS owner, count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = \(bind: role)"
            ).first()
            let owned = try row?.decode(column: "n", as: Int.self) ?? 0
            guard owned == 0 else {
                let owner = try row?.decode(column: "owner", as: String.self) ?? "the schema's owner"
                throw Refusal(
                    description: "the application's role \(role) owns \(owned) tables: as the administrator, run "
                        + "`REASSIGN OWNED BY \(role) TO \(owner)` (once, for a deployment from before ADR 009), then migrate again")
            }
            let name = SQLIdentifier(role)
            try await sql.raw("REVOKE CREATE ON SCHEMA public FROM \(name)").run()
            // No temporary tables: one named like a record table would stand in for it, in this session or,
            // behind PgBouncer's transaction pooling, in the application's own later transactions.
            let database = try await sql.raw("SELECT current_database() AS name").first()?.decode(column: "name", as: String.self) ?? ""
            try await sql.raw("REVOKE TEMPORARY ON DATABASE \(ident: database) FROM PUBLIC, \(name)").run()
            try await sql.raw("GRANT USAGE ON SCHEMA public TO \(name)").run()
            try await sql.raw("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(name)").run()
            try await sql.raw("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(name)").run()
            for table in appendOnly {
                try await sql.raw("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON \(ident: table) FROM \(name)").run()
            }
            try await sql.raw("REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_head FROM \(name)").run()
            try await sql.raw("REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON _fluent_migrations FROM \(name)").run()
            try await sql.raw("GRANT EXECUTE ON FUNCTION audit_head_lock() TO \(name)").run()
        }
    }

    /// Why the role this database signs in as could rewrite the records (it
    /// owns them or is a member of their owner, may update, delete or
    /// truncate them, or may create temporary tables that would stand in
    /// for them), or nil. Staging and production refuse to start with such a role.
    public static func rewriteProblem(on database: any Database) async throws -> String? {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return nil }
        guard
            let row = try await sql.raw(
                """
                SELECT current_user AS role,
                    bool_or(pg_has_role(tableowner, 'MEMBER')) AS owns,
                    bool_or(has_table_privilege(format('public.%I', tablename), 'UPDATE, DELETE, TRUNCATE')) AS rewrites,
                    bool_or(has_database_privilege(current_database(), 'TEMPORARY')) AS temporary
                FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('audit_log', 'checklist_results', 'audit_head')
                """
            ).first()
        else { return nil }
        let role = try row.decode(column: "role", as: String.self)
        if try row.decode(column: "owns", as: Bool?.self) == true {
            return "the database role \(role) owns the records' tables, or is a member of their owner"
        }
        if try row.decode(column: "rewrites", as: Bool?.self) == true {
            return "the database role \(role) may update, delete or truncate the records"
        }
        if try row.decode(column: "temporary", as: Bool?.self) == true {
            return "the database role \(role) may create temporary tables, which could stand in for the records"
        }
        return nil
    }
}
