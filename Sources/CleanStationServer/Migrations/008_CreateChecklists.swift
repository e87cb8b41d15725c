import CleanStationCore
import Fluent
import Foundation
import SQLKit

/// Checklist templates (versioned, never edited in place; version 1 of the
/// five seeded) and signed results, which triggers keep immutable.
struct CreateChecklists: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ChecklistTemplateRecord.schema)
            .id()
            .field("kind", .string, .required)
            .field("version", .int, .required)
            .field("definition", .string, .required)
            .field("retired_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "kind", "version")
            .create()
        try await database.schema(ChecklistResult.schema)
            .id()
            .field("order_id", .uuid, .required, .references(Order.schema, "id"))
            .field("build_number", .string, .required)
            .field("template_id", .uuid, .required, .references(ChecklistTemplateRecord.schema, "id"))
            .field("kind", .string, .required)
            .field("outcome", .string, .required)
            .field("record", .string, .required)
            .field("sha256", .string, .required)
            .field("signer_id", .uuid, .required, .references(User.schema, "id"))
            .field("signed_at", .datetime, .required)
            .field("supersedes_id", .uuid)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "checklist_results_build").on(ChecklistResult.schema).column("build_number").column("kind").run()
        try await sql.create(index: "checklist_results_order_id").on(ChecklistResult.schema).column("order_id").run()
        try await sql.create(index: "checklist_results_template_id").on(ChecklistResult.schema).column("template_id").run()
        try await sql.create(index: "checklist_results_signer_id").on(ChecklistResult.schema).column("signer_id").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION checklist_results_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'signed checklist results are immutable'; END $$
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER checklist_results_immutable BEFORE UPDATE OR DELETE ON checklist_results FOR EACH ROW EXECUTE FUNCTION checklist_results_immutable()"
            ).run()
        } else {
            for event in ["UPDATE", "DELETE"] {
                try await sql.raw(
                    "CREATE TRIGGER checklist_results_no_\(unsafeRaw: event.lowercased()) BEFORE \(unsafeRaw: event) ON checklist_results BEGIN SELECT RAISE(ABORT, 'signed checklist results are immutable'); END"
                ).run()
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for template in ChecklistTemplate.seeds {
            let record = ChecklistTemplateRecord()
            record.kind = template.kind
            record.version = template.version
            record.definition = String(decoding: try encoder.encode(template), as: UTF8.self)
            try await record.create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER checklist_results_immutable ON checklist_results").run()
            try await sql.raw("DROP FUNCTION checklist_results_immutable()").run()
        }
        try await database.schema(ChecklistResult.schema).delete()
        try await database.schema(ChecklistTemplateRecord.schema).delete()
    }
}
