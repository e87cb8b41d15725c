import ArgumentParser
import CleanStationCore
import CleanStationExports
import Foundation

/// `cleanstation bom`: the BOM of one sink configuration, on stdout.
/// Exit 1 with every field error on stderr when the configuration is
/// invalid; exit 2 when a file cannot be read.
struct BOMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bom",
        abstract: "Print the bill of materials of one sink configuration.",
        discussion: """
            Exit status: 0 with the BOM on stdout; 1 when the configuration is invalid, \
            with one error per line on stderr, each starting with the field path; \
            2 when a file cannot be read.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
        case csv
        /// Binary: write it to a file (`> bom.pdf`).
        case pdf
    }

    @Option(help: "The sink configuration, a JSON file (bom-rules.md §2).")
    var config: String

    @Option(help: "The order's language, which picks the manuals: EN, FR or SP.")
    var language: Language = .en

    @Option(help: "A directory with the catalogue's parts.json, assemblies.json and categories.json; the built-in catalogue otherwise.")
    var catalog: String?

    @Option(help: "json, csv or pdf.")
    var format: Format = .json

    func run() throws {
        try Failure.reporting {
            let configuration = try readConfiguration()
            let catalog = try catalog.map(Self.loadCatalog) ?? .builtIn
            let document = BOMGenerator(catalog: catalog).bom(for: configuration, language: language)
            switch format {
            case .json: print(JSONSerializer.string(document.jsonValue, style: .pretty), terminator: "")
            case .csv: print(document.csv(), terminator: "")
            case .pdf:
                let pdf: Data
                do {
                    pdf = try BOMPDF.render(document, heading: .init(generatedAt: Date().formatted(Date.ISO8601FormatStyle())))
                } catch {
                    throw Failure.unreadable("cannot write the PDF: \(error)")
                }
                FileHandle.standardOutput.write(pdf)
            }
        }
    }

    private func readConfiguration() throws -> SinkConfiguration {
        let json: JSONValue
        do {
            json = try JSONParser.parse(try Data(contentsOf: URL(fileURLWithPath: config)))
        } catch let error as JSONSyntaxError {
            throw Failure.unreadable("\(config) is not valid JSON: \(error)")
        } catch {
            throw Failure.unreadable("cannot read \(config): \(error.systemReason)")
        }
        switch SinkConfiguration.read(json) {
        case .success(let configuration): return configuration
        case .failure(let failure): throw Failure.invalid(failure.errors.map(\.description))
        }
    }

    static func loadCatalog(_ directory: String) throws -> Catalog {
        do {
            return try CatalogLoader.load(directory: URL(fileURLWithPath: directory)).catalog
        } catch {
            throw Failure.unreadable("cannot load the catalogue:\n\(error)")
        }
    }
}

extension Language: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}
