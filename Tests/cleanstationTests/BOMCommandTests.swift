import CleanStationCore
import Foundation
import Testing

/// The `cleanstation` binary, run as a user runs it.
@Suite struct BOMCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sharedCatalog = root.deletingLastPathComponent().appendingPathComponent("shared/catalog").path

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: String...) throws -> Outcome {
        try run(arguments)
    }

    /// Runs the binary built beside the test bundle and waits for it.
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Outcome {
        let process = makeProcess(arguments, environment: environment)
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A long-running process whose output lines can be awaited.
    struct Running {
        var process: Process
        var output: FileHandle

        /// Reads the merged output until a whole line contains `text`, and
        /// returns that line; fails at the end of the output.
        func waitForLine(containing text: String) throws -> String {
            var buffer = ""
            while true {
                let chunk = output.availableData
                guard !chunk.isEmpty else { throw OutputEnded(text: text, output: buffer) }
                buffer += String(decoding: chunk, as: UTF8.self)
                if let line = buffer.split(separator: "\n").first(where: { $0.contains(text) }),
                    buffer.hasSuffix("\n") || buffer.contains(line + "\n")
                {
                    return String(line)
                }
            }
        }
    }

    struct OutputEnded: Error, CustomStringConvertible {
        var text: String
        var output: String
        var description: String { "the process ended before printing \(text):\n\(output)" }
    }

    static func start(_ arguments: [String], environment: [String: String]) throws -> Running {
        let process = makeProcess(arguments, environment: environment)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return Running(process: process, output: pipe.fileHandleForReading)
    }

    private static func makeProcess(_ arguments: [String], environment: [String: String]) -> Process {
        let process = Process()
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var binary = directory.appendingPathComponent("cleanstation")
        while !FileManager.default.fileExists(atPath: binary.path), binary.pathComponents.count > 2 {
            binary = binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("cleanstation")
        }
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DATABASE_") }.merging(environment) { $1 }
        return process
    }

    @Test func printsTheBOMAsJSON() throws {
        let outcome = try Self.run("bom", "--config", "examples/t2-b2-pegboard.json", "--catalog", Self.sharedCatalog)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.isEmpty)
        let document = try JSONDecoder().decode(BOMDocument.self, from: Data(outcome.stdout.utf8))
        #expect(document.buildNumber == "B1001")
        #expect(document.items.first?.id == "T2-BODY-48-60-HA")
        #expect(document.items.first?.children.isEmpty == false)
        #expect(document.items.contains { $0.id == "T2-STD-MANUAL-EN-KIT" })
    }

    @Test func languageAndFormatChooseManualsAndCSV() throws {
        let outcome = try Self.run("bom", "--config", "examples/t2-b3-full.json", "--language", "FR", "--format", "csv")
        #expect(outcome.status == 0)
        let rows = outcome.stdout.components(separatedBy: "\r\n")
        #expect(rows.first == "level,itemNumber,id,name,quantity,kind,options")
        #expect(rows.contains { $0.hasPrefix("1,,T2-STD-MANUAL-FR-KIT,") })
        #expect(rows.contains("1,720.215.002,T2-ADW-PB-94.5X36,Custom pegboard 94.5 × 36 in,1,CUSTOM,"), "the custom part's series")
        #expect(rows.contains("1,709.84,T2-BODY-73-120-HA,\"Sink body, height adjustable, for lengths 73–120 in\",1,ASSEMBLY,"))
    }

    @Test func pdfFormatWritesAPDF() throws {
        let outcome = try Self.run("bom", "--config", "examples/t2-b2-pegboard.json", "--format", "pdf")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("%PDF-"))
    }

    @Test func withoutACatalogueTheBuiltInOneNamesEveryLine() throws {
        let outcome = try Self.run("bom", "--config", "examples/t2-b3-full.json")
        #expect(outcome.status == 0)
        let document = try JSONDecoder().decode(BOMDocument.self, from: Data(outcome.stdout.utf8))
        #expect(document.warnings.isEmpty)
        #expect(document.items.allSatisfy { $0.name != nil })
        // Only the kits whose contents the checklists ask about expand: basin kits, lifting columns, basin lights.
        #expect(
            Set(document.items.filter { !$0.children.isEmpty }.map(\.id)).isSubset(of: [
                "T2-BSN-EDR-KIT", "T2-BSN-ESK-KIT", "T2-BSN-ESK-DI-KIT", "T2-DL27-KIT", "T2-DL14-KIT", "T2-LC1-KIT",
                "T2-OA-BASIN-LIGHT-EDR-KIT", "T2-OA-BASIN-LIGHT-ESK-KIT", "T2-OA-AIRGUN-TURRET-KIT", "T2-OA-WATERGUN-TURRET-KIT",
            ]))
        #expect(document.items.flatMap(\.children).allSatisfy { $0.children.isEmpty })
    }

    @Test func anInvalidConfigurationExitsOneWithEveryFieldError() throws {
        let outcome = try Self.run("bom", "--config", "examples/invalid.json")
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 15)
        let fields = lines.map { String($0.prefix { $0 != ":" }) }
        #expect(fields.contains("basins[1].size.width"))
        #expect(fields.contains("legs.model"))
        #expect(fields.contains("accessories[0].id"))
        #expect(fields.contains("basins[2].colour"))
    }

    @Test func anUnreadableFileExitsTwo() throws {
        let missing = try Self.run("bom", "--config", "examples/missing.json")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("examples/missing.json"))
        #expect(missing.stderr.contains("No such file or directory"))

        let notJSON = try Self.run("bom", "--config", "Package.swift")
        #expect(notJSON.status == 2)
        #expect(notJSON.stderr.contains("is not valid JSON"))

        let badCatalog = try Self.run("bom", "--config", "examples/t2-b2-pegboard.json", "--catalog", "examples")
        #expect(badCatalog.status == 2)
        #expect(badCatalog.stderr.contains("parts.json"))
    }

    @Test func catalogCheckPrintsCountsAndGaps() throws {
        let outcome = try Self.run("catalog", "check", Self.sharedCatalog)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("parts: 284\nassemblies: 318\ncategories: 6 (46 subcategories)\ngaps: 1\n"))
        #expect(outcome.stdout.contains("cycle: ASSY-T2-OA-PO-SHLF-1212 → T2-OA-PO-SHLF-1212 → ASSY-T2-OA-PO-SHLF-1212"))
    }
}
