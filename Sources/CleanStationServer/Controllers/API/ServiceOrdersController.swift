import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// Service parts (domain.md): the service department requests parts by id
/// and quantity and sees only its own requests; procurement approves (all,
/// or part of the quantities: `ServiceApproval`), rejects with a reason, or
/// fulfils.
enum ServiceOrdersController {
    static let processors = ServiceApproval.processors

    static func create(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        let catalog = request.application.catalogStore.snapshot.catalog
        let (items, note) = try request.readBody { json, reader -> ([JSONValue], String)? in
            guard let object = reader.object(json, at: .root, allowedKeys: ["items", "note"]) else { return nil }
            let note = reader.optionalString(object, "note") ?? ""
            if note.count > OrderRequest.maximumNotes { reader.fail(.root.key("note"), "must have at most 2000 characters") }
            guard let value = reader.member(object, "items"), let elements = reader.array(value, at: .root.key("items")) else { return nil }
            if !(1...100).contains(elements.count) { reader.fail(.root.key("items"), "a request has 1 to 100 items") }
            var seen: Set<String> = []
            let items = elements.enumerated().compactMap { index, element -> JSONValue? in
                let path = JSONPath.root.key("items").index(index)
                guard let item = reader.object(element, at: path, allowedKeys: ["id", "quantity"]) else { return nil }
                let id = reader.requiredString(item, "id")
                let quantity = reader.member(item, "quantity").flatMap { reader.integer($0, at: path.key("quantity")) }
                if let quantity, !(1...1_000).contains(quantity) { reader.fail(path.key("quantity"), "must be from 1 to 1000") }
                guard let id else { return nil }
                if !catalog.contains(id) { reader.fail(path.key("id"), "\(JSONSerializer.quoted(id)) is not in the catalogue") }
                if !seen.insert(id).inserted { reader.fail(path.key("id"), "\(id) is listed twice") }
                return quantity.map { .object([JSONMember("id", .string(id)), JSONMember("quantity", .number(Double($0)))]) }
            }
            return (items, note)
        }
        let lines = items.compactMap { item in item["id"]?.string.map { ($0, Int(item["quantity"]?.number ?? 0)) } }
        let order = try await request.db.transaction { transaction in
            try await place(
                items: lines, note: note, by: principal.userID, actor: request.auditActor, on: transaction, mail: request.mailContext)
        }
        let response = try await view(order, catalog: catalog).encodeResponse(for: request)
        response.status = .created
        return response
    }

    /// A request for these parts (checked by the caller), recorded and audited on `database`: the caller's
    /// transaction, so that the service page empties the cart in the same one. Procurement and the
    /// coordinators are told, in the same transaction (issue 18: nobody was).
    static func place(
        items: [(id: String, quantity: Int)], note: String, by user: UUID, actor: AuditActor, on database: any Database,
        mail: MailContext?
    ) async throws -> ServiceOrder {
        let lines: JSONValue = .array(
            items.map { .object([JSONMember("id", .string($0.id)), JSONMember("quantity", .number(Double($0.quantity)))]) })
        let order = ServiceOrder()
        order.$requestedBy.id = user
        order.status = .pending
        order.items = JSONSerializer.string(lines)
        order.note = note
        try await order.create(on: database)
        try await AuditLog.append(
            AuditEvent(action: "CREATE", resourceType: "service_order", resourceID: order.id?.uuidString.lowercased(), newValue: lines),
            actor: actor, on: database)
        let requester = try await User.find(user, on: database)?.fullName ?? "The service department"
        let parts = items.map(\.quantity).reduce(0, +)
        try await NotificationsController.notify(
            ServiceApproval.overseers.subtracting([.admin]),
            title:
                "Service request from \(requester): \(parts) part\(parts == 1 ? "" : "s") of \(items.count) kind\(items.count == 1 ? "" : "s")",
            orderID: nil, except: user, on: database, mail: mail)
        return order
    }

    /// A service department's request for parts, and what became of it.
    struct ServiceOrderView: APIResponse {
        var id: String
        var status: ServiceOrder.Status
        var requestedBy: String
        var items: [Item]
        var note: String
        var reason: String?
        var createdAt: String?

        struct Item: Encodable, Sendable {
            var id: String
            /// As asked for.
            var quantity: Int
            /// As approved: at most `quantity`; null until the request is approved.
            var approved: Int?
            /// The catalogue's name of the part, if the catalogue still has it.
            var name: String?
        }

        static let example = ServiceOrderView(
            id: "6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2f1e", status: .approved, requestedBy: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b",
            items: [Item(id: "T2-DRAIN-KIT", quantity: 2, approved: 1, name: "Drain kit")], note: "For the Toronto service van",
            reason: "Approved for the van", createdAt: "2026-12-06T09:30:00.000Z")
    }

    static func list(_ request: Request) async throws -> APIList<ServiceOrderView> {
        let principal = try request.principal()
        var query = ServiceOrder.query(on: request.db).sort(\.$createdAt, .descending).sort(\.$id)
        if !ServiceApproval.overseers.contains(principal.role) { query = query.filter(\.$requestedBy.$id == principal.userID) }
        if let status = request.query[String.self, at: "status"] {
            guard let value = ServiceOrder.Status(rawValue: status) else {
                throw APIError.validation([FieldError(field: "status", message: "is not a service order status")])
            }
            query = query.filter(\.$status == value)
        }
        let catalog = request.application.catalogStore.snapshot.catalog
        return APIList(try await query.limit(200).all().map { try view($0, catalog: catalog) })
    }

    /// `{reason?, items?}`, or no body: why a request is approved, rejected (a reason is required) or fulfilled;
    /// an approval may give the quantity approved of some lines (`[{id, quantity}]`), the others in full.
    struct Decision: APIInput {
        typealias Checked = Decision
        var reason: String?
        var items: [ServiceApproval.Line] = []

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> Decision? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["reason", "items"]) else { return nil }
            let reason = reader.optionalString(object, "reason")
            let elements = reader.member(object, "items", required: false).flatMap { reader.array($0, at: .root.key("items")) } ?? []
            let items = elements.enumerated().compactMap { index, element -> ServiceApproval.Line? in
                let path = JSONPath.root.key("items").index(index)
                guard let item = reader.object(element, at: path, allowedKeys: ["id", "quantity"]) else { return nil }
                let id = reader.requiredString(item, "id")
                let quantity = reader.member(item, "quantity").flatMap { reader.integer($0, at: path.key("quantity")) }
                guard let id, let quantity else { return nil }
                return ServiceApproval.Line(id: id, quantity: quantity)
            }
            return Decision(reason: reason, items: items)
        }
    }

    /// What a processor decides, by the path's word.
    enum Verdict: String {
        case approve, reject, fulfil

        var status: ServiceOrder.Status {
            switch self {
            case .approve: .approved
            case .reject: .rejected
            case .fulfil: .fulfilled
            }
        }

        var from: Set<ServiceOrder.Status> { self == .fulfil ? [.pending, .approved] : [.pending] }
    }

    private static func decision(_ request: Request) throws -> Decision {
        (request.body.data?.readableBytes ?? 0) > 0 ? try request.input(Decision.self) : Decision()
    }

    static func approve(_ request: Request) async throws -> ServiceOrderView {
        try await decide(request, .approve, try decision(request))
    }

    static func reject(_ request: Request) async throws -> ServiceOrderView {
        try await decide(request, .reject, try decision(request))
    }

    static func fulfil(_ request: Request) async throws -> ServiceOrderView {
        try await decide(request, .fulfil, try decision(request))
    }

    /// A conditional update from the allowed statuses: a request is decided once.
    static func decide(_ request: Request, _ verdict: Verdict, _ input: Decision) async throws -> ServiceOrderView {
        let (status, allowed) = (verdict.status, verdict.from)
        let principal = try request.principal()
        let id = try request.uuidParameter("serviceOrderID", "The service order")
        let reason = input.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if status == .rejected, reason?.isEmpty ?? true {
            throw APIError.validation([FieldError(field: "reason", message: "a rejection needs a reason")])
        }
        if verdict != .approve, !input.items.isEmpty {
            throw APIError.validation([FieldError(field: "items", message: "only an approval gives quantities")])
        }
        let now = Date()
        try await request.db.transaction { transaction in
            guard let order = try await ServiceOrder.find(id, on: transaction) else { throw APIError.notFound("The service order") }
            var lines = try requested(order)
            if verdict == .approve {
                switch ServiceApproval.approve(requested: lines.map(\.line), approved: input.items) {
                case .success(let approved): lines = zip(lines, approved).map { ($0.0.line, $0.1.quantity) }
                case .failure(let errors): throw APIError.validation(errors)
                }
            }
            let sql = transaction as! any SQLDatabase
            // One conditional update. An approval also writes what it approved of each line, beside what was asked;
            // no other decision writes the lines, so that a fulfil racing an approval cannot put back the lines it read.
            var update = sql.update(ServiceOrder.schema).set("status", to: status.rawValue).set("decided_by", to: principal.userID)
                .set("decided_at", to: now).set("reason", to: reason)
            if verdict == .approve { update = update.set("items", to: JSONSerializer.string(itemsJSON(lines))) }
            let changed = try await update.where("id", .equal, id).where("status", .in, allowed.map(\.rawValue)).returning("id").all()
            guard !changed.isEmpty else {
                throw APIError(
                    .conflict, "INVALID_TRANSITION", "A \(order.status.rawValue) service order cannot become \(status.rawValue).")
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "service_order", resourceID: id.uuidString.lowercased(),
                    oldValue: .object([JSONMember("status", .string(order.status.rawValue))]),
                    newValue: .object(
                        [JSONMember("status", .string(status.rawValue)), JSONMember("reason", reason.map { .string($0) } ?? .null)]
                            + (verdict == .approve ? [JSONMember("items", itemsJSON(lines))] : []))),
                actor: request.auditActor, on: transaction, now: now)
            // The one who asked hears what became of it, in the same transaction.
            if let requester = try await User.find(order.$requestedBy.id, on: transaction), requester.isActive {
                try await NotificationsController.notify(
                    [requester], title: "Your service request: " + outcome(verdict, lines: lines, reason: reason), orderID: nil,
                    on: transaction, now: now, mail: request.mailContext)
            }
        }
        guard let order = try await ServiceOrder.find(id, on: request.db) else { throw APIError.notFound("The service order") }
        return try view(order, catalog: request.application.catalogStore.snapshot.catalog)
    }

    /// A decision in the requester's words: how much of it was approved, or why it was not.
    static func outcome(_ verdict: Verdict, lines: [(line: ServiceApproval.Line, approved: Int?)], reason: String?) -> String {
        switch verdict {
        case .approve:
            let (asked, approved) = lines.reduce((0, 0)) { ($0.0 + $1.line.quantity, $0.1 + ($1.approved ?? $1.line.quantity)) }
            return approved == asked ? "approved" : "\(approved) of \(asked) parts approved"
        case .reject: return "rejected (\(reason ?? ""))"
        case .fulfil: return "fulfilled"
        }
    }

    /// The request's lines as asked for, with what was approved of each, if it was.
    static func requested(_ order: ServiceOrder) throws -> [(line: ServiceApproval.Line, approved: Int?)] {
        try JSONParser.parse(order.items).array.map { item in
            (
                ServiceApproval.Line(id: item["id"]?.string ?? "", quantity: Int(item["quantity"]?.number ?? 0)),
                item["approved"]?.number.map { Int($0) }
            )
        }
    }

    /// The stored form of the lines: `[{"id", "quantity", "approved"?}]`.
    static func itemsJSON(_ lines: [(line: ServiceApproval.Line, approved: Int?)]) -> JSONValue {
        .array(
            lines.map { line in
                .object(
                    [JSONMember("id", .string(line.line.id)), JSONMember("quantity", .number(Double(line.line.quantity)))]
                        + (line.approved.map { [JSONMember("approved", .number(Double($0)))] } ?? []))
            })
    }

    static func view(_ order: ServiceOrder, catalog: Catalog) throws -> ServiceOrderView {
        let items = try requested(order).map { line in
            ServiceOrderView.Item(
                id: line.line.id, quantity: line.line.quantity, approved: line.approved, name: catalog.name(of: line.line.id))
        }
        return ServiceOrderView(
            id: try order.requireID().uuidString.lowercased(), status: order.status,
            requestedBy: order.$requestedBy.id.uuidString.lowercased(),
            items: items, note: order.note, reason: order.reason, createdAt: order.createdAt.map(AuditLog.timestamp))
    }
}
