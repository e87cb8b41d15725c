import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// The service department's parts catalogue and cart, and the requests;
/// procurement decides on them here too.
enum ServicePages {
    struct View: Encodable {
        struct Part: Encodable {
            var id: String
            var name: String
            var kind: String
            /// One quantity input, a list so that the field template draws it.
            var fields: [FormField]
        }

        struct Request: Encodable {
            var id: String
            var links: ServiceRequestLinks
            var status: String
            var tone: String
            var items: [String]
            var note: String
            var reason: String
            var at: String
            var canDecide: Bool
            var canFulfil: Bool
            /// The approval's quantity of each line, the quantity asked for to begin with.
            var lines: [ApprovalLine]
        }

        struct ApprovalLine: Encodable {
            var index: Int
            var id: String
            var label: String
            var quantity: Int
            var input: String
        }

        struct CartLine: Encodable {
            var id: String
            var name: String
            /// Its quantity input, a list so that the field template draws it.
            var fields: [FormField]
        }

        var q: String
        /// Browsing a category of assemblies (PRD §3.6) instead of, or with, a search.
        var category: String
        var categories: [Choice]
        var searched: Bool
        var searchError: String?
        var parts: [Part]
        var total: Int
        var canRequest: Bool
        var note: [FormField]
        var requests: [Request]
        var errors: [String]
        /// The parts picked so far, kept across searches and sign-ins until the request is sent.
        var cart: [CartLine]
    }

    static func show(_ request: Vapor.Request) async throws -> Response {
        try await render(request, errors: [:], values: [:])
    }

    static func render(
        _ request: Vapor.Request, errors: [String: String], values: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let role = try request.principal().role
        // A failed request comes back with the search it was made from (the form's `q`), so the results stay.
        let q = values["q"] ?? request.query[String.self, at: "q"] ?? ""
        let category = (values["category"] ?? request.query[String.self, at: "category"]).flatMap { $0.isEmpty ? nil : $0 }
        let catalog = request.application.catalogStore.snapshot.catalog
        var parts: [View.Part] = []
        var total = 0
        var searchError: String?
        if !q.isEmpty || category != nil {
            do {
                let found = try CatalogController.search(q, type: nil, category: category, in: catalog)
                total = found.total
                parts =
                    found.items.map { item in
                        let id = item.id
                        return View.Part(
                            id: id, name: item.name ?? "", kind: AuditWords.sentence(item.kind),
                            fields: [
                                FormField(
                                    "items.\(id)", "Quantity of \(id)", type: "number", value: values["items.\(id)"] ?? "", errors: errors,
                                    min: "0")
                            ])
                    }
            } catch let error as APIError {
                searchError = error.details.first?.message ?? error.message
            }
        }
        let processors = ServiceOrdersController.processors.contains(role)
        let requests = try await ServiceOrdersController.list(request).items.map { order in
            View.Request(
                id: order.id, links: ServiceRequestLinks(request: order.id), status: AuditWords.sentence(order.status.rawValue),
                tone: [.approved: "info", .fulfilled: "success", .rejected: "danger"][order.status] ?? "neutral",
                items: order.items.map { item in
                    let approved = item.approved.map { $0 == item.quantity ? "" : " (\($0) approved)" } ?? ""
                    return "\(item.quantity) × \(item.id) \(item.name ?? "")\(approved)"
                }, note: order.note, reason: order.reason ?? "",
                at: OrderRow.shortTime(order.createdAt), canDecide: processors && order.status == .pending,
                canFulfil: processors && (order.status == .pending || order.status == .approved),
                lines: order.items.enumerated().map { index, item in
                    View.ApprovalLine(
                        index: index, id: item.id, label: "Approve of \(item.id) \(item.name ?? "") (asked: \(item.quantity))",
                        quantity: item.quantity, input: "approve-\(order.id)-\(index)")
                })
        }
        let cart = try await ServiceCartLine.query(on: request.db).filter(\.$user.$id == request.principal().userID).sort(\.$itemID)
            .all().map { line in
                View.CartLine(
                    id: line.itemID, name: catalog.name(of: line.itemID) ?? "",
                    fields: [
                        FormField(
                            "cart.\(line.itemID)", "Quantity of \(line.itemID)", type: "number",
                            value: values["cart.\(line.itemID)"] ?? String(line.quantity), errors: errors, min: "0")
                    ])
            }
        let view = View(
            q: q, category: category ?? "",
            categories: [Choice(value: "", label: "Any category", selected: category == nil)]
                + catalog.categories.map { Choice(value: $0.code, label: $0.name, selected: $0.code == category) },
            searched: !q.isEmpty || category != nil, searchError: searchError, parts: parts, total: total,
            canRequest: role == .serviceDepartment || role == .admin,
            note: [FormField("note", "Note for procurement", type: "textarea", value: values["note"] ?? "", errors: errors)],
            requests: requests,
            errors: errors.filter { !$0.key.hasPrefix("items.") && !$0.key.hasPrefix("cart.") && $0.key != "note" }.map(\.value),
            cart: cart)
        let response = try await Chrome.render(
            request, "service", title: role == .serviceDepartment ? "Service parts" : "Service requests", view,
            section: SiteURL.service.path)
        response.status = status
        return response
    }

    /// Quantities typed against `prefix` + part id: each a whole number from 0 (none) to 1,000, of a part
    /// of the catalogue; the errors on their fields.
    static func quantities(
        _ fields: FormFields, prefix: String, catalog: Catalog
    ) -> (lines: [(id: String, quantity: Int)], errors: [String: String]) {
        var lines: [(id: String, quantity: Int)] = []
        var errors: [String: String] = [:]
        for pair in fields.pairs where pair.name.hasPrefix(prefix) {
            let id = String(pair.name.dropFirst(prefix.count))
            let text = pair.value.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let quantity = Int(text), (0...1_000).contains(quantity) else {
                errors[pair.name] = "must be a whole number from 0 to 1000"
                continue
            }
            guard catalog.contains(id) else {
                errors[pair.name] = "\(id) is not in the catalogue"
                continue
            }
            lines.append((id, quantity))
        }
        return (lines, errors)
    }

    /// The searched parts with a quantity go into the person's cart (a quantity replaces the one there);
    /// the search stays on the page.
    static func addToCart(_ request: Vapor.Request) async throws -> Response {
        let fields = FormFields(request)
        let (lines, errors) = quantities(fields, prefix: "items.", catalog: request.application.catalogStore.snapshot.catalog)
        let q = fields.value("q") ?? ""
        guard errors.isEmpty, lines.contains(where: { $0.quantity > 0 }) else {
            var values = Dictionary(fields.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            values["q"] = q
            values["category"] = fields.value("category") ?? ""
            let shown = errors.isEmpty ? ["items": "Enter a quantity for at least one part."] : errors
            return try await render(request, errors: shown, values: values, status: .unprocessableEntity)
        }
        struct TooMany: Error {}
        do {
            try await request.db.transaction { transaction in
                let user = try request.principal().userID
                // One add at a time per cart: two at once could each count under the limit and both be kept.
                try await User.lock(user, on: transaction)
                try await addToCart(lines.filter { $0.quantity > 0 }, of: user, on: transaction)
                // As many as one request takes: a fuller cart could never be sent.
                if try await ServiceCartLine.query(on: transaction).filter(\.$user.$id == user).count() > cartLimit { throw TooMany() }
            }
        } catch is TooMany {
            var values = Dictionary(fields.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            values["q"] = q
            values["category"] = fields.value("category") ?? ""
            return try await render(
                request, errors: ["items": "A cart holds at most \(cartLimit) parts: send or remove some first."], values: values,
                status: .unprocessableEntity)
        }
        let added = lines.filter { $0.quantity > 0 }.count
        return Flash.redirect(
            request, to: SiteURL.service.with(query: back(fields), fragment: "cart"), "\(added) part\(added == 1 ? "" : "s") in your cart.")
    }

    /// The cart's quantities as typed (0 removes a line), without sending.
    static func updateCart(_ request: Vapor.Request) async throws -> Response {
        let fields = FormFields(request)
        let (lines, errors) = quantities(fields, prefix: "cart.", catalog: request.application.catalogStore.snapshot.catalog)
        guard errors.isEmpty else { return try await renderCart(request, fields, errors: errors) }
        try await request.db.transaction { try await setQuantities(lines, of: try request.principal().userID, on: $0) }
        return Flash.redirect(request, to: SiteURL.service.with(query: back(fields), fragment: "cart"), "Cart saved.")
    }

    /// The cart, with its quantities as typed, becomes one request to procurement and is emptied, in one transaction.
    static func request(_ request: Vapor.Request) async throws -> Response {
        let fields = FormFields(request)
        let (lines, errors) = quantities(fields, prefix: "cart.", catalog: request.application.catalogStore.snapshot.catalog)
        let note = fields.text("note") ?? ""
        var problems = errors
        if note.count > OrderRequest.maximumNotes { problems["note"] = "must have at most 2000 characters" }
        guard problems.isEmpty else { return try await renderCart(request, fields, errors: problems) }
        let user = try request.principal().userID
        struct NothingToSend: Error {}
        do {
            try await request.db.transaction { transaction in
                // The quantities typed change only the lines still in the cart, and the cart is emptied by the same
                // statement that reads it: of a request sent twice at once, the second finds nothing and sends nothing.
                try await setQuantities(lines, of: user, on: transaction)
                let sql = transaction as! any SQLDatabase
                let cart = try await sql.delete(from: ServiceCartLine.schema).where("user_id", .equal, user)
                    .returning("item_id", "quantity").all()
                    .map { (try $0.decode(column: "item_id", as: String.self), try $0.decode(column: "quantity", as: Int.self)) }
                    .sorted { $0.0 < $1.0 }
                guard (1...cartLimit).contains(cart.count) else { throw NothingToSend() }
                _ = try await ServiceOrdersController.place(
                    items: cart, note: note, by: user, actor: request.auditActor, on: transaction, mail: request.mailContext)
            }
        } catch is NothingToSend {
            return try await renderCart(
                request, fields, errors: ["cart": "A request has 1 to \(cartLimit) parts: add parts to your cart first."])
        }
        return Flash.redirect(request, to: SiteURL.service.path, "Request sent to procurement.")
    }

    private static func renderCart(_ request: Vapor.Request, _ fields: FormFields, errors: [String: String]) async throws -> Response {
        var values = Dictionary(fields.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        values["q"] = fields.value("q") ?? ""
        values["category"] = fields.value("category") ?? ""
        return try await render(request, errors: errors, values: values, status: .unprocessableEntity)
    }

    /// The search a form was posted from, as the query of the page to come back to.
    private static func back(_ fields: FormFields) -> String {
        var components = URLComponents()
        components.queryItems = ["q", "category"].compactMap { name in
            fields.value(name).flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) }
        }
        return components.percentEncodedQuery ?? ""
    }

    /// The most parts one request (and so one cart) holds.
    static let cartLimit = 100

    /// The quantities typed in the cart, on the lines still in it: 0 removes a line, and a line already sent (from
    /// another tab, or a request sent at the same moment) is not put back.
    static func setQuantities(_ lines: [(id: String, quantity: Int)], of user: UUID, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for line in lines {
            if line.quantity == 0 {
                try await sql.delete(from: ServiceCartLine.schema).where("user_id", .equal, user).where("item_id", .equal, line.id).run()
            } else {
                try await sql.update(ServiceCartLine.schema).set("quantity", to: line.quantity).where("user_id", .equal, user)
                    .where("item_id", .equal, line.id).run()
            }
        }
    }

    /// Parts picked from a search: each line's quantity replaces the cart's (one row per part, whatever arrives at once).
    static func addToCart(_ lines: [(id: String, quantity: Int)], of user: UUID, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for line in lines {
            try await sql.insert(into: ServiceCartLine.schema)
                .columns("id", "user_id", "item_id", "quantity", "updated_at")
                .values(SQLBind(UUID()), SQLBind(user), SQLBind(line.id), SQLBind(line.quantity), SQLBind(Date()))
                .onConflict(with: ["user_id", "item_id"]) { $0.set(excludedValueOf: "quantity").set(excludedValueOf: "updated_at") }
                .run()
        }
    }

    static func decide(_ request: Vapor.Request) async throws -> Response {
        guard let verdict = request.parameters.get("decision").flatMap(ServiceOrdersController.Verdict.init) else {
            throw APIError.notFound("The action")
        }
        let fields = FormFields(request)
        // An approval's quantities, line by line as the form lists them, each error at its line.
        var problems: [FieldError] = []
        let items = (0..<100).prefix { fields.value("items[\($0)].id") != nil }.compactMap { index -> ServiceApproval.Line? in
            guard let id = fields.value("items[\(index)].id") else { return nil }
            guard let quantity = fields.text("items[\(index)].quantity").flatMap({ Int($0) }) else {
                problems.append(FieldError(field: "items[\(index)].quantity", message: "enter a whole number: 0 approves none of \(id)"))
                return ServiceApproval.Line(id: id, quantity: 0)
            }
            return ServiceApproval.Line(id: id, quantity: quantity)
        }
        let input = ServiceOrdersController.Decision(
            reason: verdict == .reject ? fields.text("reason") ?? "" : nil, items: verdict == .approve ? items : [])
        let done: [ServiceOrdersController.Verdict: String] = [
            .approve: "Request approved.", .reject: "Request rejected.", .fulfil: "Request fulfilled.",
        ]
        return try await Flash.perform(request, then: SiteURL.service.path, done[verdict] ?? "Done.") {
            if verdict == .approve, !problems.isEmpty { throw APIError.validation(problems) }
            _ = try await ServiceOrdersController.decide(request, verdict, input)
        }
    }
}
