import Fluent
import SQLKit

/// Records no one can rewrite unseen (ADR 009):
/// - a seal (key id and HMAC) on each audit entry and signed checklist
///   result; the rows written before are sealed here, once, as they stand,
///   so that from now on a row without a valid seal is a forgery;
/// - a row without a seal is refused, and an audit entry is accepted only
///   as the next link of the chain (`seq` = head + 1, `prev_hash` = head's
///   hash); a trigger, not the application, then moves `audit_head`;
/// - on PostgreSQL these are objects of the schema's owner: the
///   application's role locks the head through `audit_head_lock()` and may
///   not update it or the records (`DatabaseRoles`). Their search path puts
///   `pg_temp` last and they name `public.` tables, so that a temporary
///   table cannot stand in for the head.
struct SealRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // All or nothing: the append-only triggers are off for a moment in the middle.
        try await database.transaction { try await prepareAll(on: $0) }
    }

    private func prepareAll(on database: any Database) async throws {
        // One column per statement: SQLite alters a table one change at a time.
        for table in ["audit_log", ChecklistResult.schema] {
            for column in ["key_id", "mac"] { try await database.schema(table).field(FieldKey(stringLiteral: column), .string).update() }
        }
        let sql = database as! any SQLDatabase
        let seal = try database.recordSeal
        let postgres = sql.dialect.name == "postgresql"

        // The rows written so far, sealed as they stand: past the append-only triggers, for this once.
        if postgres {
            try await sql.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").run()
            try await sql.raw("ALTER TABLE checklist_results DISABLE TRIGGER checklist_results_immutable").run()
        } else {
            try await sql.raw("DROP TRIGGER audit_log_no_update").run()
            try await sql.raw("DROP TRIGGER checklist_results_no_update").run()
        }
        for row in try await sql.select().columns("seq", "hash").from("audit_log").all() {
            let (seq, hash) = (try row.decode(column: "seq", as: Int64.self), try row.decode(column: "hash", as: String.self))
            let mark = seal.seal(RecordSeal.auditEntry(seq: seq, hash: hash))
            try await sql.update("audit_log").set("key_id", to: mark.keyID).set("mac", to: mark.mac).where("seq", .equal, seq).run()
        }
        for result in try await ChecklistResult.query(on: database).all() {
            let id = try result.requireID()
            let mark = seal.seal(RecordSeal.checklistResult(id: id.uuidString.lowercased(), sha256: result.sha256))
            try await ChecklistResult.query(on: database).filter(\.$id == id).set(\.$keyID, to: mark.keyID).set(\.$mac, to: mark.mac)
                .update()
        }
        if postgres {
            try await sql.raw("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only").run()
            try await sql.raw("ALTER TABLE checklist_results ENABLE TRIGGER checklist_results_immutable").run()
        } else {
            try await sql.raw(
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            ).run()
            try await sql.raw(
                "CREATE TRIGGER checklist_results_no_update BEFORE UPDATE ON checklist_results BEGIN SELECT RAISE(ABORT, 'signed checklist results are immutable'); END"
            ).run()
        }

        if postgres {
            for table in ["audit_log", ChecklistResult.schema] {
                try await sql.raw(
                    "ALTER TABLE \(ident: table) ADD CONSTRAINT \(ident: table + "_sealed") CHECK (key_id IS NOT NULL AND mac IS NOT NULL)"
                )
                .run()
            }
            try await sql.raw(
                """
                CREATE FUNCTION audit_head_lock() RETURNS TABLE(seq bigint, hash text)
                LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
                    SELECT seq, hash FROM public.audit_head WHERE id = 1 FOR UPDATE
                $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE FUNCTION audit_log_next_link() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
                DECLARE head public.audit_head%ROWTYPE;
                BEGIN
                    SELECT * INTO head FROM public.audit_head WHERE id = 1 FOR UPDATE;
                    IF NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN
                        RAISE EXCEPTION 'an audit entry is appended only as the next link of the chain (entry %)', head.seq + 1;
                    END IF;
                    UPDATE public.audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
                    RETURN NEW;
                END $$
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER audit_log_next_link BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_next_link()"
            ).run()
            try await sql.raw("REVOKE ALL ON FUNCTION audit_head_lock(), audit_log_next_link() FROM PUBLIC").run()
        } else {
            try await sql.raw(
                """
                CREATE TRIGGER audit_log_next_link BEFORE INSERT ON audit_log
                WHEN NEW.key_id IS NULL OR NEW.mac IS NULL
                    OR NEW.seq <> (SELECT seq + 1 FROM audit_head WHERE id = 1)
                    OR NEW.prev_hash <> (SELECT hash FROM audit_head WHERE id = 1)
                BEGIN SELECT RAISE(ABORT, 'an audit entry is appended only as the next link of the chain, sealed'); END
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER audit_log_moves_head AFTER INSERT ON audit_log BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END"
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER checklist_results_sealed BEFORE INSERT ON checklist_results WHEN NEW.key_id IS NULL OR NEW.mac IS NULL
                BEGIN SELECT RAISE(ABORT, 'a signed checklist result is sealed'); END
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { try await revertAll(on: $0) }
    }

    private func revertAll(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER audit_log_next_link ON audit_log").run()
            try await sql.raw("DROP FUNCTION audit_log_next_link()").run()
            try await sql.raw("DROP FUNCTION audit_head_lock()").run()
            for table in ["audit_log", ChecklistResult.schema] {
                try await sql.raw("ALTER TABLE \(ident: table) DROP CONSTRAINT \(ident: table + "_sealed")").run()
            }
        } else {
            for trigger in ["audit_log_next_link", "audit_log_moves_head", "checklist_results_sealed"] {
                try await sql.raw("DROP TRIGGER \(ident: trigger)").run()
            }
        }
        for table in ["audit_log", ChecklistResult.schema] {
            for column in ["key_id", "mac"] { try await database.schema(table).deleteField(FieldKey(stringLiteral: column)).update() }
        }
    }
}
