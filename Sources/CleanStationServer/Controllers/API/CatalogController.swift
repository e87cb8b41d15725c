import CleanStationCore
import CleanStationExports
import Vapor

/// Catalogue reading for every signed-in user, and the import for admins.
enum CatalogController {
    static func accessories(_ request: Request) -> JSONValue {
        let catalog = request.application.catalogStore.snapshot.catalog
        return .object([
            JSONMember(
                "groups",
                .array(
                    Accessories.Group.allCases.map { group in
                        .object([
                            JSONMember("code", .string(group.rawValue)), JSONMember("title", .string(group.title)),
                            JSONMember(
                                "items",
                                .array(
                                    Accessories.all.filter { $0.group == group }.map { entry in
                                        .object([
                                            JSONMember("itemNumber", .string(entry.itemNumber)), JSONMember("id", .string(entry.id)),
                                            JSONMember("name", catalog.name(of: entry.id).map { .string($0) } ?? .null),
                                            JSONMember("inCatalog", .bool(catalog.contains(entry.id))),
                                        ])
                                    })),
                        ])
                    }))
        ])
    }

    /// A QR code linking to the item's page, for the labels of assemblies on the shelf.
    static func itemQRCode(_ request: Request) throws -> Response {
        let catalog = request.application.catalogStore.snapshot.catalog
        guard let id = request.parameters.get("itemID"), catalog.contains(id) else { throw APIError.notFound("The catalogue item") }
        return try QRCodeResponse.make(request, link: request.application.publicLink(toItem: id), name: id)
    }

    /// The item's label for its shelf or bin (100 × 50 mm), with the QR code of its page.
    static func itemLabel(_ request: Request) async throws -> Response {
        let catalog = request.application.catalogStore.snapshot.catalog
        guard let id = request.parameters.get("itemID"), catalog.contains(id) else { throw APIError.notFound("The catalogue item") }
        let label = LabelPDF.Label(
            heading: id, lines: [catalog.name(of: id) ?? "", AuditWords.sentence(kind(id, in: catalog))], placement: "Catalogue item",
            link: request.application.publicLink(toItem: id))
        let pdf = try LabelPDF.render([label], title: "Label of \(id)")
        try await AuditLog.recordExport(request, resourceType: "catalog_item", resourceID: id, details: [JSONMember("export", "label")])
        return Response.download(pdf, type: "application/pdf", filename: "\(id)-label.pdf", inline: true)
    }

    /// A part or an assembly, with what it is made of. What applies to the
    /// other kind only is null: an assembly has no manufacturer, a part no category.
    struct ItemView: APIResponse {
        struct Component: Encodable, Sendable {
            var partId: String
            var quantity: Int
            var notes: String?
            var name: String?
            /// ASSEMBLY, PART or UNKNOWN.
            var kind: String
        }

        var id: String
        /// ASSEMBLY or PART.
        var kind: String
        var name: String
        var type: String
        var status: String
        var categoryCode: String?
        var subcategoryCode: String?
        var canOrder: Bool?
        var isKit: Bool?
        var manufacturerPartNumber: String?
        var manufacturerInfo: String?
        /// Its lot is recorded at assembly (`LotsController`).
        var lotTracked = false
        var components: [Component]

        static let example = ItemView(
            id: "T2-DL27-KIT", kind: "ASSEMBLY", name: "Fixed height legs kit, 27 in", type: "KIT", status: "ACTIVE",
            categoryCode: "721", subcategoryCode: "721.711", canOrder: true, isKit: true, manufacturerPartNumber: "DL27-4",
            manufacturerInfo: "Torvan Medical",
            components: [Component(partId: "T2-DL27", quantity: 4, notes: "One per corner", name: "Leg, 27 in", kind: "PART")])
    }

    static func item(_ request: Request) async throws -> ItemView {
        let catalog = request.application.catalogStore.snapshot.catalog
        guard let id = request.parameters.get("itemID"), catalog.contains(id) else { throw APIError.notFound("The catalogue item") }
        var item = ItemView(
            id: id, kind: kind(id, in: catalog), name: "", type: "", status: "",
            components: catalog.components(of: id).map { component in
                ItemView.Component(
                    partId: component.partId, quantity: component.quantity, notes: component.notes,
                    name: catalog.name(of: component.partId),
                    kind: kind(component.partId, in: catalog))
            })
        if let assembly = catalog.assemblies[id] {
            (item.name, item.type, item.status) = (assembly.name, assembly.type.rawValue, assembly.status)
            (item.categoryCode, item.subcategoryCode) = (assembly.categoryCode, assembly.subcategoryCode)
            (item.canOrder, item.isKit) = (assembly.canOrder, assembly.isKit)
        } else if let part = catalog.parts[id] {
            (item.name, item.type, item.status) = (part.name, part.type, part.status)
            (item.manufacturerPartNumber, item.manufacturerInfo) = (part.manufacturerPartNumber, part.manufacturerInfo)
        }
        item.lotTracked = try await LotsController.isTracked(id, on: request.db)
        return item
    }

    /// The first 50 parts and assemblies found, and how many there are.
    struct SearchResult: APIResponse {
        var items: [Item]
        var total: Int

        struct Item: Encodable, Sendable {
            var id: String
            var name: String?
            /// ASSEMBLY, PART or UNKNOWN.
            var kind: String
            /// The assembly's type (KIT, SIMPLE…) or the part's.
            var type: String
        }

        static let example = SearchResult(
            items: [Item(id: "T2-DRAIN-KIT", name: "Drain kit", kind: "ASSEMBLY", type: "KIT")], total: 1)
    }

    static func search(_ request: Request) throws -> SearchResult {
        try search(
            request.query[String.self, at: "q"] ?? "", type: request.query[String.self, at: "type"],
            category: request.query[String.self, at: "category"].flatMap { $0.isEmpty ? nil : $0 },
            in: request.application.catalogStore.snapshot.catalog)
    }

    /// Parts and assemblies whose id or name holds `q`, or the assemblies of a category (browsed without a
    /// search, PRD §3.6), the first 50 by id, and how many there are.
    static func search(_ q: String, type: String?, category: String? = nil, in catalog: Catalog) throws -> SearchResult {
        let query = q.trimmingCharacters(in: .whitespaces)
        var errors: [FieldError] = []
        if !(2...100).contains(query.count), (type == nil && category == nil) || !query.isEmpty {
            errors.append(FieldError(field: "q", message: "must have 2 to 100 characters"))
        }
        if let category, !catalog.categories.contains(where: { $0.code == category }) {
            errors.append(FieldError(field: "category", message: "is not a category of the catalogue"))
        }
        if let type, AssemblyType(rawValue: type) == nil, type != "PART" {
            errors.append(
                FieldError(
                    field: "type", message: "must be PART or one of \(AssemblyType.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        let needle = query.lowercased()
        let candidates: [String] =
            switch type {
            case nil: Array(catalog.assemblies.keys) + Array(catalog.parts.keys)
            case "PART": Array(catalog.parts.keys)
            case let type?: catalog.assemblies.values.filter { $0.type.rawValue == type }.map(\.id)
            }
        let ids = candidates.filter { id in
            (category == nil || catalog.assemblies[id]?.categoryCode == category)
                && (needle.isEmpty || id.lowercased().contains(needle) || catalog.name(of: id)?.lowercased().contains(needle) == true)
        }
        let items = ids.sorted().prefix(50).map { id in
            SearchResult.Item(
                id: id, name: catalog.name(of: id), kind: kind(id, in: catalog),
                type: catalog.assemblies[id]?.type.rawValue ?? catalog.parts[id]?.type ?? "")
        }
        return SearchResult(items: Array(items), total: ids.count)
    }

    private static func kind(_ id: String, in catalog: Catalog) -> String {
        catalog.assemblies[id] != nil ? "ASSEMBLY" : catalog.parts[id] != nil ? "PART" : "UNKNOWN"
    }

    /// `POST /api/v1/catalog/import`: the body holds the three files'
    /// contents under `parts`, `assemblies` and `categories`.
    /// `{parts, assemblies, categories}`: the customer's three export files, as JSON.
    struct CatalogFiles: APIInput {
        typealias Checked = CatalogFiles
        var parts: JSONValue
        var assemblies: JSONValue
        var categories: JSONValue

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> CatalogFiles? {
            guard case .object(let members) = json else {
                reader.fail(.root, "must be an object with parts, assemblies and categories")
                return nil
            }
            var files: [String: JSONValue] = [:]
            for key in ["parts", "assemblies", "categories"] {
                guard let value = members.first(where: { $0.key == key })?.value else {
                    reader.fail(.root.key(key), "is required: the content of \(key).json")
                    continue
                }
                files[key] = value
            }
            for member in members where !["parts", "assemblies", "categories"].contains(member.key) {
                reader.fail(.root.key(member.key), "is not a known field")
            }
            guard let parts = files["parts"], let assemblies = files["assemblies"], let categories = files["categories"] else { return nil }
            return CatalogFiles(parts: parts, assemblies: assemblies, categories: categories)
        }
    }

    static func importCatalog(_ request: Request) async throws -> JSONValue {
        try CatalogImport.answer(try await importCatalog(request, try request.input(CatalogFiles.self)))
    }

    /// Loads the three files (every problem named by its file and field), stores the catalogue and reports it.
    static func importCatalog(_ request: Request, _ files: CatalogFiles) async throws -> CatalogReport {
        let loaded: CatalogLoader.Loaded
        do {
            loaded = try CatalogLoader.load(
                parts: JSONSerializer.data(files.parts), assemblies: JSONSerializer.data(files.assemblies),
                categories: JSONSerializer.data(files.categories))
        } catch {
            throw APIError.validation(
                error.problems.map { FieldError(field: $0.file + ($0.field.isEmpty ? "" : ": " + $0.field), message: $0.message) })
        }
        try await CatalogImport.run(loaded, app: request.application, actor: request.auditActor)
        return loaded.report
    }
}
