import CleanStationCore
import Foundation
import Vapor

/// The reports are counted over months of records, and a manager reads them
/// as of a minute ago just as well (issue 18; `make scale`: counted for every
/// request, a few managers opening them slowed every page at 100,000 orders).
/// Each instance keeps each figure set a minute (in process, as the
/// catalogue's snapshot, ADR 004; no cache tier, ADR 005), and requests that
/// arrive while one is being counted wait for it rather than count it again.
actor ReportsCache {
    static let lifetime: TimeInterval = 60

    private var entries: [String: (at: Date, task: Task<ReportsController.View, any Error>)] = [:]

    /// The figures for `months` (and `only` one report), counted at most a minute ago; when they were counted.
    func view(
        months: Int, only: ReportsController.Report?, now: Date = Date(),
        count: @escaping @Sendable (Date) async throws -> ReportsController.View
    ) async throws -> (view: ReportsController.View, at: Date) {
        let key = "\(months) \(only?.rawValue ?? "all") \(PlantTime.zone.identifier)"
        if let entry = entries[key], now.timeIntervalSince(entry.at) < Self.lifetime {
            return (try await entry.task.value, entry.at)
        }
        entries = entries.filter { now.timeIntervalSince($0.value.at) < Self.lifetime }
        let task = Task { try await count(now) }
        entries[key] = (now, task)
        do {
            return (try await task.value, now)
        } catch {
            entries[key] = nil
            throw error
        }
    }
}

struct ReportsCacheKey: StorageKey {
    typealias Value = ReportsCache
}

extension Application {
    var reportsCache: ReportsCache { storage[ReportsCacheKey.self]! }
}

extension ReportsController {
    /// The figures as the API, the page and the CSVs serve them: a minute old at most.
    static func cached(_ request: Request, months: Int, only: Report? = nil) async throws -> (view: View, at: Date) {
        let database = request.readDB
        return try await request.application.reportsCache.view(months: months, only: only) { now in
            try await view(months: months, on: database, now: now, only: only)
        }
    }
}
