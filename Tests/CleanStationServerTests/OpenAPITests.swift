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

/// Typed answers against the document (issue 19): every route whose handler
/// returns an `APIResponse` has its example checked against the schema the
/// document gives, both ways, so that the type and the document cannot drift.
@Suite struct OpenAPITypesTests {
    static let schemas = Dictionary(OpenAPIDocument.schemas.map { ($0.key, $0.value) }) { first, _ in first }

    /// What differs between a value and a schema, each line with its path.
    static func mismatches(_ value: JSONValue, _ schema: JSONValue, at path: String) -> [String] {
        if let reference = schema["$ref"]?.string {
            let name = String(reference.dropFirst("#/components/schemas/".count))
            guard let resolved = schemas[name] else { return ["\(path): no schema \(name)"] }
            return mismatches(value, resolved, at: path)
        }
        if let constant = schema["const"] {
            return value == constant ? [] : ["\(path): \(value) is not \(constant)"]
        }
        if let alternatives = schema["anyOf"]?.array ?? schema["oneOf"]?.array {
            let tried = alternatives.map { mismatches(value, $0, at: path) }
            return tried.contains { $0.isEmpty } ? [] : tried.flatMap { $0 }
        }
        if let allowed = schema["enum"]?.array {
            return allowed.contains(value) ? [] : ["\(path): \(value) is not one of the document's values"]
        }
        let types = schema["type"].map { $0.array.compactMap(\.string) + [$0.string].compactMap { $0 } } ?? []
        // Any JSON, said so (an audit entry's values): nothing to check inside.
        if Set(types) == ["object", "array", "string", "number", "boolean", "null"] { return [] }
        switch value {
        case .null: return types.contains("null") ? [] : ["\(path): null, and the document does not allow it"]
        case .bool: return types.contains("boolean") ? [] : ["\(path): a boolean, the document says \(types)"]
        case .string: return types.contains("string") ? [] : ["\(path): a string, the document says \(types)"]
        case .number(let number):
            let fits = types.contains("number") || (types.contains("integer") && number.rounded() == number)
            return fits ? [] : ["\(path): a number, the document says \(types)"]
        case .array(let items):
            guard types.contains("array"), let itemSchema = schema["items"] else {
                return ["\(path): an array, the document says \(types)"]
            }
            if items.isEmpty { return ["\(path): the example's array is empty, so its items are not checked"] }
            return items.enumerated().flatMap { mismatches($0.element, itemSchema, at: "\(path)[\($0.offset)]") }
        case .object(let members):
            guard types.contains("object") else { return ["\(path): an object, the document says \(types)"] }
            // A map: every member of one schema.
            if schema["properties"] == nil, let each = schema["additionalProperties"], case .object = each {
                return members.flatMap { mismatches($0.value, each, at: "\(path).\($0.key)") }
            }
            guard let properties = schema["properties"]?.members else { return ["\(path): the document gives no properties"] }
            let documented = Set(properties.map(\.key))
            let given = Set(members.map(\.key))
            var found = given.subtracting(documented).sorted().map { "\(path).\($0): in the type, not in the document" }
            let required = Set(schema["required"]?.array.compactMap(\.string) ?? [])
            // What the document does not require may be left out: a signed record's part, kept verbatim, has only what
            // applied. A typed answer's schema requires every property, and the type encodes each, null or not.
            found += documented.subtracting(given).intersection(required).sorted().map { "\(path).\($0): in the document, not in the type" }
            found += required.subtracting(given).sorted().map { "\(path).\($0): required by the document" }
            for member in members {
                if let property = properties.first(where: { $0.key == member.key }) {
                    found += mismatches(member.value, property.value, at: "\(path).\(member.key)")
                }
            }
            return found
        }
    }

    static func resolved(_ schema: JSONValue) -> JSONValue {
        // What a nullable schema holds when it is not null.
        if let alternatives = schema["anyOf"]?.array ?? schema["oneOf"]?.array {
            return alternatives.map(resolved).first { $0["type"] != "null" } ?? schema
        }
        guard let reference = schema["$ref"]?.string else { return schema }
        return schemas[String(reference.dropFirst("#/components/schemas/".count))].map(resolved) ?? schema
    }

    static func allowsNull(_ schema: JSONValue) -> Bool {
        if let alternatives = schema["anyOf"]?.array ?? schema["oneOf"]?.array { return alternatives.contains(where: allowsNull) }
        let schema = resolved(schema)
        return schema["type"] == "null" || schema["type"]?.array.contains("null") == true
            || schema["enum"]?.array.contains(.null) == true
    }

    /// Every optional property of the type (found by reflection on the example) is one the document lets be null:
    /// the example fills every optional, so the value check alone would not see it.
    static func nullability(_ value: Any, _ schema: JSONValue, at path: String) -> [String] {
        let schema = resolved(schema)
        let mirror = Mirror(reflecting: value)
        if schema["type"] == "array" || schema["type"]?.array.contains("array") == true, let items = schema["items"] {
            // A bare list (`APIList`) holds its elements in a property of its own.
            let elements =
                mirror.displayStyle == .collection
                ? mirror.children.map(\.value)
                : mirror.children.first.map { Array(Mirror(reflecting: $0.value).children.map(\.value)) } ?? []
            return elements.enumerated().flatMap { nullability($0.element, items, at: "\(path)[\($0.offset)]") }
        }
        guard mirror.displayStyle == .struct, let properties = schema["properties"]?.members else { return [] }
        var found: [String] = []
        for child in mirror.children {
            guard let label = child.label, let property = properties.first(where: { $0.key == label })?.value else {
                // A part the type encodes in its own members (an order list's item holds the order's summary).
                if Mirror(reflecting: child.value).displayStyle == .struct {
                    found += nullability(child.value, schema, at: path)
                } else {
                    found.append("\(path).\(child.label ?? "?"): a property of the type with no member of that name in the document")
                }
                continue
            }
            let inner = Mirror(reflecting: child.value)
            if inner.displayStyle == .optional {
                if !allowsNull(property) { found.append("\(path).\(label): optional in the type, and the document does not allow null") }
                guard let wrapped = inner.children.first?.value else {
                    found.append("\(path).\(label): the example leaves it nil, so what it holds is not checked")
                    continue
                }
                found += nullability(wrapped, property, at: "\(path).\(label)")
            } else {
                found += nullability(child.value, property, at: "\(path).\(label)")
            }
        }
        return found
    }

    @Test func everyTypedAnswerMatchesItsSchema() throws {
        var checked = 0
        for route in Routes.all {
            guard let type = route.output as? any APIResponse.Type else { continue }
            let name = "\(route.method.rawValue) \(route.path)"
            let operation = try #require(OpenAPIDocument.operations[name], "\(name) has no operation")
            let response = try #require(operation.response, "\(name) returns \(type) and the document gives no answer")
            let example = try JSONValueEncoder.encode(type.example)
            let reference = JSONValue.object([JSONMember("$ref", .string("#/components/schemas/\(response)"))])
            let found = Self.mismatches(example, reference, at: response) + Self.nullability(type.example, reference, at: response)
            #expect(found.isEmpty, "\(name) (\(type)):\n\(found.joined(separator: "\n"))")
            checked += 1
        }
        #expect(checked >= 57, "the typed answers are checked: \(checked)")
    }

    /// The answers Core writes as JSON itself (a BOM, a checklist instance, a template's definition), as a real
    /// server answers them, against their schemas: a member added to Core's writer and not to the document fails.
    @Test func theAnswersCoreWritesMatchTheirSchemas() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let admin = try await app.signIn(.admin)
            let orderID = try await app.createOrder(headers: coordinator)
            let build = try #require(orderBody()["builds"]?.array.first)
            let templates = try await app.testing().sendRequest(.GET, "api/v1/checklist-templates", headers: admin).json
            let templateID = try #require(templates.array.first?["id"]?.string)
            let answers: [(String, String, JSONValue?)] = [
                ("BOMDocument", "api/v1/bom/preview", build),
                ("ChecklistInstance", "api/v1/orders/\(orderID)/builds/B1001/checklists/pre-qc", nil),
                ("ChecklistInstance", "api/v1/orders/\(orderID)/builds/B1001/checklists/eol-test", nil),
                ("TemplateDetail", "api/v1/checklist-templates/\(templateID)", nil),
            ]
            for (schema, path, body) in answers {
                let response = try await app.testing().sendRequest(
                    body == nil ? .GET : .POST, path, headers: body == nil ? admin : coordinator,
                    body: body.map { ByteBuffer(string: JSONSerializer.string($0, style: .compact)) })
                #expect(response.status == .ok, "\(path): \(response.body.string)")
                let reference = JSONValue.object([JSONMember("$ref", .string("#/components/schemas/\(schema)"))])
                // A real answer may hold an empty list: only an example must fill every one.
                let found = Self.mismatches(try response.json, reference, at: schema).filter {
                    !$0.hasSuffix("so its items are not checked")
                }
                #expect(found.isEmpty, "\(path):\n\(found.joined(separator: "\n"))")
            }
        }
    }

    /// The check itself finds a field the document lacks, one the type lacks, and a wrong type.
    @Test func theCheckFindsWhatDiffers() {
        let schema = OpenAPIDocument.object([("id", OpenAPIDocument.string), ("count", OpenAPIDocument.integer)])
        #expect(Self.mismatches(.object([JSONMember("id", "a"), JSONMember("count", 1)]), schema, at: "x").isEmpty)
        #expect(
            Self.mismatches(.object([JSONMember("id", "a"), JSONMember("count", 1), JSONMember("extra", true)]), schema, at: "x")
                == ["x.extra: in the type, not in the document"])
        #expect(
            Self.mismatches(.object([JSONMember("id", "a")]), schema, at: "x")
                == ["x.count: in the document, not in the type", "x.count: required by the document"])
        #expect(Self.mismatches(.object([JSONMember("id", 1), JSONMember("count", 1.5)]), schema, at: "x").count == 2)
        let maybe = OpenAPIDocument.nullable(OpenAPIDocument.string)
        #expect(Self.mismatches(.null, maybe, at: "x").isEmpty && Self.mismatches("a", maybe, at: "x").isEmpty)
        #expect(
            Self.mismatches(1, maybe, at: "x") == [
                "x: a number, the document says [\"string\"]", "x: a number, the document says [\"null\"]",
            ])
        let map = JSONValue.object([JSONMember("type", "object"), JSONMember("additionalProperties", OpenAPIDocument.string)])
        #expect(
            Self.mismatches(.object([JSONMember("A", "a"), JSONMember("B", 2)]), map, at: "x") == [
                "x.B: a number, the document says [\"string\"]"
            ])
        struct Maybe { var id: String; var note: String? }
        #expect(
            Self.nullability(Maybe(id: "a", note: "b"), schema.replacing("note", with: OpenAPIDocument.string), at: "x")
                == ["x.note: optional in the type, and the document does not allow null"])
        #expect(
            Self.nullability(
                Maybe(id: "a", note: "b"), schema.replacing("note", with: OpenAPIDocument.type("string", nullable: true)), at: "x"
            ).isEmpty)
    }
}

extension JSONValue {
    /// An object schema with one more property (for the check's own test).
    fileprivate func replacing(_ key: String, with property: JSONValue) -> JSONValue {
        guard case .object(var members) = self, let index = members.firstIndex(where: { $0.key == "properties" }),
            case .object(var properties) = members[index].value
        else { return self }
        properties.removeAll { $0.key == key }
        properties.append(JSONMember(key, property))
        members[index].value = .object(properties)
        return .object(members)
    }
}
