import CleanStationCore
import CleanStationExports
import Fluent
import SQLKit
import Vapor

/// Orders, their builds and BOMs, and the lifecycle (api.md, domain.md).
enum OrdersController {
    // MARK: Create and edit

    static func create(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        let order = try read(OrderRequest.read(try request.jsonBody(), today: OrderRequest.today()))
        let id = try await create(
            order, by: principal.userID, actor: request.auditActor, generator: request.application.bomGenerator, on: request.db,
            mail: request.mailContext)
        request.application.metrics.ordersCreated.increment()
        let response = try await detail(of: id, request: request).encodeResponse(for: request)
        response.status = .created
        return response
    }

    /// Stores a validated order with its builds and BOMs, history and audit,
    /// in one transaction; 409 when a unique number is taken.
    static func create(
        _ order: OrderRequest, by userID: UUID, actor: AuditActor, generator: BOMGenerator, on database: any Database, now: Date = Date(),
        mail: MailContext? = nil, purchaseOrder: OrderDraft.StoredFile? = nil
    ) async throws -> UUID {
        let model = Order()
        model.poNumber = order.poNumber
        model.customerName = order.customerName
        model.projectName = order.projectName
        model.salesPerson = order.salesPerson
        model.wantDate = order.wantDate
        model.language = order.language
        model.notes = order.notes
        model.sinkFamily = order.sinkFamily
        model.status = .orderCreated
        index(model, buildNumbers: order.builds.map(\.buildNumber))
        model.$createdBy.id = userID
        do {
            try await database.transaction { transaction in
                try await model.create(on: transaction)
                let orderID = try model.requireID()
                try await createBuilds(order.builds, language: order.language, orderID: orderID, generator: generator, on: transaction)
                try await OrderHistoryEntry(orderID: orderID, at: now, userID: userID, from: nil, to: .orderCreated, note: "")
                    .create(on: transaction)
                if let purchaseOrder {
                    let document = Document(orderID: orderID, kind: .po, file: purchaseOrder, uploadedBy: userID)
                    try await document.create(on: transaction)
                    try await AuditLog.append(
                        AuditEvent(
                            action: "CREATE", resourceType: "document", resourceID: document.id?.uuidString.lowercased(),
                            newValue: try DocumentsController.view(document).json),
                        actor: actor, on: transaction, now: now)
                }
                try await NotificationsController.notify(
                    NotificationsController.nextActors(after: .orderCreated), title: "\(model.poNumber): BOMs to review", orderID: orderID,
                    on: transaction, now: now, mail: mail)
                try await AuditLog.append(
                    AuditEvent(
                        action: "CREATE", resourceType: "order", resourceID: orderID.uuidString.lowercased(),
                        newValue: summary(model, builds: order.builds)),
                    actor: actor, on: transaction, now: now)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw try await conflict(poNumber: order.poNumber, buildNumbers: order.builds.map(\.buildNumber), excluding: nil, on: database)
        }
        return try model.requireID()
    }

    static func update(_ request: Request) async throws -> OrderDetail {
        let id = try request.uuidParameter("orderID", "The order")
        return try await update(request, id: id, try read(OrderUpdate.read(try request.jsonBody(), today: OrderRequest.today())))
    }

    /// A domain reader's answer, or a 422 naming every field it found wrong.
    static func read<Value>(_ result: Result<Value, ValidationError>) throws -> Value {
        switch result {
        case .success(let value): return value
        case .failure(let failure): throw APIError.validation(failure)
        }
    }

    /// The order's changes, read by Core's `OrderUpdate` (from the API's body or the wizard's form).
    static func update(_ request: Request, id: UUID, _ changes: OrderUpdate) async throws -> OrderDetail {
        let generator = request.application.bomGenerator
        do {
            try await request.db.transaction { transaction in
                try await lock(id, on: transaction)
                guard let order = try await Order.query(on: transaction).filter(\.$id == id).with(\.$builds).first() else {
                    throw APIError.notFound("The order")
                }
                // The header follows the order (before it ships); the rest, only while every build is ORDER_CREATED.
                let action: OrderPolicy.Action = changes.headerOnly ? .editHeader : .editOrder
                let status = changes.headerOnly ? order.status : Lifecycle.furthest(of: order.builds.map(\.status))
                if let refusal = OrderPolicy.refusal(action, role: try request.principal().role, facts: .init(status: status)) {
                    throw APIError(refusal)
                }
                let before = summary(order, builds: try order.builds.sorted { $0.position < $1.position }.map(configuration))
                if let value = changes.poNumber { order.poNumber = value }
                if let value = changes.customerName { order.customerName = value }
                if let value = changes.projectName { order.projectName = value }
                if let value = changes.salesPerson { order.salesPerson = value }
                if let value = changes.wantDate { order.wantDate = value }
                if let value = changes.language { order.language = value }
                if let value = changes.notes { order.notes = value }
                // Encrypted at rest (security.md): the audit trail's before and after hold it sealed too. Sealed anew only
                // when it changed (each seal differs), so that saving the notes does not log the contact as changed.
                if let value = changes.customerContact, value != (try contact(order, cipher: request.application.fieldCipher)) {
                    order.customerContact = try value.map { try request.application.fieldCipher.seal(Array($0.utf8)) }
                }
                var builds = try order.builds.sorted { $0.position < $1.position }.map(configuration)
                if let replacement = changes.builds { builds = replacement }
                if changes.builds != nil || changes.language != nil {
                    try await Build.query(on: transaction).filter(\.$order.$id == id).delete()
                    try await createBuilds(builds, language: order.language, orderID: id, generator: generator, on: transaction)
                }
                index(order, buildNumbers: builds.map(\.buildNumber))
                try await order.update(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "UPDATE", resourceType: "order", resourceID: id.uuidString.lowercased(), oldValue: before,
                        newValue: summary(order, builds: builds)),
                    actor: request.auditActor, on: transaction)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw try await conflict(
                poNumber: changes.poNumber, buildNumbers: changes.builds?.map(\.buildNumber) ?? [], excluding: id, on: request.db)
        }
        return try await detail(of: id, request: request)
    }

    private static func createBuilds(
        _ builds: [SinkConfiguration], language: Language, orderID: UUID, generator: BOMGenerator, on database: any Database
    ) async throws {
        for (position, configuration) in builds.enumerated() {
            let build = Build()
            build.$order.id = orderID
            build.position = position
            build.buildNumber = configuration.buildNumber
            build.status = .orderCreated
            build.configuration = JSONSerializer.string(configuration.jsonValue)
            build.bom = JSONSerializer.string(generator.bom(for: configuration, language: language).jsonValue)
            try await build.create(on: database)
            try await BuildPart.index(build, on: database)
        }
    }

    private static func configuration(_ build: Build) throws -> SinkConfiguration {
        try SinkConfiguration.read(Data(build.configuration.utf8)).get()
    }

    /// Which unique value was taken, found after the constraint refused the write.
    private static func conflict(
        poNumber: String?, buildNumbers: [String], excluding: UUID?, on database: any Database
    ) async throws -> APIError {
        if let poNumber, let other = try await Order.query(on: database).filter(\.$poNumber == poNumber).first(), other.id != excluding {
            return .conflict("The PO number \(poNumber) is already used by another order.")
        }
        let taken = try await Build.query(on: database).filter(\.$buildNumber ~~ buildNumbers).all()
            .filter { $0.$order.id != excluding }.map(\.buildNumber).sorted()
        if !taken.isEmpty { return .conflict("Build number(s) \(taken.joined(separator: ", ")) are already used by another order.") }
        return .conflict("The order conflicts with another one written at the same time; try again.")
    }

    /// What the list reads and searches without touching the builds: the
    /// search text and the build numbers in order (build numbers hold no comma).
    static func index(_ order: Order, buildNumbers: [String]) {
        order.searchText =
            ([order.poNumber, order.customerName, order.projectName ?? ""] + buildNumbers).joined(separator: "\n").lowercased()
        order.buildNumbers = buildNumbers.joined(separator: ",")
    }

    static func summary(_ order: Order, builds: [SinkConfiguration]) -> JSONValue {
        .object([
            JSONMember("poNumber", .string(order.poNumber)), JSONMember("customerName", .string(order.customerName)),
            JSONMember("projectName", order.projectName.map { .string($0) } ?? .null),
            JSONMember("salesPerson", .string(order.salesPerson)),
            JSONMember("wantDate", .string(order.wantDate)), JSONMember("language", .string(order.language.rawValue)),
            JSONMember("notes", .string(order.notes)),
            JSONMember("customerContact", order.customerContact.map { .string($0) } ?? .null),
            JSONMember("builds", .array(builds.map(\.jsonValue))),
        ])
    }

    // MARK: Read

    static func show(_ request: Request) async throws -> OrderDetail {
        try await detail(of: try request.uuidParameter("orderID", "The order"), request: request)
    }

    static func detail(of id: UUID, request: Request) async throws -> OrderDetail {
        let database = request.db
        async let historyRead = OrderHistoryEntry.of(order: id, on: database)
        guard let order = try await Order.read(id, bom: false, on: database) else { throw APIError.notFound("The order") }
        order.$history.value = try await historyRead
        let builds = try order.builds.sorted { $0.position < $1.position }.map { build in
            OrderDetail.BuildView(
                buildNumber: build.buildNumber, configuration: try JSONParser.parse(build.configuration),
                bomApproval: OrderDetail.BOMApproval(
                    approved: build.bomApprovedAt != nil && build.$bomApprovedBy.id != nil,
                    approvedBy: build.bomApprovedAt.flatMap { _ in build.$bomApprovedBy.id?.uuidString.lowercased() },
                    approvedAt: build.$bomApprovedBy.id.flatMap { _ in build.bomApprovedAt.map(timestamp) }),
                bomRejection: build.bomRejection, status: build.status, heldBy: build.$claimedBy.id?.uuidString.lowercased())
        }
        let history = order.history.sorted { ($0.at, $0.toStatus.rawValue) < ($1.at, $1.toStatus.rawValue) }.map { entry in
            OrderDetail.HistoryEntry(
                at: timestamp(entry.at), userId: entry.$user.id.uuidString.lowercased(), from: entry.fromStatus, to: entry.toStatus,
                buildNumber: entry.buildNumber, override: entry.override, note: entry.note)
        }
        return OrderDetail(
            summary: OrderSummary(order), customerContact: try contact(order, cipher: request.application.fieldCipher), builds: builds,
            history: history, documents: try await DocumentsController.documents(of: id, on: database),
            // Only an order with a shipped build has shipments: the others are not asked for them (one query less per order).
            shipments: order.builds.contains { $0.status == .shipped } ? try await ShipmentsController.list(of: id, on: database) : [],
            nonconformances: try await NonconformancesController.list(state: nil, orderID: id, page: 1, on: database))
    }

    /// An order's header: what the list shows of it, and what its detail starts with.
    struct OrderSummary: Encodable, Sendable {
        var id: String
        var poNumber: String
        var customerName: String
        var projectName: String?
        var salesPerson: String
        var wantDate: String
        var language: Language
        var notes: String
        var sinkFamily: SinkFamily
        /// The least advanced build's status that is not cancelled.
        var status: OrderStatus
        /// How many builds stand at each status.
        var statusBreakdown: [Part]
        var createdAt: String?
        var updatedAt: String?

        struct Part: Encodable, Sendable {
            var status: OrderStatus
            var builds: Int
        }

        init(_ order: some OrderHeader) {
            id = order.id!.uuidString.lowercased()
            poNumber = order.poNumber
            customerName = order.customerName
            projectName = order.projectName
            salesPerson = order.salesPerson
            wantDate = order.wantDate
            language = order.language
            notes = order.notes
            sinkFamily = order.sinkFamily
            status = order.status
            statusBreakdown = Lifecycle.breakdown(
                text: order.statusBreakdown, status: order.status, builds: order.buildNumbers.split(separator: ",").count
            ).map { Part(status: $0.status, builds: $0.count) }
            createdAt = order.createdAt.map(timestamp)
            updatedAt = order.updatedAt.map(timestamp)
        }
    }

    /// A page of orders, and how many match.
    struct OrderList: APIResponse {
        var items: [Item]
        /// Exact, or the count `listCountAhead` past the page's start (`totalExact` false).
        var total: Int
        var totalExact: Bool
        var page: Int
        var limit: Int

        /// The header and the build numbers.
        struct Item: Encodable, Sendable {
            var summary: OrderSummary
            var buildNumbers: [String]

            enum CodingKeys: String, CodingKey { case buildNumbers }

            func encode(to encoder: any Encoder) throws {
                try summary.encode(to: encoder)
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(buildNumbers, forKey: .buildNumbers)
            }
        }

        static var example: OrderList {
            let order = Order()
            order.id = UUID(uuidString: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b")
            order.poNumber = "PO-2026-0042"
            order.customerName = "St. Michael's Hospital"
            order.projectName = "Sterile processing, level 2"
            order.salesPerson = "Dana Reyes"
            order.wantDate = "2027-01-15"
            order.language = .en
            order.notes = ""
            order.sinkFamily = .mdrd
            order.status = .partsSent
            order.statusBreakdown = nil
            order.buildNumbers = "B1001,B1002"
            order.createdAt = Date(timeIntervalSince1970: 1_790_000_000)
            order.updatedAt = Date(timeIntervalSince1970: 1_790_000_000)
            return OrderList(
                items: [Item(summary: OrderSummary(order), buildNumbers: ["B1001", "B1002"])], total: 1, totalExact: true, page: 1,
                limit: 25)
        }
    }

    static let sortColumns: [String: String] = [
        "createdAt": "created_at", "poNumber": "po_number", "customerName": "customer_name", "wantDate": "want_date", "status": "status",
    ]

    static func list(_ request: Request) async throws -> OrderList {
        var errors: [FieldError] = []
        let status = request.query[String.self, at: "status"].flatMap { text -> OrderStatus? in
            guard let status = OrderStatus(rawValue: text) else {
                errors.append(FieldError(field: "status", message: "\(JSONSerializer.quoted(text)) is not an order status"))
                return nil
            }
            return status
        }
        let sort = request.query[String.self, at: "sort"] ?? "createdAt"
        if sortColumns[sort] == nil {
            errors.append(FieldError(field: "sort", message: "must be one of \(sortColumns.keys.sorted().joined(separator: ", "))"))
        }
        let direction = request.query[String.self, at: "order"] ?? "desc"
        if direction != "asc" && direction != "desc" { errors.append(FieldError(field: "order", message: "must be asc or desc")) }
        let page = request.boundedQuery("page", default: 1, range: 1...1_000_000, &errors)
        let limit = request.boundedQuery("limit", default: 25, range: 1...100, &errors)
        // The filters, as SQL conditions shared by the page and its count.
        var conditions: [any SQLExpression] = []
        func condition(_ column: String, _ op: SQLBinaryOperator, _ value: String) {
            conditions.append(SQLBinaryExpression(left: SQLColumn(column, table: Order.schema), op: op, right: SQLBind(value)))
        }
        if let status { condition("status", .equal, status.rawValue) }
        for (name, op) in [("wantFrom", SQLBinaryOperator.greaterThanOrEqual), ("wantTo", .lessThanOrEqual)] {
            guard let text = request.query[String.self, at: name], !text.isEmpty else { continue }
            if OrderRequest.isCalendarDate(text) {
                condition("want_date", op, text)
            } else {
                errors.append(FieldError(field: name, message: "must be a date as YYYY-MM-DD"))
            }
        }
        let query = request.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces).lowercased()
        if let query, query.count > 100 { errors.append(FieldError(field: "q", message: "must have at most 100 characters")) }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        if let query, !query.isEmpty { condition("search_text", .like, "%\(escapeLike(query))%") }

        // SQLKit rather than Fluent: Fluent reflects over every model it
        // decodes (Mirror), 6 % of the instance's CPU under `mixed` for this list.
        let sql = request.readDB as! any SQLDatabase
        let offset = (page - 1) * limit
        let orders = try await conditions.reduce(sql.select().columns(OrderListRow.columns).from(Order.schema)) { $0.where($1) }
            .orderBy(SQLColumn(sortColumns[sort]!, table: Order.schema), direction == "asc" ? SQLDirection.ascending : .descending)
            .orderBy(SQLColumn("id", table: Order.schema))
            .limit(limit).offset(offset).all().map(OrderListRow.init(row:))
        // A first page that is not full holds every match: no count is needed.
        // Otherwise the count goes at most `listCountAhead` past this page's start.
        let (total, exact) =
            page == 1 && orders.count < limit
            ? (orders.count, true)
            : try await sql.cappedCount(of: Order.schema, where: conditions, from: offset)
        let items = orders.map { order in
            OrderList.Item(summary: OrderSummary(order), buildNumbers: order.buildNumbers.split(separator: ",").map(String.init))
        }
        return OrderList(items: items, total: total, totalExact: exact, page: page, limit: limit)
    }

    private static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }
}
