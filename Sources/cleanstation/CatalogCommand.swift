import ArgumentParser
import CleanStationCore
import CleanStationServer
import Foundation

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Work with the customer's parts catalogue.",
        subcommands: [Import.self, Check.self])

    /// `cleanstation catalog check DIR`: reads a catalogue export and
    /// prints its counts and data gaps, without storing anything.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a catalogue directory and print its counts and data gaps.",
            discussion: "Exit status: 0 when it reads (gaps are reported, not fatal); 2 when a file cannot be read.")

        @Argument(help: "The directory with parts.json, assemblies.json and categories.json.")
        var directory: String

        func run() throws {
            try Failure.reporting(report)
        }

        private func report() throws {
            let loaded: CatalogLoader.Loaded
            do {
                loaded = try CatalogLoader.load(directory: URL(fileURLWithPath: directory))
            } catch {
                throw Failure.unreadable("cannot load the catalogue:\n\(error)")
            }
            Self.print(loaded.report.counts, gaps: loaded.report.gapLines)
        }

        static func print(_ counts: CatalogReport.Counts, gaps: [String]) {
            Swift.print("parts: \(counts.parts)")
            Swift.print("assemblies: \(counts.assemblies)")
            Swift.print("categories: \(counts.categories) (\(counts.subcategories) subcategories)")
            Swift.print("gaps: \(gaps.count)")
            for gap in gaps { Swift.print("  \(gap)") }
        }
    }

    /// `cleanstation catalog import DIR`: stores a catalogue export in the
    /// database, printing its counts and data gaps.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import parts.json, assemblies.json and categories.json into the database.",
            discussion: "Exit status: 0 when imported (gaps are reported, not fatal); 2 when a file cannot be read.")

        @Argument(help: "The directory with parts.json, assemblies.json and categories.json.")
        var directory: String

        func run() async throws {
            try await Failure.reporting {
                let result: (counts: CatalogReport.Counts, gaps: [String])
                do {
                    result = try await ServerApp.with { app in
                        try await prepareDatabase(app)
                        return try await CatalogImport.run(directory: URL(fileURLWithPath: directory), app: app)
                    }
                } catch let error as CatalogLoadError {
                    throw Failure.unreadable("cannot load the catalogue:\n\(error)")
                }
                Check.print(result.counts, gaps: result.gaps)
            }
        }
    }
}
