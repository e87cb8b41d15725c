import CleanStationCore
import Foundation
import SQLKit
import Vapor

/// Stores an imported catalogue, audits it, swaps this instance's snapshot and tells the others.
public enum CatalogImport {
    static func run(_ loaded: CatalogLoader.Loaded, app: Application, actor: AuditActor) async throws -> JSONValue {
        let report = loaded.report
        let reportJSON = try JSONParser.parse(JSONEncoder().encode(report))
        try await app.db.transaction { transaction in
            try await CatalogStore.write(loaded.catalog, source: .imported, on: transaction)
            try await AuditLog.append(
                AuditEvent(action: "IMPORT", resourceType: "catalog", resourceID: nil, newValue: reportJSON["counts"]), actor: actor,
                on: transaction)
            // Other instances reload their snapshot when this commits (`CatalogChangeListener`).
            let sql = transaction as! any SQLDatabase
            if sql.dialect.name == "postgresql" { try await sql.raw("NOTIFY \(unsafeRaw: CatalogChangeListener.channel)").run() }
        }
        if let stored = try await CatalogStore.read(on: app.db) { app.catalogStore.replace(with: stored) }
        return .object([
            JSONMember("counts", reportJSON["counts"] ?? .null), JSONMember("gaps", .array(report.gapLines.map { .string($0) })),
            JSONMember("report", reportJSON),
        ])
    }

    /// For `cleanstation catalog import DIR`: the counts and gap lines.
    public static func run(directory: URL, app: Application) async throws -> (counts: CatalogReport.Counts, gaps: [String]) {
        let loaded = try CatalogLoader.load(directory: directory)
        _ = try await run(loaded, app: app, actor: .system)
        return (loaded.report.counts, loaded.report.gapLines)
    }
}
