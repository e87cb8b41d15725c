import Foundation

/// Reads the customer's catalogue export: `parts.json`, `assemblies.json`
/// and `categories.json` (bom-rules.md §1).
///
/// A file that is unreadable, not JSON or of the wrong shape is an error
/// naming the file and the JSON path. Gaps in otherwise well-formed data
/// (dangling references, duplicate ids, cycles) are not errors: they come
/// back in a `CatalogReport` beside the catalogue.
public enum CatalogLoader {
    public static let partsFile = "parts.json"
    public static let assembliesFile = "assemblies.json"
    public static let categoriesFile = "categories.json"

    public struct Loaded: Sendable {
        public var catalog: Catalog
        public var report: CatalogReport
    }

    public static func load(directory: URL) throws(CatalogLoadError) -> Loaded {
        var problems: [CatalogProblem] = []
        func read(_ file: String) -> Data? {
            do {
                return try Data(contentsOf: directory.appendingPathComponent(file))
            } catch {
                problems.append(
                    CatalogProblem(file: file, field: "", message: "cannot be read from \(directory.path): \(error.systemReason)"))
                return nil
            }
        }
        let parts = read(partsFile)
        let assemblies = read(assembliesFile)
        let categories = read(categoriesFile)
        guard let parts, let assemblies, let categories else { throw CatalogLoadError(problems: problems) }
        return try load(parts: parts, assemblies: assemblies, categories: categories)
    }

    public static func load(parts: Data, assemblies: Data, categories: Data) throws(CatalogLoadError) -> Loaded {
        var state = LoadState()
        let partsById = state.records(parts, file: partsFile, rootKey: "parts", read: readPart)
        let assembliesById = state.records(assemblies, file: assembliesFile, rootKey: "assemblies", read: readAssembly)
        let categoryList = state.records(categories, file: categoriesFile, rootKey: "categories", read: readCategory)
        guard state.problems.isEmpty else { throw CatalogLoadError(problems: state.problems) }

        let catalog = Catalog(
            parts: Dictionary(uniqueKeysWithValues: partsById.map { ($0.id, $0) }),
            assemblies: Dictionary(uniqueKeysWithValues: assembliesById.map { ($0.id, $0) }),
            categories: categoryList)
        for id in Set(catalog.parts.keys).intersection(catalog.assemblies.keys).sorted() {
            state.duplicates.append(CatalogReport.DuplicateId(id: id, file: "\(partsFile) and \(assembliesFile)"))
        }
        return Loaded(catalog: catalog, report: CatalogReport(catalog: catalog, duplicateIds: state.duplicates))
    }

    private struct LoadState {
        var problems: [CatalogProblem] = []
        var duplicates: [CatalogReport.DuplicateId] = []

        /// The records of one file's root map, in file order; a repeated
        /// key is a duplicate id and the first record wins.
        mutating func records<Record>(
            _ data: Data, file: String, rootKey: String,
            read: (String, JSONValue, JSONPath, inout JSONFieldReader) -> Record?
        ) -> [Record] {
            let document: JSONValue
            do {
                document = try JSONParser.parse(data)
            } catch {
                problems.append(
                    CatalogProblem(
                        file: file, field: error.path.description,
                        message: "is not valid JSON: \(error.message) (line \(error.line), column \(error.column))"))
                return []
            }
            var reader = JSONFieldReader()
            defer { problems += reader.errors.map { CatalogProblem(file: file, field: $0.field, message: $0.message) } }
            guard let root = reader.object(document, at: .root),
                let map = reader.member(root, rootKey), case .object(let members) = map
            else {
                if let value = document[rootKey], value != .null {
                    reader.fail(JSONPath.root.key(rootKey), "must be an object keyed by id, not \(value.typeName)")
                }
                return []
            }
            var seen: Set<String> = []
            var records: [Record] = []
            for member in members {
                guard seen.insert(member.key).inserted else {
                    duplicates.append(CatalogReport.DuplicateId(id: member.key, file: file))
                    continue
                }
                if let record = read(member.key, member.value, JSONPath.root.key(rootKey).key(member.key), &reader) {
                    records.append(record)
                }
            }
            return records
        }
    }

    private static func readPart(_ id: String, _ value: JSONValue, _ path: JSONPath, _ reader: inout JSONFieldReader) -> CatalogPart? {
        guard let fields = reader.object(value, at: path) else { return nil }
        let name = reader.requiredString(fields, "name")
        let manufacturerPartNumber = reader.optionalString(fields, "manufacturer_part_number")
        let manufacturerInfo = reader.optionalString(fields, "manufacturer_info")
        let type = reader.optionalString(fields, "type")
        let status = reader.optionalString(fields, "status")
        let description = reader.optionalString(fields, "description")
        let vendor = reader.optionalString(fields, "vendor")
        guard let name, !reader.hasErrors(within: path) else { return nil }
        return CatalogPart(
            id: id, name: name, manufacturerPartNumber: manufacturerPartNumber, manufacturerInfo: manufacturerInfo,
            type: type ?? "COMPONENT", status: status ?? "ACTIVE", description: description, vendor: vendor)
    }

    private static func readAssembly(
        _ id: String, _ value: JSONValue, _ path: JSONPath, _ reader: inout JSONFieldReader
    ) -> CatalogAssembly? {
        guard let fields = reader.object(value, at: path) else { return nil }
        let name = reader.requiredString(fields, "name")
        let type = reader.member(fields, "type").flatMap { reader.enumeration(AssemblyType.self, $0, at: path.key("type")) }
        let categoryCode = reader.optionalString(fields, "category_code")
        let subcategoryCode = reader.optionalString(fields, "subcategory_code")
        let canOrder = reader.optionalBool(fields, "can_order", default: false)
        let isKit = reader.optionalBool(fields, "is_kit", default: false)
        let status = reader.optionalString(fields, "status")
        let components = reader.member(fields, "components", required: false).flatMap { value in
            reader.array(value, at: path.key("components")).map { elements in
                elements.enumerated().compactMap { readComponent($1, path.key("components").index($0), &reader) }
            }
        }
        guard let name, let type, let canOrder, let isKit, !reader.hasErrors(within: path) else { return nil }
        return CatalogAssembly(
            id: id, name: name, type: type, categoryCode: categoryCode, subcategoryCode: subcategoryCode, canOrder: canOrder,
            isKit: isKit, status: status ?? "ACTIVE", components: components ?? [])
    }

    private static func readComponent(_ value: JSONValue, _ path: JSONPath, _ reader: inout JSONFieldReader) -> CatalogComponent? {
        guard let fields = reader.object(value, at: path) else { return nil }
        let partId = reader.requiredString(fields, "part_id")
        let quantity = reader.member(fields, "quantity").flatMap { value -> Int? in
            guard let quantity = reader.integer(value, at: path.key("quantity")) else { return nil }
            guard quantity >= 1 else {
                reader.fail(path.key("quantity"), "must be at least 1, not \(quantity)")
                return nil
            }
            return quantity
        }
        let notes = reader.optionalString(fields, "notes")
        guard let partId, let quantity else { return nil }
        return CatalogComponent(partId: partId, quantity: quantity, notes: notes)
    }

    private static func readCategory(
        _ code: String, _ value: JSONValue, _ path: JSONPath, _ reader: inout JSONFieldReader
    ) -> CatalogCategory? {
        guard let fields = reader.object(value, at: path) else { return nil }
        let name = reader.requiredString(fields, "name")
        let description = reader.optionalString(fields, "description")
        var subcategories: [CatalogSubcategory] = []
        if let value = reader.member(fields, "subcategories", required: false),
            let map = reader.object(value, at: path.key("subcategories"))
        {
            for key in map.keys {
                if let subcategory = readSubcategory(key, map.values[key]!, map.path.key(key), &reader) {
                    subcategories.append(subcategory)
                }
            }
        }
        guard let name, !reader.hasErrors(within: path) else { return nil }
        return CatalogCategory(code: code, name: name, description: description, subcategories: subcategories)
    }

    private static func readSubcategory(
        _ code: String, _ value: JSONValue, _ path: JSONPath, _ reader: inout JSONFieldReader
    ) -> CatalogSubcategory? {
        guard let fields = reader.object(value, at: path) else { return nil }
        let name = reader.requiredString(fields, "name")
        let description = reader.optionalString(fields, "description")
        let refs = reader.member(fields, "assembly_refs", required: false).flatMap { value in
            reader.array(value, at: path.key("assembly_refs")).map { elements in
                elements.enumerated().compactMap { reader.string($1, at: path.key("assembly_refs").index($0)) }
            }
        }
        guard let name else { return nil }
        return CatalogSubcategory(code: code, name: name, description: description, assemblyRefs: refs ?? [])
    }
}

/// One reason a catalogue file could not be read.
public struct CatalogProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var field: String
    public var message: String

    public var description: String {
        field.isEmpty ? "\(file): \(message)" : "\(file): \(field): \(message)"
    }
}

public struct CatalogLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [CatalogProblem]

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
