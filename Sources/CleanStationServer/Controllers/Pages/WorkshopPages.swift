import CleanStationCore
import Fluent
import Vapor

/// The administrator's tools, work instructions and catalogue.
enum WorkshopPages {
    struct Tools: Encodable {
        struct Row: Encodable {
            var name: String
            var description: String
        }

        var rows: [Row]
        var fields: [FormField]
        var errors: [String]
    }

    static func tools(_ request: Request) async throws -> Response {
        try await renderTools(request, values: [:], errors: [:])
    }

    static func renderTools(
        _ request: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let rows = try await AssemblyController.tools(request).items.map { Tools.Row(name: $0.name, description: $0.description) }
        let fields = [
            FormField("name", "Tool", value: values["name"] ?? "", errors: errors, required: true),
            FormField("description", "Description", value: values["description"] ?? "", errors: errors),
        ]
        let view = Tools(rows: rows, fields: fields, errors: errors.filter { $0.key.isEmpty }.map(\.value))
        let response = try await Chrome.render(request, "tools", title: "Tools", view, section: SiteURL.admin(.tools).path)
        response.status = status
        return response
    }

    static func createTool(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let values = ["name": fields.value("name") ?? "", "description": fields.value("description") ?? ""]
        do {
            _ = try await AssemblyController.createTool(request, .init(name: values["name"] ?? "", description: values["description"]))
        } catch let error as APIError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await renderTools(request, values: values, errors: error.fieldMessages, status: error.status)
        }
        return Flash.redirect(request, to: SiteURL.admin(.tools).path, "Tool \(values["name"] ?? "") added.")
    }

    // MARK: Work instructions

    struct Instructions: Encodable {
        struct Task: Encodable {
            var id: String
            var action: String
            var text: String
            var kind: String
            var title: String
            var steps: String
            var safety: String
            var tools: [Choice]
            var defined: Bool
        }

        var tasks: [Task]
    }

    static func workInstructions(_ request: Request) async throws -> Response {
        let instructions = Dictionary(
            try await AssemblyController.workInstructions(request).items.map { ($0.taskItemId, $0) },
            uniquingKeysWith: { first, _ in first })
        let tools = try await AssemblyController.tools(request).items
        let tasks = try await AssemblyController.instructableItems(on: request.db).map { item in
            let instruction = instructions[item.id]
            let chosen = Set(instruction?.toolIds ?? [])
            return Instructions.Task(
                id: item.id, action: SiteURL.admin(.workInstruction(.value(item.id))).path, text: item.text,
                kind: ChecklistPages.title(item.kind), title: instruction?.title ?? "",
                steps: instruction?.steps.joined(separator: "\n") ?? "", safety: instruction?.safetyNotes ?? "",
                tools: tools.map { tool in
                    Choice(value: tool.id, label: tool.name, selected: chosen.contains(tool.id))
                }, defined: instruction != nil)
        }
        return try await Chrome.render(
            request, "work-instructions", title: "Work instructions", Instructions(tasks: tasks),
            section: SiteURL.admin(.workInstructions).path)
    }

    static func putWorkInstruction(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let steps = (fields.value("steps") ?? "").split(whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        let input = AssemblyController.WorkInstructionInput(
            title: fields.value("title") ?? "", steps: steps, safetyNotes: fields.value("safetyNotes") ?? "",
            toolIds: fields.values("toolIds"),
            imageDocumentId: nil)
        let task = request.parameters.get("taskItemID") ?? ""
        return try await Flash.perform(request, then: SiteURL.admin(.workInstructions).path, "Work instruction of \(task) saved.") {
            _ = try await AssemblyController.putWorkInstruction(request, input)
        }
    }

    // MARK: Catalogue

    struct Catalogue: Encodable {
        var parts: Int
        var assemblies: Int
        var categories: Int
        var report: [String]
    }

    static func catalog(_ request: Request) async throws -> Response {
        try await renderCatalog(request, report: [])
    }

    static func renderCatalog(_ request: Request, report: [String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let catalog = request.application.catalogStore.snapshot.catalog
        let view = Catalogue(
            parts: catalog.parts.count, assemblies: catalog.assemblies.count, categories: catalog.categories.count, report: report)
        let response = try await Chrome.render(request, "catalog", title: "Catalogue", view, section: SiteURL.admin(.catalog).path)
        response.status = status
        return response
    }

    /// The customer's three export files, uploaded together, replace the catalogue.
    static func importCatalog(_ request: Request) async throws -> Response {
        struct Upload: Content {
            var parts: File?
            var assemblies: File?
            var categories: File?
        }
        let upload = try request.content.decode(Upload.self)
        var documents: [String: JSONValue] = [:]
        var problems: [String] = []
        for (name, file) in [("parts", upload.parts), ("assemblies", upload.assemblies), ("categories", upload.categories)] {
            guard let file, file.data.readableBytes > 0 else {
                problems.append("\(name).json: choose the file")
                continue
            }
            do {
                documents[name] = try JSONParser.parse(Data(buffer: file.data))
            } catch {
                problems.append("\(name).json: not valid JSON: \(error)")
            }
        }
        guard problems.isEmpty, let parts = documents["parts"], let assemblies = documents["assemblies"],
            let categories = documents["categories"]
        else { return try await renderCatalog(request, report: problems, status: .unprocessableEntity) }
        do {
            let report = try await CatalogController.importCatalog(
                request, .init(parts: parts, assemblies: assemblies, categories: categories))
            let counts = [
                (report.counts.parts, "parts"), (report.counts.assemblies, "assemblies"), (report.counts.categories, "categories"),
            ]
            .map { "\($0.0) \($0.1)" }
            let gaps = report.gapLines.count
            return Flash.redirect(
                request, to: SiteURL.admin(.catalog).path,
                "Catalogue imported: \(counts.joined(separator: ", ")); \(gaps) data gap(s) reported.")
        } catch let error as APIError where error.status == .unprocessableEntity {
            return try await renderCatalog(
                request, report: error.details.map(\.description).ifEmpty([error.message]), status: .unprocessableEntity)
        }
    }
}

extension Array {
    fileprivate func ifEmpty(_ other: [Element]) -> [Element] { isEmpty ? other : self }
}
