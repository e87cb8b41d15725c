import CleanStationCore
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct OpenAPITests {
    /// Every registered route is described, with its method, and described once.
    @Test func theDocumentDescribesEveryRoute() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.testing().sendRequest(.GET, "api/openapi.json")
            #expect(response.status == .ok)
            let document = try response.json
            #expect(document["openapi"] == "3.1.0")
            let paths = document["paths"]?.members ?? []
            // The API's routes; the web pages (Pages.all) are not part of it.
            let pages = Set(Pages.all.map { "\($0.method.rawValue) \($0.path)" })
            let api = app.routes.all.filter {
                !pages.contains("\($0.method.rawValue) \($0.path.map(\.description).joined(separator: "/"))")
            }
            for route in api {
                let template =
                    "/"
                    + route.path.map { component in
                        if case .parameter(let name) = component { return "{\(name)}" }
                        return component.description
                    }.joined(separator: "/")
                let operation = paths.first { $0.key == template }?.value[route.method.rawValue.lowercased()]
                #expect(operation != nil, "\(route.method) \(template) is missing from the document")
                #expect(operation?["responses"] != nil)
            }
            let described = paths.reduce(0) { $0 + $1.value.members.count }
            #expect(described == api.count)
            #expect(api.count == Routes.all.count)
        }
    }

    @Test func everyRouteHasItsBodiesAndAnswersDeclared() {
        for route in Routes.all {
            #expect(OpenAPIDocument.operations["\(route.method.rawValue) \(route.path)"] != nil, "\(route.method) \(route.path)")
        }
        #expect(OpenAPIDocument.operations.count == Routes.all.count)
    }

    @Test func everyReferencedSchemaExists() {
        let text = JSONSerializer.string(OpenAPIDocument.document)
        let names = Set(OpenAPIDocument.schemas.map(\.key))
        var references: Set<String> = []
        var rest = text[...]
        while let range = rest.range(of: "#/components/schemas/") {
            let name = rest[range.upperBound...].prefix { $0 != "\"" }
            references.insert(String(name))
            rest = rest[range.upperBound...]
        }
        #expect(references.subtracting(names).isEmpty, "\(references.subtracting(names))")
    }
}
