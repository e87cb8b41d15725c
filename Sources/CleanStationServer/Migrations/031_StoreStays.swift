import Fluent
import SQLKit

/// Cycle time at scale (issue 18, ADR 017): each build move keeps how long
/// the build stayed in the status it leaves (`stay_seconds`, seconds since
/// the build's move before), so that the report reads one covering index of
/// the months' stays instead of pairing every move of the months with the
/// next at read time. The database measures it as each move is inserted (a
/// trigger), whichever version of the application writes the move: during a
/// blue-green switch, or after a rollback, the previous version still
/// records moves. Moves recorded before are filled in from their neighbours.
/// The index leads with the status, so the stays arrive grouped by it: no
/// sort before the percentiles' own.
struct StoreStays: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(OrderHistoryEntry.schema).field("stay_seconds", .double).update()
            let sql = transaction as! any SQLDatabase
            let postgres = sql.dialect.name == "postgresql"
            let seconds: SQLQueryString =
                postgres ? "EXTRACT(EPOCH FROM (order_history.at - earlier.at))::float8" : "order_history.at - earlier.at"
            try await sql.raw(
                """
                UPDATE order_history SET stay_seconds = \(seconds) FROM (
                    SELECT id, LAG(at) OVER (PARTITION BY order_id, build_number ORDER BY at, id) AS at
                    FROM order_history WHERE build_number IS NOT NULL
                ) AS earlier WHERE earlier.id = order_history.id AND earlier.at IS NOT NULL
                """
            ).run()
            for statement in postgres ? Self.postgresTrigger : Self.sqliteTrigger { try await sql.raw(statement).run() }
            try await sql.drop(index: "order_history_at").run()
            try await sql.raw(
                "CREATE INDEX order_history_stays ON order_history (from_status, at, stay_seconds) WHERE stay_seconds IS NOT NULL"
            ).run()
        }
    }

    /// A move that names no stay gets the time since its build's last move before it (none on a build's first).
    static let postgresTrigger: [SQLQueryString] = [
        """
        CREATE FUNCTION order_history_stay() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            IF NEW.stay_seconds IS NULL AND NEW.build_number IS NOT NULL THEN
                NEW.stay_seconds := (SELECT EXTRACT(EPOCH FROM (NEW.at - max(at)))::float8 FROM order_history
                    WHERE order_id = NEW.order_id AND build_number = NEW.build_number AND at <= NEW.at);
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER order_history_stay BEFORE INSERT ON order_history FOR EACH ROW EXECUTE FUNCTION order_history_stay()",
    ]

    /// SQLite cannot change the row in a BEFORE trigger: the same, just after the insert.
    static let sqliteTrigger: [SQLQueryString] = [
        """
        CREATE TRIGGER order_history_stay AFTER INSERT ON order_history
        WHEN NEW.stay_seconds IS NULL AND NEW.build_number IS NOT NULL
        BEGIN
            UPDATE order_history SET stay_seconds = NEW.at - (
                SELECT max(at) FROM order_history
                WHERE order_id = NEW.order_id AND build_number = NEW.build_number AND at <= NEW.at AND id <> NEW.id
            ) WHERE id = NEW.id;
        END
        """
    ]

    func revert(on database: any Database) async throws {
        try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            try await sql.raw("DROP TRIGGER order_history_stay\(unsafeRaw: sql.dialect.name == "postgresql" ? " ON order_history" : "")")
                .run()
            if sql.dialect.name == "postgresql" { try await sql.raw("DROP FUNCTION order_history_stay()").run() }
            try await sql.drop(index: "order_history_stays").run()
            try await sql.create(index: "order_history_at").on(OrderHistoryEntry.schema).column("at").run()
            try await transaction.schema(OrderHistoryEntry.schema).deleteField("stay_seconds").update()
        }
    }
}
