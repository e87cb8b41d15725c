import ArgumentParser
import CleanStationCore
import CleanStationServer

/// `cleanstation openapi`: the OpenAPI document the server serves at /api/openapi.json.
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openapi", abstract: "Print the API's OpenAPI 3.1 document.")

    func run() {
        print(JSONSerializer.string(OpenAPIDocument.document, style: .pretty), terminator: "")
    }
}
