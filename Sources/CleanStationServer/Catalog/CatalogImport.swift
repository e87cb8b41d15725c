import CleanStationCore
import Foundation
import SQLKit
import Vapor

/// Stores an imported catalogue, audits it, swaps this instance's snapshot and tells the others.
public enum CatalogImport {
    static func run(_ loaded: CatalogLoader.Loaded, app: Application, actor: AuditActor) async throws {
        let counts = try JSONValueEncoder.encode(loaded.report.counts)
        try await app.db.transaction { transaction in
            try await CatalogStore.write(loaded.catalog, source: .imported, on: transaction)
            try await AuditLog.append(
                AuditEvent(action: "IMPORT", resourceType: "catalog", resourceID: nil, newValue: counts), actor: actor, on: transaction)
            // Other instances reload their snapshot when this commits (`CatalogChangeListener`).
            let sql = transaction as! any SQLDatabase
            if sql.dialect.name == "postgresql" { try await sql.raw("NOTIFY \(unsafeRaw: CatalogChangeListener.channel)").run() }
        }
        if let stored = try await CatalogStore.read(on: app.db) { app.catalogStore.replace(with: stored) }
    }

    /// The API's answer: the counts, the gap lines, and the whole report.
    static func answer(_ report: CatalogReport) throws -> JSONValue {
        let json = try JSONValueEncoder.encode(report)
        return .object([
            JSONMember("counts", json["counts"] ?? .null), JSONMember("gaps", .array(report.gapLines.map { .string($0) })),
            JSONMember("report", json),
        ])
    }

    /// For `cleanstation catalog import DIR`: the counts and gap lines.
    public static func run(directory: URL, app: Application) async throws -> (counts: CatalogReport.Counts, gaps: [String]) {
        let loaded = try CatalogLoader.load(directory: directory)
        try await run(loaded, app: app, actor: .system)
        return (loaded.report.counts, loaded.report.gapLines)
    }
}
