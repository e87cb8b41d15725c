import CleanStationCore
import Crypto
import Fluent
import Vapor

/// The five-step order wizard. The draft travels in the form as signed JSON,
/// so that going back and forth keeps it without a table of drafts; each
/// step is checked by the same reader as the API's, and its errors are shown
/// next to the inputs they concern.
enum WizardPages {
    struct View: Encodable {
        struct StepLink: Encodable {
            var number: Int
            var title: String
            var state: String
        }

        var step: Int
        var title: String
        var steps: [StepLink]
        var draft: String
        var multipart: Bool
        var groups: [FieldGroup]
        var builds: [BuildSection]
        var review: Review?
        var problems: [String]
        var isFirst: Bool
        var isLast: Bool
        var editing: Bool
    }

    /// One build's part of a step: its groups of fields.
    struct BuildSection: Encodable {
        var index: Int
        var title: String
        var groups: [FieldGroup]
        var copyChoices: [Choice]
    }

    struct Review: Encodable {
        var facts: [OrderPages.Fact]
        var builds: [ReviewBuild]
        var purchaseOrder: String?
    }

    struct ReviewBuild: Encodable {
        var number: String
        var facts: [OrderPages.Fact]
        /// The BOM tree's rows as HTML (`BOMTable`).
        var treeRows: String
        var warnings: [String]
    }

    static func start(_ request: Request) async throws -> Response {
        try await render(request, OrderDraft(), .customer, errors: [])
    }

    /// The wizard over an order that is still `ORDER_CREATED`; saving it is
    /// `PATCH /api/v1/orders/{id}`, which regenerates the BOMs.
    static func edit(_ request: Request) async throws -> Response {
        let id = try request.uuidParameter("orderID", "The order")
        guard let order = try await Order.query(on: request.db).filter(\.$id == id).with(\.$builds).first() else {
            throw APIError.notFound("The order")
        }
        let furthest = Lifecycle.furthest(of: order.builds.map(\.status))
        if let refusal = OrderPolicy.refusal(.editOrder, role: try request.principal().role, facts: .init(status: furthest)) {
            throw APIError(refusal)
        }
        let builds = try order.builds.sorted { $0.position < $1.position }.map {
            try SinkConfiguration.read(Data($0.configuration.utf8)).get()
        }
        let stored = OrderRequest(
            poNumber: order.poNumber, customerName: order.customerName, projectName: order.projectName, salesPerson: order.salesPerson,
            wantDate: order.wantDate, language: order.language, notes: order.notes, sinkFamily: order.sinkFamily, builds: builds)
        return try await render(request, OrderDraft(stored, editing: id.uuidString.lowercased()), .customer, errors: [])
    }

    static func step(_ request: Request) async throws -> Response {
        let input = try await WizardInput(request)
        guard var draft = input.value("draft").flatMap({ decode($0, request.application.webSession) }) else {
            return Flash.redirect(request, to: SiteURL.newOrder.path, "The draft could not be read: start again.", isError: true)
        }
        let current = OrderDraft.Step(rawValue: Int(input.value("step") ?? "") ?? 1) ?? .customer
        draft.apply(current, input.value)
        var uploadErrors: [FieldError] = []
        if let file = input.file, file.data.readableBytes > 0 {
            switch try await store(file, request) {
            case .success(let stored): draft.poDocument = stored
            case .failure(let error): uploadErrors.append(error)
            }
        }
        let today = OrderRequest.today()
        let go = input.value("go") ?? "next"
        if go == "back" {
            return try await render(request, draft, OrderDraft.Step(rawValue: current.rawValue - 1) ?? .customer, errors: uploadErrors)
        }
        if go.hasPrefix("step:"), let target = Int(go.dropFirst(5)).flatMap(OrderDraft.Step.init), target.rawValue < current.rawValue {
            return try await render(request, draft, target, errors: uploadErrors)
        }
        if go.hasPrefix("copy:"), let to = Int(go.dropFirst(5)), let from = input.value("copy[\(to)]").flatMap(Int.init) {
            draft.copyConfiguration(from: from, to: to)
            return try await render(request, draft, current, errors: [])
        }
        var errors = uploadErrors + draft.errors(for: current, today: today)
        // Taken numbers are found with the form's other errors, each on its field once.
        let named = Set(errors.map(\.field))
        errors += try await taken(draft, at: current, on: request.db).filter { !named.contains($0.field) }
        guard errors.isEmpty else { return try await render(request, draft, current, errors: errors, status: .unprocessableEntity) }
        guard go == "create" else {
            return try await render(request, draft, OrderDraft.Step(rawValue: current.rawValue + 1) ?? .review, errors: [])
        }
        let order: OrderRequest
        switch OrderRequest.read(draft.json(), today: today) {
        case .success(let value): order = value
        case .failure(let failure):
            return try await render(request, draft, .review, errors: failure.errors, status: .unprocessableEntity)
        }
        if let editing = draft.editing {
            return try await save(draft, editing: editing, request)
        }
        let id: UUID
        do {
            id = try await OrdersController.create(
                order, by: try request.principal().userID, actor: request.auditActor, generator: request.application.bomGenerator,
                on: request.db, mail: request.mailContext, purchaseOrder: draft.poDocument)
        } catch let error as APIError where error.status == .conflict {
            return try await render(
                request, draft, .review, errors: [FieldError(field: "", message: error.message)], status: .conflict)
        }
        request.application.metrics.ordersCreated.increment()
        return Flash.redirect(
            request, to: SiteURL.order(id).path, "Order \(order.poNumber) created with \(order.builds.count) build(s).")
    }

    /// A PO number or build numbers another order already uses, found at the step that asks for
    /// them rather than at "Create order": every one at once, each on its own field.
    static func taken(_ draft: OrderDraft, at step: OrderDraft.Step, on database: any Database) async throws -> [FieldError] {
        let editing = draft.editing.flatMap(UUID.init(uuidString:))
        var errors: [FieldError] = []
        if step == .customer || step == .review {
            let po = draft.poNumber.trimmingCharacters(in: .whitespaces).uppercased()
            if let other = try await Order.query(on: database).filter(\.$poNumber == po).first(), other.id != editing {
                errors.append(FieldError(field: "poNumber", message: "\(po) is already the PO number of another order"))
            }
        }
        if step == .builds || step == .review {
            let numbers = draft.builds.map { $0.buildNumber.trimmingCharacters(in: .whitespaces).uppercased() }
            let used = Set(
                try await Build.query(on: database).filter(\.$buildNumber ~~ numbers).all().filter { $0.$order.id != editing }
                    .map(\.buildNumber))
            for (index, number) in numbers.enumerated() where used.contains(number) {
                errors.append(FieldError(field: "builds[\(index)].buildNumber", message: "\(number) is already a build of another order"))
            }
        }
        return errors
    }

    /// Saves an edited order through the API's handler (nothing of the
    /// family changes: an order keeps its family).
    private static func save(_ draft: OrderDraft, editing id: String, _ request: Request) async throws -> Response {
        do {
            let changes = try OrdersController.read(
                OrderUpdate.read(.object(draft.json().members.filter { $0.key != "sinkFamily" }), today: OrderRequest.today()))
            guard let orderID = UUID(uuidString: id) else { throw APIError.notFound("The order") }
            _ = try await OrdersController.update(request, id: orderID, changes)
        } catch let error as APIError where [.unprocessableEntity, .conflict].contains(error.status) {
            let errors = error.details.isEmpty ? [FieldError(field: "", message: error.message)] : error.details
            return try await render(request, draft, .review, errors: errors, status: error.status)
        }
        return Flash.redirect(
            request, to: SiteURL.order(.value(id)).path, "Order \(draft.poNumber.uppercased()) saved; its BOMs were generated again.")
    }

    /// The uploaded purchase order, stored by its SHA-256 as documents are.
    private static func store(_ file: File, _ request: Request) async throws -> Result<OrderDraft.StoredFile, FieldError> {
        let limit = request.application.config.uploadLimitBytes
        guard file.data.readableBytes <= limit else {
            return .failure(FieldError(field: "poFile", message: "may have at most \(limit / 1_048_576) MiB"))
        }
        let bytes = Data(buffer: file.data)
        guard let type = ContentSniffer.verifiedType(of: bytes) else {
            return .failure(FieldError(field: "poFile", message: "must be a PDF, PNG or JPEG file"))
        }
        let sha256 = SHA256.hash(data: bytes).hex
        try await request.application.documentStorage.store(bytes, sha256: sha256)
        let name = String(String(file.filename.split(separator: "/").last ?? "purchase-order").prefix(255))
        return .success(OrderDraft.StoredFile(sha256: sha256, fileName: name, contentType: type, size: bytes.count))
    }

    // MARK: The draft in the form

    static func encode(_ draft: OrderDraft, _ web: WebSession) -> String {
        let data = (try? JSONEncoder().encode(draft)) ?? Data()
        let text = data.base64URLEncodedString()
        return text + "." + web.sign("draft:" + text)
    }

    static func decode(_ value: String, _ web: WebSession) -> OrderDraft? {
        let parts = value.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, WebSession.same(web.sign("draft:" + parts[0]), parts[1]) else { return nil }
        var base64 = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONDecoder().decode(OrderDraft.self, from: data)
    }

    // MARK: Rendering

    static func render(
        _ request: Request, _ draft: OrderDraft, _ step: OrderDraft.Step, errors: [FieldError], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var messages: [String: String] = [:]
        for error in errors { messages[error.field, default: ""] += (messages[error.field] == nil ? "" : "; ") + error.message }
        let form = WizardForm(draft: draft, errors: messages, catalog: request.application.catalogStore.snapshot.catalog)
        var groups: [FieldGroup] = []
        var builds: [BuildSection] = []
        var review: Review?
        switch step {
        case .customer: groups = form.customerGroups()
        case .builds: groups = form.buildGroups()
        case .configuration: builds = form.configurationSections()
        case .accessories: builds = form.accessorySections()
        case .review: review = reviewOf(draft, request)
        }
        let shown = Set(groups.flatMap(\.fields).map(\.name) + builds.flatMap(\.groups).flatMap(\.fields).map(\.name))
        let problems = errors.filter { !shown.contains($0.field) }.map { error in
            let owner = OrderDraft.Step.allCases.first { $0 != .review && $0.owns(error.field) }
            return owner.map { "\($0.title): \(error.description)" } ?? error.description
        }
        let view = View(
            step: step.rawValue, title: step.title,
            steps: OrderDraft.Step.allCases.map {
                View.StepLink(
                    number: $0.rawValue, title: $0.title, state: $0 == step ? "current" : $0.rawValue < step.rawValue ? "done" : "todo")
            },
            draft: encode(draft, request.application.webSession), multipart: step == .customer && draft.editing == nil, groups: groups,
            builds: builds, review: review, problems: problems, isFirst: step == .customer, isLast: step == .review,
            editing: draft.editing != nil)
        let crumb =
            draft.editing.map { Chrome.Link(label: "Edit \(draft.poNumber)", href: SiteURL.order(.value($0), .edit).path, current: true) }
            ?? Chrome.Link(label: "New order", href: SiteURL.newOrder.path, current: true)
        let response = try await Chrome.render(
            request, "wizard", title: "\(draft.editing == nil ? "New order" : "Edit order") · \(step.title)", view,
            section: draft.editing == nil ? SiteURL.newOrder.path : SiteURL.orders.path,
            breadcrumbs: [Chrome.Link(label: "Orders", href: SiteURL.orders.path, current: false), crumb])
        response.status = status
        return response
    }

    static func reviewOf(_ draft: OrderDraft, _ request: Request) -> Review {
        let generator = request.application.bomGenerator
        let language = Language(rawValue: draft.language) ?? .en
        let facts = [
            OrderPages.Fact(label: "PO number", value: draft.poNumber), OrderPages.Fact(label: "Customer", value: draft.customerName),
            OrderPages.Fact(label: "Project", value: draft.projectName), OrderPages.Fact(label: "Sales person", value: draft.salesPerson),
            OrderPages.Fact(label: "Want date", value: draft.wantDate), OrderPages.Fact(label: "Language", value: draft.language),
            OrderPages.Fact(label: "Family", value: draft.sinkFamily), OrderPages.Fact(label: "Notes", value: draft.notes),
        ]
        let builds = draft.builds.enumerated().map { index, build -> ReviewBuild in
            guard case .success(let sink) = SinkConfiguration.read(build.json(), at: JSONPath.root.key("builds").index(index)) else {
                return ReviewBuild(number: build.buildNumber, facts: [], treeRows: "", warnings: ["This build's configuration has errors."])
            }
            let bom = generator.bom(for: sink, language: language)
            return ReviewBuild(
                number: sink.buildNumber, facts: OrderPages.facts(of: sink), treeRows: BOMTable.treeRows(bom.items), warnings: bom.warnings)
        }
        return Review(facts: facts, builds: builds, purchaseOrder: draft.poDocument.map { "\($0.fileName) (\($0.size) bytes)" })
    }
}

/// The wizard's input: URL-encoded, or multipart on the first step, which
/// carries the purchase order's file.
struct WizardInput {
    var fields: [String: String]
    var file: File?

    struct FirstStep: Content {
        var draft: String?
        var step: String?
        var go: String?
        var poNumber: String?
        var customerName: String?
        var projectName: String?
        var salesPerson: String?
        var wantDate: String?
        var language: String?
        var notes: String?
        var poFile: File?
    }

    init(_ request: Request) async throws {
        if request.headers.contentType?.type == "multipart" {
            let form = try request.content.decode(FirstStep.self)
            let pairs: [(String, String?)] = [
                ("draft", form.draft), ("step", form.step), ("go", form.go), ("poNumber", form.poNumber),
                ("customerName", form.customerName), ("projectName", form.projectName), ("salesPerson", form.salesPerson),
                ("wantDate", form.wantDate), ("language", form.language), ("notes", form.notes),
            ]
            fields = Dictionary(pairs.compactMap { name, value in value.map { (name, $0) } }, uniquingKeysWith: { first, _ in first })
            file = form.poFile
        } else {
            fields = Dictionary(FormFields(request).pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        }
    }

    func value(_ name: String) -> String? { fields[name] }
}
