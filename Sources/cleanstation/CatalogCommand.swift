import ArgumentParser
import CleanStationCore
import Foundation

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Work with the customer's parts catalogue.",
        subcommands: [Check.self])

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
            let counts = loaded.report.counts
            print("parts: \(counts.parts)")
            print("assemblies: \(counts.assemblies)")
            print("categories: \(counts.categories) (\(counts.subcategories) subcategories)")
            let gaps = loaded.report.gapLines
            print("gaps: \(gaps.count)")
            for gap in gaps { print("  \(gap)") }
        }
    }
}
