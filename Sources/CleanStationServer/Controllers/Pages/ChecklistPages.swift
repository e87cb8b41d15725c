import CleanStationCore
import Fluent
import Vapor

/// Checklist forms generated from the build's instantiated checklist, the
/// signature step, signed results, and the assembler's task list.
enum ChecklistPages {
    static func title(_ kind: ChecklistKind) -> String {
        switch kind {
        case .preQC: "Pre-QC"
        case .production: "Production checklist"
        case .eolTest: "End-of-line test"
        case .packaging: "Packaging"
        case .finalQC: "Final QC"
        }
    }

    struct Form: Encodable {
        struct Section: Encodable {
            var title: String
            var items: [Item]
        }

        struct Item: Encodable {
            var index: Int
            var id: String
            var text: String
            var type: String
            var basin: String
            var naAllowed: Bool
            var unit: String
            var limits: String
            var min: String
            var max: String
            var options: [Choice]
            var value: String
            var na: Bool
            var note: String
            var error: String?
        }

        var orderID: String
        var poNumber: String
        var buildNumber: String
        var kind: String
        var title: String
        var templateVersion: Int
        var meaning: String
        var sections: [Section]
        var canSign: Bool
        var signable: Bool
        var blocked: String?
        var errors: [String]
        var passwordError: String?
        var results: [Result]
        var orderHref: String
        var action: String
    }

    struct Result: Encodable {
        var outcome: String
        var signedBy: String
        var signedAt: String
        var meaning: String
        var sha256: String
        var failedItems: String
        var certificate: String
        var printable: String
    }

    static func show(_ request: Request) async throws -> Response {
        try await render(request, form(request, submitted: nil, errors: []))
    }

    static func printable(_ request: Request) async throws -> Response {
        let form = try await form(request, submitted: nil, errors: [])
        return try await Chrome.render(request, "checklist-print", title: "\(form.title) \(form.buildNumber)", form, section: nil)
    }

    private static func render(_ request: Request, _ form: Form, status: HTTPResponseStatus = .ok) async throws -> Response {
        let response = try await Chrome.render(
            request, "checklist", title: "\(form.title) · \(form.buildNumber)", form, section: "/orders",
            breadcrumbs: [
                Chrome.Link(label: "Orders", href: "/orders", current: false),
                Chrome.Link(label: form.poNumber, href: form.orderHref, current: false),
                Chrome.Link(label: "\(form.buildNumber) · \(form.title)", href: form.action, current: true),
            ])
        response.status = status
        return response
    }

    /// The form of the checklist; with `submitted`, the values sent and the
    /// errors found are shown in place.
    static func form(_ request: Request, submitted: FormFields?, errors: [FieldError]) async throws -> Form {
        let principal = try request.principal()
        let target = try await ChecklistsController.target(request, on: request.db)
        let orderID = try target.order.requireID().uuidString.lowercased()
        let base = "/orders/\(orderID)/builds/\(target.build.buildNumber)/checklists/\(target.kind.pathName)"
        var byField: [String: String] = [:]
        for error in errors { byField[error.field, default: ""] += (byField[error.field] == nil ? "" : "; ") + error.message }
        var index = 0
        let sections = target.instance.sections.map { section in
            Form.Section(
                title: section.title,
                items: section.items.filter(\.applicable).map { item in
                    defer { index += 1 }
                    let name = "answers[\(index)]"
                    let value = submitted?.value("\(name).value") ?? ""
                    let limits = [item.min.map { "min \(JSONSerializer.format($0))" }, item.max.map { "max \(JSONSerializer.format($0))" }]
                        .compactMap { $0 }.joined(separator: ", ")
                    return Form.Item(
                        index: index, id: item.id, text: item.text, type: item.answerType.rawValue,
                        basin: item.basin.map { "Basin \($0)" } ?? "", naAllowed: item.naAllowed, unit: item.unit ?? "",
                        limits: limits, min: item.min.map(JSONSerializer.format) ?? "", max: item.max.map(JSONSerializer.format) ?? "",
                        options: (item.options ?? []).map { Choice(value: $0, label: $0, selected: $0 == value) }, value: value,
                        na: submitted?.value("\(name).na") == "true", note: submitted?.value("\(name).note") ?? "",
                        error: [byField["\(name).value"], byField["\(name).na"], byField["\(name).itemId"]].compactMap { $0 }.first)
                })
        }
        let used = Set(
            (0..<index).flatMap { ["answers[\($0)].value", "answers[\($0)].na", "answers[\($0)].itemId"] } + ["signature.password"])
        let results = try await ChecklistsController.results(of: target, on: request.db).reversed().map { result in
            let signature = result["signature"]
            return Result(
                outcome: result["outcome"]?.string ?? "", signedBy: signature?["fullName"]?.string ?? "",
                signedAt: OrderRow.shortTime(signature?["signedAt"]?.string), meaning: signature?["meaning"]?.string ?? "",
                sha256: signature?["sha256"]?.string ?? "",
                failedItems: result["failedItems"]?.array.compactMap(\.string).joined(separator: ", ") ?? "",
                certificate: "\(base)/certificate?result=\(result["id"]?.string ?? "")", printable: "\(base)/print")
        }
        let status = ChecklistsController.recordingStatus(target.kind)
        let canSign = ChecklistsController.signers(target.kind).contains(principal.role)
        var blocked: String?
        if target.order.status != status {
            blocked =
                "\(title(target.kind)) is recorded while the order is \(StatusView.label(status)); it is \(StatusView.label(target.order.status))."
        } else if [.production, .eolTest, .packaging].contains(target.kind), principal.role == .assembler,
            target.build.$claimedBy.id != principal.userID
        {
            blocked = "Claim build \(target.build.buildNumber) on the order page before recording this checklist."
        }
        return Form(
            orderID: orderID, poNumber: target.order.poNumber, buildNumber: target.build.buildNumber, kind: target.kind.pathName,
            title: title(target.kind), templateVersion: target.instance.templateVersion,
            meaning: try target.template.template().signatureMeaning, sections: sections, canSign: canSign,
            signable: canSign && blocked == nil, blocked: blocked,
            errors: errors.filter { !used.contains($0.field) }.map(\.description), passwordError: byField["signature.password"],
            results: Array(results), orderHref: "/orders/\(orderID)", action: base)
    }

    static func sign(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let target = try await ChecklistsController.target(request, on: request.db)
        let items = target.instance.sections.flatMap(\.items).filter(\.applicable)
        let answers = items.enumerated().map { index, item -> JSONValue in
            let name = "answers[\(index)]"
            var members = [JSONMember("itemId", .string(fields.value("\(name).itemId") ?? item.id))]
            if fields.value("\(name).na") == "true" {
                members.append(JSONMember("na", true))
            } else if let text = fields.text("\(name).value") {
                switch item.answerType {
                case .check: members.append(JSONMember("value", text == "true" ? true : text == "false" ? false : .string(text)))
                case .number: members.append(JSONMember("value", Double(text).map { .number($0) } ?? .string(text)))
                default: members.append(JSONMember("value", .string(text)))
                }
            }
            if let note = fields.text("\(name).note") { members.append(JSONMember("note", .string(note))) }
            return .object(members)
        }
        request.formBody = .object([
            JSONMember("answers", .array(answers)),
            JSONMember("signature", .object([JSONMember("password", .string(fields.value("signature.password") ?? ""))])),
        ])
        let signed: Response
        do {
            signed = try await ChecklistsController.sign(request)
        } catch let error as APIError where error.status == .unprocessableEntity || error.status == .conflict {
            let errors = error.details.isEmpty ? [FieldError(field: "", message: error.message)] : error.details
            return try await render(request, form(request, submitted: fields, errors: errors), status: error.status)
        }
        let outcome = signed.body.data.flatMap { try? JSONParser.parse($0) }?["outcome"]?.string ?? ""
        return Flash.redirect(
            request, to: request.url.path, "\(title(target.kind)) of \(target.build.buildNumber) signed: \(outcome).",
            isError: outcome == "FAIL")
    }

    // MARK: Assembly tasks

    struct Tasks: Encodable {
        struct Task: Encodable {
            var id: String
            var text: String
            var basin: String
            var parts: [String]
            var tools: [String]
            var instructionTitle: String
            var steps: [String]
            var safety: String
            var done: Bool
            var doneAt: String
            var action: String
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
        let holder = try await build.$claimedBy.id.asyncMap { try await User.find($0, on: request.db)?.fullName } ?? nil
        let tasks = list.map { task in
            let instruction = task["workInstruction"]
            return Tasks.Task(
                id: task["id"]?.string ?? "", text: task["text"]?.string ?? "",
                basin: task["basin"]?.number.map { "Basin \(Int($0))" } ?? "",
                parts: task["parts"]?.array.map { part in
                    "\(Int(part["quantity"]?.number ?? 0)) × \(part["id"]?.string ?? "") \(part["name"]?.string ?? "")"
                } ?? [],
                tools: task["tools"]?.array.compactMap(\.string) ?? [], instructionTitle: instruction?["title"]?.string ?? "",
                steps: instruction?["steps"]?.array.compactMap(\.string) ?? [], safety: instruction?["safetyNotes"]?.string ?? "",
                done: task["done"] == .bool(true), doneAt: OrderRow.shortTime(task["doneAt"]?.string),
                action: "\(base)/tasks/\(task["id"]?.string ?? "")")
        }
        let view = Tasks(
            orderHref: "/orders/\(orderID)", poNumber: order.poNumber, buildNumber: build.buildNumber, holding: holding,
            heldBy: holder ?? "", canWork: holding && order.status == .readyForProduction, done: tasks.filter(\.done).count,
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
        let back = request.url.path.components(separatedBy: "/tasks/").first.map { $0 + "/tasks" } ?? "/production"
        return try await Flash.perform(request, then: back, "Task done.") {
            _ = try await AssemblyController.complete(request)
        }
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
