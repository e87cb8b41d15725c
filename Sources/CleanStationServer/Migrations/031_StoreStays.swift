import Fluent
import SQLKit

/// Cycle time at scale (issue 18): each build move keeps how long the build
/// stayed in the status it leaves (`stay_seconds`, seconds since the
/// build's move before), so that the report reads one covering index of the
/// months' stays instead of pairing every move of the months with the next
/// at read time. Moves recorded before are filled in from their neighbours.
/// The index leads with the status, so the stays arrive grouped by it: no sort before the percentiles' own.
struct StoreStays: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(OrderHistoryEntry.schema).field("stay_seconds", .double).update()
            let sql = transaction as! any SQLDatabase
            let seconds: SQLQueryString =
                sql.dialect.name == "postgresql"
                ? "EXTRACT(EPOCH FROM (order_history.at - earlier.at))::float8" : "order_history.at - earlier.at"
            try await sql.raw(
                """
                UPDATE order_history SET stay_seconds = \(seconds) FROM (
                    SELECT id, LAG(at) OVER (PARTITION BY order_id, build_number ORDER BY at, id) AS at
                    FROM order_history WHERE build_number IS NOT NULL
                ) AS earlier WHERE earlier.id = order_history.id AND earlier.at IS NOT NULL
                """
            ).run()
            try await sql.drop(index: "order_history_at").run()
            try await sql.raw(
                "CREATE INDEX order_history_stays ON order_history (from_status, at, stay_seconds) WHERE stay_seconds IS NOT NULL"
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "order_history_stays").run()
        try await sql.create(index: "order_history_at").on(OrderHistoryEntry.schema).column("at").run()
        try await database.schema(OrderHistoryEntry.schema).deleteField("stay_seconds").update()
    }
}
