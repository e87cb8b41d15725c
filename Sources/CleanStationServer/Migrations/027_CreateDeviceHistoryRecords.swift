import Fluent
import Foundation
import SQLKit

/// Device history records as filed (issue 18, ADR 015): one per build,
/// never updated or deleted, like the signed checklist results.
struct CreateDeviceHistoryRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DeviceHistoryRecord.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id"))
            .field("build_number", .string, .required)
            .field("manifest_sha256", .string, .required)
            .field("pdf_sha256", .string, .required)
            .field("key_id", .string, .required)
            .field("generated_at", .datetime, .required)
            .unique(on: "build_number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "device_history_records_order_id").on(DeviceHistoryRecord.schema).column("order_id").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION device_history_records_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'device history records are written once'; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER device_history_records_immutable BEFORE UPDATE OR DELETE ON device_history_records
                FOR EACH ROW EXECUTE FUNCTION device_history_records_immutable()
                """
            ).run()
        } else {
            for event in ["UPDATE", "DELETE"] {
                try await sql.raw(
                    """
                    CREATE TRIGGER device_history_records_no_\(unsafeRaw: event.lowercased()) BEFORE \(unsafeRaw: event) ON device_history_records
                    BEGIN SELECT RAISE(ABORT, 'device history records are written once'); END
                    """
                ).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER device_history_records_immutable ON device_history_records").run()
            try await sql.raw("DROP FUNCTION device_history_records_immutable()").run()
        }
        try await database.schema(DeviceHistoryRecord.schema).delete()
    }
}
