import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

/// Two instances on one PostgreSQL: an import through one reaches the
/// other's in-memory catalogue without a restart (LISTEN/NOTIFY).
@Suite struct CatalogSyncTests {
    @Test(.enabled(if: TestDatabase.postgresAdminURL != nil)) func anImportReachesTheOtherInstance() async throws {
        try await withTestApp(.postgres) { first in
            var config = first.config
            config.auditLogPath = nil
            let second = try await Application.make(.testing, .singleton)
            do {
                try await configure(second, config: config)
                try await prepareDatabase(second)
                let listener = try #require(second.catalogChangeListener)
                let reloads = listener.reloadEvents
                try await second.asyncBoot()
                #expect(try await Self.next(reloads), "listening, with one catch-up reload")
                #expect(!second.catalogStore.snapshot.catalog.contains("T2-SYNC-TEST"))

                let loaded = try CatalogLoader.load(
                    parts: Data(#"{"parts": {"T2-SYNC-TEST": {"name": "Sync test part"}}}"#.utf8),
                    assemblies: Data(#"{"assemblies": {}}"#.utf8), categories: Data(#"{"categories": {}}"#.utf8))
                _ = try await CatalogImport.run(loaded, app: first, actor: .system)
                #expect(try await Self.next(reloads), "the second instance heard of the import")
                #expect(second.catalogStore.snapshot.catalog.contains("T2-SYNC-TEST"))
            } catch {
                try? await second.asyncShutdown()
                throw error
            }
            try await second.asyncShutdown()
        }
    }

    /// The next reload, or false after 10 s.
    static func next(_ reloads: AsyncStream<Void>) async throws -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                var iterator = reloads.makeAsyncIterator()
                return await iterator.next() != nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return false
            }
            defer { group.cancelAll() }
            return await group.next()!
        }
    }
}
