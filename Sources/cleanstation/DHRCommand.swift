import ArgumentParser
import CleanStationServer
import Foundation

/// `cleanstation dhr`: a build's device history record out of the database,
/// and a record checked offline (ADR 015).
struct DHRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dhr", abstract: "Device history records: export one, verify one offline.", subcommands: [Export.self, Verify.self])

    /// `cleanstation dhr export BUILD [--out DIR]`: BUILD-device-history.json and .pdf.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a build's device history record (signed JSON manifest and PDF): as filed when it shipped, afresh before.")

        @ArgumentParser.Argument(help: "The build number, e.g. B1001.")
        var build: String

        @ArgumentParser.Option(help: "The directory to write the two files to (default: the current one).")
        var out: String = "."

        func run() async throws {
            try await Failure.reporting {
                let record: (manifest: Data, pdf: Data, filed: Bool)
                do {
                    record = try await ServerApp.with { app in try await DeviceHistoryFiles.export(app, build: build) }
                } catch let problem as DeviceHistoryFiles.Problem {
                    throw Failure.invalid(["no device history record: \(problem.description)"])
                }
                let directory = URL(fileURLWithPath: out)
                let manifest = directory.appendingPathComponent("\(build)-device-history.json")
                let pdf = directory.appendingPathComponent("\(build)-device-history.pdf")
                do {
                    try record.manifest.write(to: manifest, options: .withoutOverwriting)
                    try record.pdf.write(to: pdf, options: .withoutOverwriting)
                } catch {
                    throw Failure.unreadable("cannot write \(manifest.path) and \(pdf.path): \(error.localizedDescription)")
                }
                print(manifest.path)
                print(pdf.path)
                print(record.filed ? "as filed when \(build) shipped" : "\(build) has not shipped: made now, not filed")
            }
        }
    }

    /// `cleanstation dhr verify FILE [--pdf PDF] [--public-key PEM]…`: exit 0 when it holds, 1 naming what does not.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a device history record offline: its signature, its PDF, its signed records and audit entries.")

        @ArgumentParser.Argument(help: "The manifest, BUILD-device-history.json.")
        var file: String

        @ArgumentParser.Option(help: "The PDF (default: the file beside the manifest with .pdf, when there is one).")
        var pdf: String?

        @ArgumentParser.Option(help: "A PEM file of the signing key's public half; repeatable. Default: JWT_PUBLIC_KEY.")
        var publicKey: [String] = []

        func run() throws {
            try Failure.reporting {
                func read(_ path: String) throws -> Data {
                    guard let data = FileManager.default.contents(atPath: path) else { throw Failure.unreadable("cannot read \(path)") }
                    return data
                }
                let manifest = try read(file)
                let beside = file.hasSuffix(".json") ? String(file.dropLast(5)) + ".pdf" : file + ".pdf"
                let pdfPath = pdf ?? (FileManager.default.fileExists(atPath: beside) ? beside : nil)
                var pems = try publicKey.map { String(decoding: try read($0), as: UTF8.self) }
                if pems.isEmpty, let key = ProcessInfo.processInfo.environment["JWT_PUBLIC_KEY"], !key.isEmpty { pems = [key] }
                guard !pems.isEmpty else { throw Failure.unreadable("no public key: give --public-key FILE or set JWT_PUBLIC_KEY") }
                let result: (intact: Bool, lines: [String])
                do {
                    result = try DeviceHistoryFiles.verify(manifest: manifest, pdf: try pdfPath.map(read), publicKeyPEMs: pems)
                } catch let problem as DeviceHistoryFiles.Problem {
                    throw Failure.unreadable(problem.description)
                }
                guard result.intact else {
                    throw Failure.invalid(["the device history record does not hold:"] + result.lines.map { "- \($0)" })
                }
                for line in result.lines { print(line) }
            }
        }
    }
}
