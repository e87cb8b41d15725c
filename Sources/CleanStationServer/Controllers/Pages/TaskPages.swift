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
        var lots: [Lot]
        var lotsMissing: Int
    }

    /// A lot-tracked line of the build's BOM.
    struct Lot: Encodable {
        var id: String
        var name: String
        var quantity: Int
        var lot: String
        /// The item is lot-tracked now (a line no longer tracked shows the lot it has, and takes none).
        var tracked: Bool
        /// Who recorded it and when; empty before.
        var recorded: String
        var action: String
    }

    static func tasks(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        let build = try await OrdersController.build(request)
        guard let order = try await Order.find(build.$order.id, on: request.db) else { throw APIError.notFound("The order") }
        let orderID = try order.requireID().uuidString.lowercased()
        let base = { (page: SiteURL.BuildPage?) in SiteURL.build(.value(orderID), .value(build.buildNumber), page).path }
        let list = try await AssemblyController.taskList(for: build, on: request.db)
        let holding = build.$claimedBy.id == principal.userID
        let holder = try await build.$claimedBy.id.asyncFlatMap { try await User.find($0, on: request.db)?.fullName }
        let tasks = list.map { task in
            // The labels are keyed by option: the data's keys, not field names.
            let label = { (option: String) in task.optionLabels?[option]?.string ?? option }
            return Tasks.Task(
                id: task.id, text: task.text, basin: task.basin.map { "Basin \($0)" } ?? "",
                parts: task.parts.map { "\($0.quantity) × \($0.id) \($0.name ?? "")" }, tools: task.tools,
                instruction: task.workInstruction.map { instruction in
                    Instruction(
                        title: instruction.title, steps: instruction.steps, safety: instruction.safetyNotes,
                        image: instruction.imageDocumentId.map { SiteURL.document(.value($0)).path } ?? "")
                },
                choices: (task.options ?? []).map { Choice(value: $0, label: label($0), selected: false) },
                entry: [.number: "number", .text: "text", .serial: "text"][task.answerType] ?? "",
                done: task.done, doneAt: OrderRow.shortTime(task.doneAt),
                value: task.value.map { value in value.string.map(label) ?? ChecklistPages.fieldValue(value) } ?? "",
                action: base(.task(.value(task.id))), undo: base(.taskUndo(.value(task.id))))
        }
        // As the API's `requireWorkable`: held, in production, and not yet signed PASS this round.
        let canWork =
            holding && build.status == .readyForProduction
            ? try await !ChecklistsController.signedPassThisRound(
                try await ChecklistsController.resolve(build, .production, on: request.db), on: request.db)
            : false
        let lots = try await LotsController.lines(of: build, on: request.db, catalog: request.application.catalogStore.snapshot.catalog)
            .map { line in
                Lot(
                    id: line.itemId, name: line.name ?? "", quantity: line.quantity, lot: line.lot ?? "", tracked: line.lotTracked,
                    recorded: line.recordedBy.map { "by \($0), \(OrderRow.shortTime(line.recordedAt))" } ?? "",
                    action: base(.lot(.value(line.itemId))))
            }
        let view = Tasks(
            orderHref: SiteURL.order(.value(orderID)).path, poNumber: order.poNumber, buildNumber: build.buildNumber, holding: holding,
            heldBy: holder ?? "", canWork: canWork, done: tasks.filter(\.done).count,
            total: tasks.count, tasks: tasks,
            checklists: [ChecklistKind.production, .eolTest, .packaging].map {
                OrderPages.ChecklistLink(label: title($0), href: base(.checklist(.value($0.pathName))), outcome: "")
            }, claim: base(.claim), lots: lots, lotsMissing: lots.filter { $0.tracked && $0.lot.isEmpty }.count)
        return try await Chrome.render(
            request, "tasks", title: "Build \(build.buildNumber)", view,
            section: principal.role == .assembler ? SiteURL.production.path : SiteURL.orders.path,
            breadcrumbs: [
                Chrome.Link(label: "Production", href: SiteURL.production.path, current: false),
                Chrome.Link(label: "\(order.poNumber) · \(build.buildNumber)", href: base(.tasks), current: true),
            ])
    }

    static func completeTask(_ request: Request) async throws -> Response {
        let taskID = request.parameters.get("taskID") ?? ""
        let back = SiteURL.build(of: request, .tasks).path
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

    static func recordLot(_ request: Request) async throws -> Response {
        let itemID = request.parameters.get("itemID") ?? ""
        let back = SiteURL.build(of: request, .tasks).path
        return try await Flash.perform(request, then: back + "#lot-" + itemID, "Lot of \(itemID) recorded.") {
            _ = try await LotsController.record(request, LotsController.LotInput(lot: FormFields(request).text("lot") ?? ""))
        }
    }

    static func undoTask(_ request: Request) async throws -> Response {
        let taskID = request.parameters.get("taskID") ?? ""
        let back = SiteURL.build(of: request, .tasks).path
        return try await Flash.perform(request, then: back + "#task-" + taskID, "Task open again.") {
            _ = try await AssemblyController.undo(request)
        }
    }
}
