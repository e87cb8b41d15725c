import CleanStationCore
import Fluent
import Vapor

/// Guided assembly: a build's tasks from its production checklist, with the
/// BOM lines each consumes, tools and work instructions; tasks checked off
/// one by one by the assembler holding the build. Tools and work
/// instructions are managed by admins.
enum AssemblyController {
    static func tasks(_ request: Request) async throws -> APIList<TaskView> {
        let build = try await OrdersController.build(request)
        return APIList(try await taskList(for: build, on: request.db))
    }

    /// A task of guided assembly: an applicable item of the production checklist.
    struct TaskView: APIResponse {
        struct Part: Encodable, Sendable {
            var id: String
            var name: String?
            var quantity: Int
        }

        var id: String
        var text: String
        var basin: Int?
        var answerType: AnswerType
        var options: [String]?
        /// Each option's words, by option, in the options' order.
        var optionLabels: JSONValue?
        /// The BOM lines the task consumes.
        var parts: [Part]
        var tools: [String]
        var workInstruction: WorkInstructionView?
        var done: Bool
        var value: JSONValue?
        var doneBy: String?
        var doneAt: String?

        static let example = TaskView(
            id: "production.basin-clamps.1", text: "Basin clamps fitted", basin: 1, answerType: .choice, options: ["FITTED", "MISSING"],
            optionLabels: .object([JSONMember("FITTED", "Fitted"), JSONMember("MISSING", "Missing")]),
            parts: [Part(id: "T2-BSN-CLAMP", name: "Basin clamp", quantity: 4)], tools: ["Torque wrench"],
            workInstruction: .example, done: true, value: "FITTED", doneBy: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b",
            doneAt: "2026-12-06T09:30:00.000Z")
    }

    /// The applicable items of the build's production checklist (its pinned
    /// version), each with the BOM lines it consumes, tools, work
    /// instruction and whether it is done.
    static func taskList(for build: Build, on database: any Database) async throws -> [TaskView] {
        let target = try await ChecklistsController.resolve(build, .production, on: database)
        let done = Dictionary(
            try await TaskCompletion.query(on: database).filter(\.$buildNumber == build.buildNumber).all().map { ($0.taskID, $0) },
            uniquingKeysWith: { first, _ in first })
        let instructions = try await instructionsByItem(on: database)
        let tools = Dictionary(
            try await Tool.query(on: database).all().map { ($0.id!.uuidString.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        return try target.instance.applicableItems.map { item in
            let instruction = instructions[item.templateItemID]
            let toolIDs = try instruction.map { try JSONParser.parse($0.toolIDs).array.compactMap(\.string) } ?? []
            let completion = done[item.id]
            return TaskView(
                id: item.id, text: item.text, basin: item.basin, answerType: item.answerType, options: item.options,
                optionLabels: item.options.map { options in .object(options.map { JSONMember($0, .string(item.label(of: $0))) }) },
                parts: AssemblyTasks.parts(for: item.templateItemID, in: target.context.bom).map {
                    TaskView.Part(id: $0.id, name: $0.name, quantity: $0.quantity)
                },
                tools: toolIDs.compactMap { tools[$0]?.name }, workInstruction: try instruction.map(view), done: completion != nil,
                value: try completion?.value.map { try JSONParser.parse($0) },
                doneBy: completion.map { $0.$user.id.uuidString.lowercased() },
                doneAt: completion.map { AuditLog.timestamp($0.completedAt) })
        }
    }

    static func instructionsByItem(on database: any Database) async throws -> [String: WorkInstruction] {
        Dictionary(try await WorkInstruction.all(on: database).map { ($0.taskItemID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Where a task may be worked on: in production, by the assembler who
    /// holds the build, until the production checklist is signed PASS in this round.
    static func requireWorkable(_ target: ChecklistsController.Target, by principal: Principal, on database: any Database) async throws {
        guard target.build.status == .readyForProduction else {
            throw APIError(.conflict, "INVALID_TRANSITION", "Assembly tasks are done while the build is READY_FOR_PRODUCTION.")
        }
        guard target.build.$claimedBy.id == principal.userID else {
            throw APIError(.conflict, "RESOURCE_CONFLICT", "Claim build \(target.build.buildNumber) before working on it.")
        }
        if try await ChecklistsController.signedPassThisRound(target, on: database) {
            throw APIError(
                .conflict, "INVALID_TRANSITION",
                "The production checklist of \(target.build.buildNumber) is signed PASS: its tasks stand as signed.")
        }
    }

    /// Checks a task off, and fills its item of the production checklist's
    /// draft with the same answer: `true`, or the `value` a task that records
    /// one takes (the lifter button chosen, a reading), judged as the checklist judges it.
    /// `{value}`: what a task that asks for a value recorded; a tick-box task has no body.
    struct TaskValue: APIInput {
        typealias Checked = TaskValue
        var value: JSONValue?

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> TaskValue? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["value"]), let sent = reader.member(object, "value") else {
                return nil
            }
            return TaskValue(value: sent)
        }
    }

    /// The body is read only for a task that asks for a value: a tick-box task ignores it, as it always has.
    static func complete(_ request: Request) async throws -> APIList<TaskView> {
        try await complete(request) { try request.input(TaskValue.self) }
    }

    static func complete(_ request: Request, _ input: TaskValue) async throws -> APIList<TaskView> {
        try await complete(request) { input }
    }

    private static func complete(_ request: Request, value input: () throws -> TaskValue) async throws -> APIList<TaskView> {
        let principal = try request.principal()
        let build = try await OrdersController.build(request)
        guard let taskID = request.parameters.get("taskID") else { throw APIError.notFound("The task") }
        let target = try await ChecklistsController.resolve(build, .production, on: request.db)
        guard let item = target.instance.applicableItems.first(where: { $0.id == taskID }) else { throw APIError.notFound("The task") }
        try await requireWorkable(target, by: principal, on: request.db)
        var chosen = JSONValue.bool(true)
        if item.answerType != .check {
            // Checked against the task's own item: its type and limits.
            guard let sent = try input().value else {
                throw APIError.validation([FieldError(field: "value", message: "is required")])
            }
            let answer: JSONValue = [.object([JSONMember("itemId", .string(taskID)), JSONMember("value", sent)])]
            if case .failure(let failure) = ChecklistEvaluation.evaluate(answer, against: target.instance, mode: .draft) {
                throw APIError.validation(failure.errors.map { FieldError(field: "value", message: $0.message) })
            }
            chosen = sent
        }
        let value = chosen
        let now = Date()
        try await request.db.transaction { transaction in
            try await OrdersController.lock(build.$order.id, on: transaction)
            let current = try await ChecklistsController.pinned(build, .production, on: transaction, now: now)
            try await requireWorkable(current, by: principal, on: transaction)
            guard current.instance.applicableItems.contains(where: { $0.id == taskID }) else { throw APIError.notFound("The task") }
            guard
                try await TaskCompletion.query(on: transaction).filter(\.$buildNumber == build.buildNumber).filter(\.$taskID == taskID)
                    .count() == 0
            else { throw APIError.conflict("Task \(taskID) of \(build.buildNumber) is done already.") }
            let completion = TaskCompletion()
            completion.$order.id = build.$order.id
            completion.buildNumber = build.buildNumber
            completion.taskID = taskID
            completion.$user.id = principal.userID
            completion.completedAt = now
            completion.value = item.answerType == .check ? nil : JSONSerializer.string(value)
            try await completion.create(on: transaction)
            try await ChecklistsController.editDraft(of: current, by: principal.userID, on: transaction, now: now) {
                $0.set(taskID, "value", to: value)
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "assembly_task", resourceID: "\(build.buildNumber)/\(taskID)",
                    newValue: .object([JSONMember("done", true), JSONMember("value", value)])),
                actor: request.auditActor, on: transaction, now: now)
        }
        request.application.metrics.assemblyTaskCompleted()
        return APIList(try await taskList(for: build, on: request.db))
    }

    /// Takes a check-off back (a slip of the finger): the task is open
    /// again and its production item is emptied in the draft.
    static func undo(_ request: Request) async throws -> APIList<TaskView> {
        let principal = try request.principal()
        let build = try await OrdersController.build(request)
        guard let taskID = request.parameters.get("taskID") else { throw APIError.notFound("The task") }
        let now = Date()
        try await request.db.transaction { transaction in
            try await OrdersController.lock(build.$order.id, on: transaction)
            let current = try await ChecklistsController.pinned(build, .production, on: transaction, now: now)
            try await requireWorkable(current, by: principal, on: transaction)
            guard
                let completion = try await TaskCompletion.query(on: transaction).filter(\.$buildNumber == build.buildNumber)
                    .filter(\.$taskID == taskID).first()
            else { throw APIError.conflict("Task \(taskID) of \(build.buildNumber) is not done.") }
            try await completion.delete(on: transaction)
            try await ChecklistsController.editDraft(of: current, by: principal.userID, on: transaction, now: now) {
                $0.set(taskID, "value", to: nil)
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "assembly_task", resourceID: "\(build.buildNumber)/\(taskID)",
                    oldValue: .object([JSONMember("done", true)]), newValue: .object([JSONMember("done", false)])),
                actor: request.auditActor, on: transaction, now: now)
        }
        return APIList(try await taskList(for: build, on: request.db))
    }

    // MARK: Tools and work instructions

    /// A tool a work instruction may name.
    struct ToolView: APIResponse {
        var id: String
        var name: String
        var description: String

        static let example = ToolView(
            id: "5e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b", name: "Torque wrench 5-25 Nm", description: "Basin clamps")
    }

    static func tools(_ request: Request) async throws -> APIList<ToolView> {
        APIList(
            try await Tool.query(on: request.db).sort(\.$name).all().map {
                ToolView(id: try $0.requireID().uuidString.lowercased(), name: $0.name, description: $0.description)
            })
    }

    /// `{name, description?}`: a tool for the work instructions.
    struct NewTool: APIInput {
        var name: String
        var description: String?

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> NewTool? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["name", "description"]) else { return nil }
            let description = reader.optionalString(object, "description")
            return reader.requiredString(object, "name").map { NewTool(name: $0, description: description) }
        }

        func check(_ reader: inout JSONFieldReader) -> (String, String)? {
            let name = name.trimmingCharacters(in: .whitespaces)
            if !(2...200).contains(name.count) { reader.fail(.root.key("name"), "must have 2 to 200 characters") }
            return (name, description ?? "")
        }
    }

    static func createTool(_ request: Request) async throws -> Response {
        try await createTool(request, try request.input(NewTool.self))
    }

    static func createTool(_ request: Request, _ input: NewTool) async throws -> Response {
        let (name, description) = try input.checked()
        let tool = Tool()
        tool.name = name
        tool.description = description
        do {
            try await request.db.transaction { transaction in
                try await tool.create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "CREATE", resourceType: "tool", resourceID: tool.id?.uuidString.lowercased(),
                        newValue: .object([JSONMember("name", .string(name))])),
                    actor: request.auditActor, on: transaction)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("A tool named \(name) exists already.")
        }
        let response = try await tools(request).encodeResponse(for: request)
        response.status = .created
        return response
    }

    static func workInstructions(_ request: Request) async throws -> APIList<WorkInstructionView> {
        APIList(try await WorkInstruction.query(on: request.db).sort(\.$taskItemID).all().map(view))
    }

    /// The item ids of every template version, of every kind, that a work instruction may serve.
    static func instructableItems(on database: any Database) async throws -> [(id: String, text: String, kind: ChecklistKind)] {
        var seen: Set<String> = []
        var items: [(id: String, text: String, kind: ChecklistKind)] = []
        for record in try await ChecklistTemplateRecord.query(on: database).sort(\.$kind).sort(\.$version, .descending).all() {
            for item in try record.template().items where seen.insert(item.id).inserted {
                items.append((item.id, item.text, record.kind))
            }
        }
        return items
    }

    /// Creates or replaces the work instruction of one checklist item, of any kind.
    /// `{title, steps, safetyNotes?, toolIds?, imageDocumentId?}`.
    struct WorkInstructionInput: APIInput {
        typealias Checked = WorkInstructionInput
        var title: String
        var steps: [String]
        var safetyNotes: String?
        var toolIds: [String]
        var imageDocumentId: String?

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> WorkInstructionInput? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["title", "steps", "safetyNotes", "toolIds", "imageDocumentId"])
            else { return nil }
            let title = reader.requiredString(object, "title")
            let steps = reader.member(object, "steps").flatMap { reader.array($0, at: .root.key("steps")) }?.enumerated().compactMap {
                reader.string($1, at: JSONPath.root.key("steps").index($0))
            }
            let tools = (reader.member(object, "toolIds", required: false).flatMap { reader.array($0, at: .root.key("toolIds")) } ?? [])
                .enumerated().compactMap { reader.string($1, at: JSONPath.root.key("toolIds").index($0)) }
            let safetyNotes = reader.optionalString(object, "safetyNotes")
            let image = reader.optionalString(object, "imageDocumentId")
            guard let title, let steps else { return nil }
            return WorkInstructionInput(title: title, steps: steps, safetyNotes: safetyNotes, toolIds: tools, imageDocumentId: image)
        }
    }

    static func putWorkInstruction(_ request: Request) async throws -> WorkInstructionView {
        try await putWorkInstruction(request, try request.input(WorkInstructionInput.self))
    }

    static func putWorkInstruction(_ request: Request, _ input: WorkInstructionInput) async throws -> WorkInstructionView {
        guard let taskItemID = request.parameters.get("taskItemID"),
            try await instructableItems(on: request.db).contains(where: { $0.id == taskItemID })
        else { throw APIError.notFound("The checklist item") }
        let knownTools = Set(try await Tool.query(on: request.db).all().map { try $0.requireID().uuidString.lowercased() })
        let orderDocuments = try await Document.query(on: request.db).filter(\.$contentType ~~ ["image/png", "image/jpeg"]).all()
            .compactMap(\.id)
        // Checked here, not in the input: the tools and pictures that exist are the database's.
        var reader = JSONFieldReader()
        if input.steps.isEmpty { reader.fail(.root.key("steps"), "a work instruction needs at least one step") }
        let tools = input.toolIds.map { $0.lowercased() }
        for (index, id) in tools.enumerated() where !knownTools.contains(id) {
            reader.fail(JSONPath.root.key("toolIds").index(index), "\(id) is not a tool")
        }
        let image = input.imageDocumentId.flatMap { text -> UUID? in
            guard let id = UUID(uuidString: text), orderDocuments.contains(id) else {
                reader.fail(.root.key("imageDocumentId"), "must be an uploaded PNG or JPEG document")
                return nil
            }
            return id
        }
        guard reader.errors.isEmpty else { throw APIError.validation(reader.errors) }
        let instruction = WorkInstruction()
        instruction.taskItemID = taskItemID
        instruction.title = input.title
        instruction.steps = JSONSerializer.string(.array(input.steps.map { .string($0) }))
        instruction.safetyNotes = input.safetyNotes ?? ""
        instruction.toolIDs = JSONSerializer.string(.array(tools.map { .string($0) }))
        instruction.$image.id = image
        try await request.db.transaction { transaction in
            try await WorkInstruction.query(on: transaction).filter(\.$taskItemID == taskItemID).delete()
            try await instruction.create(on: transaction)
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "work_instruction", resourceID: taskItemID, newValue: try view(instruction).json),
                actor: request.auditActor, on: transaction)
        }
        return try view(instruction)
    }

    /// How a production task is done: its steps, safety notes, tools and picture.
    struct WorkInstructionView: APIResponse {
        var taskItemId: String
        var title: String
        var steps: [String]
        var safetyNotes: String
        var toolIds: [String]
        var imageDocumentId: String?

        static let example = WorkInstructionView(
            taskItemId: "production.basin-clamps", title: "Clamp the basin", steps: ["Place the clamps", "Torque to 12 Nm"],
            safetyNotes: "Gloves on", toolIds: [ToolView.example.id], imageDocumentId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
    }

    static func view(_ instruction: WorkInstruction) throws -> WorkInstructionView {
        WorkInstructionView(
            taskItemId: instruction.taskItemID, title: instruction.title,
            steps: try JSONParser.parse(instruction.steps).array.compactMap(\.string), safetyNotes: instruction.safetyNotes,
            toolIds: try JSONParser.parse(instruction.toolIDs).array.compactMap(\.string),
            imageDocumentId: instruction.$image.id.map { $0.uuidString.lowercased() })
    }
}
