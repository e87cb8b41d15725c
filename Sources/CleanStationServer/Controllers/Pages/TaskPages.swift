import CleanStationCore
import Fluent
import Vapor

/// The assembler's task list of a build, checked off one task at a time.
extension ChecklistPages {
    struct Tasks: Encodable {
        struct Task: Encodable {
            var id: String
            var text: String
            var basin: String
            var parts: [String]
            var tools: [String]
            var instruction: Instruction?
            var choices: [Choice]
            /// For a task that records a reading or a text: the input's type (`number`, `text`); empty otherwise.
            var entry: String
            var done: Bool
            var doneAt: String
            var value: String
            var action: String
            var undo: String
        }

        var orderHref: String
        var poNumber: String
        var buildNumber: String
        var holding: Bool
        var heldBy: String
        var canWork: Bool
        var done: Int
        var total: Int
        var tasks: [Task]
        var checklists: [OrderPages.ChecklistLink]
        var claim: String
    }

    static func tasks(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        let build = try await OrdersController.build(request)
        guard let order = try await Order.find(build.$order.id, on: request.db) else { throw APIError.notFound("The order") }
        let orderID = try order.requireID().uuidString.lowercased()
        let base = "/orders/\(orderID)/builds/\(build.buildNumber)"
        let list = try await AssemblyController.taskList(for: build, on: request.db)
        let holding = build.$claimedBy.id == principal.userID
        let holder = try await build.$claimedBy.id.asyncFlatMap { try await User.find($0, on: request.db)?.fullName }
        let tasks = list.map { task in
            let instruction = task["workInstruction"]
            let labels = task["optionLabels"]
            let value = task["value"]?.string ?? ""
            return Tasks.Task(
                id: task["id"]?.string ?? "", text: task["text"]?.string ?? "",
                basin: task["basin"]?.number.map { "Basin \(Int($0))" } ?? "",
                parts: task["parts"]?.array.map { part in
                    "\(Int(part["quantity"]?.number ?? 0)) × \(part["id"]?.string ?? "") \(part["name"]?.string ?? "")"
                } ?? [],
                tools: task["tools"]?.array.compactMap(\.string) ?? [],
                instruction: instruction.flatMap { instruction -> Instruction? in
                    guard instruction != .null else { return nil }
                    return Instruction(
                        title: instruction["title"]?.string ?? "", steps: instruction["steps"]?.array.compactMap(\.string) ?? [],
                        safety: instruction["safetyNotes"]?.string ?? "",
                        image: instruction["imageDocumentId"]?.string.map { "/documents/\($0)" } ?? "")
                },
                choices: (task["options"]?.array ?? []).compactMap(\.string).map {
                    Choice(value: $0, label: labels?[$0]?.string ?? $0, selected: false)
                },
                entry: ["NUMBER": "number", "TEXT": "text", "SERIAL": "text"][task["answerType"]?.string ?? ""] ?? "",
                done: task["done"] == .bool(true), doneAt: OrderRow.shortTime(task["doneAt"]?.string),
                value: labels?[value]?.string ?? value.ifEmpty(task["value"].map { ChecklistPages.fieldValue($0) } ?? ""),
                action: "\(base)/tasks/\(task["id"]?.string ?? "")",
                undo: "\(base)/tasks/\(task["id"]?.string ?? "")/undo")
        }
        // As the API's `requireWorkable`: held, in production, and not yet signed PASS this round.
        let canWork =
            holding && build.status == .readyForProduction
            ? try await !ChecklistsController.signedPassThisRound(
                try await ChecklistsController.resolve(build, .production, on: request.db), on: request.db)
            : false
        let view = Tasks(
            orderHref: "/orders/\(orderID)", poNumber: order.poNumber, buildNumber: build.buildNumber, holding: holding,
            heldBy: holder ?? "", canWork: canWork, done: tasks.filter(\.done).count,
            total: tasks.count, tasks: tasks,
            checklists: [ChecklistKind.production, .eolTest, .packaging].map {
                OrderPages.ChecklistLink(label: title($0), href: "\(base)/checklists/\($0.pathName)", outcome: "")
            }, claim: "\(base)/claim")
        return try await Chrome.render(
            request, "tasks", title: "Build \(build.buildNumber)", view, section: principal.role == .assembler ? "/production" : "/orders",
            breadcrumbs: [
                Chrome.Link(label: "Production", href: "/production", current: false),
                Chrome.Link(label: "\(order.poNumber) · \(build.buildNumber)", href: "\(base)/tasks", current: true),
            ])
    }

    static func completeTask(_ request: Request) async throws -> Response {
        let taskID = request.parameters.get("taskID") ?? ""
        let back = request.url.path.components(separatedBy: "/tasks/").first.map { $0 + "/tasks" } ?? "/production"
        var input = AssemblyController.TaskValue(value: nil)
        if let value = FormFields(request).text("value") {
            let target = try await ChecklistsController.resolve(try await OrdersController.build(request), .production, on: request.db)
            let number = target.instance.items.first { $0.id == taskID }?.answerType == .number ? Double(value) : nil
            input.value = number.map { .number($0) } ?? .string(value)
        }
        return try await Flash.perform(request, then: back + "#task-" + taskID, "Task done.") {
            _ = try await AssemblyController.complete(request, input)
        }
    }

    static func undoTask(_ request: Request) async throws -> Response {
        let taskID = request.parameters.get("taskID") ?? ""
        let back = request.url.path.components(separatedBy: "/tasks/").first.map { $0 + "/tasks" } ?? "/production"
        return try await Flash.perform(request, then: back + "#task-" + taskID, "Task open again.") {
            _ = try await AssemblyController.undo(request)
        }
    }
}

extension String {
    fileprivate func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
