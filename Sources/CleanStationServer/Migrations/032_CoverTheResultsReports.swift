import Fluent
import SQLKit

/// First-pass yield and QC workload at scale (issue 18): both count the
/// results signed in the months by kind, outcome, signer and whether they
/// are a first result. An index holding those columns answers them without
/// reading the results' rows (180 MB at 100,000 orders, each with its signed
/// record): it replaces the index on `signed_at` alone.
struct CoverTheResultsReports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            try await sql.drop(index: "checklist_results_signed_at").run()
            try await sql.create(index: "checklist_results_reports").on(ChecklistResult.schema)
                .column("signed_at").column("kind").column("outcome").column("signer_id").column("supersedes_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            try await sql.drop(index: "checklist_results_reports").run()
            try await sql.create(index: "checklist_results_signed_at").on(ChecklistResult.schema).column("signed_at").run()
        }
    }
}
