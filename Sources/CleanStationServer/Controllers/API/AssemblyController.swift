import CleanStationCore
import Fluent
import Vapor

/// Guided assembly: a build's tasks from its production checklist, with the
/// BOM lines each consumes, tools and work instructions; tasks checked off
/// one by one by the assembler holding the build. Tools and work
/// instructions are managed by admins.
enum AssemblyController {
    static func tasks(_ request: Request) async throws -> JSONValue {
        let build = try await OrdersController.build(request)
        return .array(try await taskList(for: build, on: request.db))
    }

    static func taskList(for build: Build, on database: any Database) async throws -> [JSONValue] {
        guard
            let record = try await ChecklistTemplateRecord.query(on: database).filter(\.$kind == .production).filter(\.$retiredAt == nil)
                .sort(\.$version, .descending).first()
        else { throw APIError.notFound("An active production template") }
        let sink = try SinkConfiguration.read(Data(build.configuration.utf8)).get()
        let bom = try JSONDecoder().decode(BOMDocument.self, from: Data(build.bom.utf8))
        let instance = try record.template().instantiate(for: sink)
        let done = Dictionary(
            try await TaskCompletion.query(on: database).filter(\.$buildNumber == build.buildNumber).all().map { ($0.taskID, $0) },
            uniquingKeysWith: { first, _ in first })
        let instructions = Dictionary(
            try await WorkInstruction.query(on: database).all().map { ($0.taskItemID, $0) }, uniquingKeysWith: { first, _ in first })
        let tools = Dictionary(
            try await Tool.query(on: database).all().map { ($0.id!.uuidString.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        return try instance.items.filter(\.applicable).map { item in
            let instruction = instructions[item.templateItemID]
            let toolIDs = try instruction.map { try JSONParser.parse($0.toolIDs).array.compactMap(\.string) } ?? []
            let completion = done[item.id]
            return .object([
                JSONMember("id", .string(item.id)), JSONMember("text", .string(item.text)),
                JSONMember("basin", item.basin.map { .number(Double($0)) } ?? .null),
                JSONMember(
                    "parts",
                    .array(
                        AssemblyTasks.parts(for: item.templateItemID, in: bom).map { part in
                            .object([
                                JSONMember("id", .string(part.id)), JSONMember("name", part.name.map { .string($0) } ?? .null),
                                JSONMember("quantity", .number(Double(part.quantity))),
                            ])
                        })),
                JSONMember("tools", .array(toolIDs.compactMap { tools[$0] }.map { .string($0.name) })),
                JSONMember("workInstruction", try instruction.map(view) ?? .null),
                JSONMember("done", .bool(completion != nil)),
                JSONMember("doneBy", completion.map { .string($0.$user.id.uuidString.lowercased()) } ?? .null),
                JSONMember("doneAt", completion.map { .string(AuditLog.timestamp($0.completedAt)) } ?? .null),
            ])
        }
    }

    static func complete(_ request: Request) async throws -> JSONValue {
        let principal = try request.principal()
        let build = try await OrdersController.build(request)
        guard let taskID = request.parameters.get("taskID") else { throw APIError.notFound("The task") }
        let tasks = try await taskList(for: build, on: request.db)
        guard tasks.contains(where: { $0["id"]?.string == taskID }) else { throw APIError.notFound("The task") }
        let now = Date()
        do {
            try await request.db.transaction { transaction in
                try await OrdersController.lock(build.$order.id, on: transaction)
                guard let order = try await Order.find(build.$order.id, on: transaction), order.status == .readyForProduction else {
                    throw APIError(.conflict, "INVALID_TRANSITION", "Assembly tasks are done while the order is READY_FOR_PRODUCTION.")
                }
                guard try await Build.find(build.id, on: transaction)?.$claimedBy.id == principal.userID else {
                    throw APIError(.conflict, "RESOURCE_CONFLICT", "Claim build \(build.buildNumber) before working on it.")
                }
                let completion = TaskCompletion()
                completion.$order.id = build.$order.id
                completion.buildNumber = build.buildNumber
                completion.taskID = taskID
                completion.$user.id = principal.userID
                completion.completedAt = now
                try await completion.create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "UPDATE", resourceType: "assembly_task", resourceID: "\(build.buildNumber)/\(taskID)",
                        newValue: .object([JSONMember("done", true)])),
                    actor: request.auditActor, on: transaction, now: now)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("Task \(taskID) of \(build.buildNumber) is done already.")
        }
        request.application.metrics.assemblyTaskCompleted()
        return .array(try await taskList(for: build, on: request.db))
    }

    // MARK: Tools and work instructions

    static func tools(_ request: Request) async throws -> JSONValue {
        .array(
            try await Tool.query(on: request.db).sort(\.$name).all().map {
                .object([
                    JSONMember("id", .string(try $0.requireID().uuidString.lowercased())), JSONMember("name", .string($0.name)),
                    JSONMember("description", .string($0.description)),
                ])
            })
    }

    static func createTool(_ request: Request) async throws -> Response {
        let (name, description) = try request.readBody { json, reader -> (String, String)? in
            guard let object = reader.object(json, at: .root, allowedKeys: ["name", "description"]) else { return nil }
            let name = reader.requiredString(object, "name")?.trimmingCharacters(in: .whitespaces)
            if let name, !(2...200).contains(name.count) { reader.fail(.root.key("name"), "must have 2 to 200 characters") }
            return name.map { ($0, reader.optionalString(object, "description") ?? "") }
        }
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

    static func workInstructions(_ request: Request) async throws -> JSONValue {
        .array(try await WorkInstruction.query(on: request.db).sort(\.$taskItemID).all().map(view))
    }

    /// Creates or replaces the work instruction of one production task.
    static func putWorkInstruction(_ request: Request) async throws -> JSONValue {
        guard let taskItemID = request.parameters.get("taskItemID"),
            ChecklistTemplate.production.items.contains(where: { $0.id == taskItemID })
        else { throw APIError.notFound("The production task") }
        let knownTools = Set(try await Tool.query(on: request.db).all().map { try $0.requireID().uuidString.lowercased() })
        let orderDocuments = try await Document.query(on: request.db).filter(\.$contentType ~~ ["image/png", "image/jpeg"]).all()
            .compactMap(\.id)
        let instruction = try request.readBody { json, reader -> WorkInstruction? in
            guard let object = reader.object(json, at: .root, allowedKeys: ["title", "steps", "safetyNotes", "toolIds", "imageDocumentId"])
            else {
                return nil
            }
            let title = reader.requiredString(object, "title")
            let steps = reader.member(object, "steps").flatMap { reader.array($0, at: .root.key("steps")) }?.enumerated().compactMap {
                reader.string($1, at: JSONPath.root.key("steps").index($0))
            }
            if let steps, steps.isEmpty { reader.fail(.root.key("steps"), "a work instruction needs at least one step") }
            let tools = (reader.member(object, "toolIds", required: false).flatMap { reader.array($0, at: .root.key("toolIds")) } ?? [])
                .enumerated()
                .compactMap { index, value -> String? in
                    guard let id = reader.string(value, at: JSONPath.root.key("toolIds").index(index))?.lowercased() else { return nil }
                    if !knownTools.contains(id) { reader.fail(JSONPath.root.key("toolIds").index(index), "\(id) is not a tool") }
                    return id
                }
            let image = reader.optionalString(object, "imageDocumentId").flatMap { text -> UUID? in
                guard let id = UUID(uuidString: text), orderDocuments.contains(id) else {
                    reader.fail(.root.key("imageDocumentId"), "must be an uploaded PNG or JPEG document")
                    return nil
                }
                return id
            }
            guard let title, let steps else { return nil }
            let instruction = WorkInstruction()
            instruction.taskItemID = taskItemID
            instruction.title = title
            instruction.steps = JSONSerializer.string(.array(steps.map { .string($0) }))
            instruction.safetyNotes = reader.optionalString(object, "safetyNotes") ?? ""
            instruction.toolIDs = JSONSerializer.string(.array(tools.map { .string($0) }))
            instruction.$image.id = image
            return instruction
        }
        try await request.db.transaction { transaction in
            try await WorkInstruction.query(on: transaction).filter(\.$taskItemID == taskItemID).delete()
            try await instruction.create(on: transaction)
            try await AuditLog.append(
                AuditEvent(action: "UPDATE", resourceType: "work_instruction", resourceID: taskItemID, newValue: try view(instruction)),
                actor: request.auditActor, on: transaction)
        }
        return try view(instruction)
    }

    static func view(_ instruction: WorkInstruction) throws -> JSONValue {
        .object([
            JSONMember("taskItemId", .string(instruction.taskItemID)), JSONMember("title", .string(instruction.title)),
            JSONMember("steps", try JSONParser.parse(instruction.steps)), JSONMember("safetyNotes", .string(instruction.safetyNotes)),
            JSONMember("toolIds", try JSONParser.parse(instruction.toolIDs)),
            JSONMember("imageDocumentId", instruction.$image.id.map { .string($0.uuidString.lowercased()) } ?? .null),
        ])
    }
}
