import CleanStationCore
import Fluent
import Vapor

/// Procurement: outsourced BOM lines tracked PENDING → SENT → RECEIVED, and
/// the parts still needed by orders not yet in production.
enum ProcurementController {
    /// `{lineId, supplier, expectedDate?, note?}`: a BOM line sent out to a supplier.
    struct Outsource: APIInput {
        typealias Checked = Outsource
        var lineId: String
        var supplier: String
        var expectedDate: String?
        var note: String?

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> Outsource? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["lineId", "supplier", "expectedDate", "note"]) else {
                return nil
            }
            let lineID = reader.requiredString(object, "lineId")
            let supplier = reader.requiredString(object, "supplier")
            let expected = reader.optionalString(object, "expectedDate")
            let note = reader.optionalString(object, "note")
            guard let lineID, let supplier else { return nil }
            return Outsource(lineId: lineID, supplier: supplier, expectedDate: expected, note: note)
        }

        func check(_ reader: inout JSONFieldReader) -> Outsource? {
            var checked = self
            checked.supplier = supplier.trimmingCharacters(in: .whitespaces)
            if !(2...200).contains(checked.supplier.count) { reader.fail(.root.key("supplier"), "must have 2 to 200 characters") }
            if let expectedDate, !OrderRequest.isCalendarDate(expectedDate) {
                reader.fail(.root.key("expectedDate"), "must be a date as YYYY-MM-DD")
            }
            checked.note = note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if let problem = Outsourcing.problem(note: checked.note ?? "") { reader.fail(.root.key("note"), problem) }
            return checked
        }
    }

    static func mark(_ request: Request) async throws -> Response {
        try await mark(request, try request.input(Outsource.self))
    }

    static func mark(_ request: Request, _ input: Outsource) async throws -> Response {
        let checked = try input.checked()
        let build = try await OrdersController.build(request)
        let document = try JSONDecoder().decode(BOMDocument.self, from: Data(build.bom.utf8))
        func ids(_ items: [BOMItem]) -> [String] { items.flatMap { [$0.id] + ids($0.children) } }
        // Checked here: the lines are the build's BOM's.
        guard Set(ids(document.items)).contains(checked.lineId) else {
            throw APIError.validation([FieldError(field: "lineId", message: "\(checked.lineId) is not a line of this build's BOM")])
        }
        let (lineID, supplier, expected, note) = (checked.lineId, checked.supplier, checked.expectedDate, checked.note ?? "")
        let line = OutsourcedLine()
        line.$order.id = build.$order.id
        line.buildNumber = build.buildNumber
        line.lineID = lineID
        line.supplier = supplier
        line.expectedDate = expected
        line.note = note
        line.status = .pending
        do {
            try await request.db.transaction { transaction in
                // Under the order's lock: a move past PARTS_SENT is before or after this, never across it.
                try await OrdersController.lock(build.$order.id, on: transaction)
                try await Self.requireOpen(build.$order.id, role: try request.principal().role, on: transaction)
                try await line.create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "CREATE", resourceType: "outsourced_line", resourceID: line.id?.uuidString.lowercased(),
                        newValue: try view(line).json),
                    actor: request.auditActor, on: transaction)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("\(lineID) of \(build.buildNumber) is marked for outsourcing already.")
        }
        let response = try await view(line).encodeResponse(for: request)
        response.status = .created
        return response
    }

    /// `{status, expectedDate?, note?}`: an outsourced line moves on.
    struct Advance: APIInput {
        var status: JSONValue
        var expectedDate: String?
        var note: String?

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> Advance? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["status", "expectedDate", "note"]) else { return nil }
            let status = reader.member(object, "status")
            let expected = reader.optionalString(object, "expectedDate")
            let note = reader.optionalString(object, "note")
            return status.map { Advance(status: $0, expectedDate: expected, note: note) }
        }

        func check(_ reader: inout JSONFieldReader) -> (OutsourcedLine.Status, String?, String?)? {
            let target = reader.enumeration(OutsourcedLine.Status.self, status, at: .root.key("status"))
            if let expectedDate, !OrderRequest.isCalendarDate(expectedDate) {
                reader.fail(.root.key("expectedDate"), "must be a date as YYYY-MM-DD")
            }
            let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let note, let problem = Outsourcing.problem(note: note) { reader.fail(.root.key("note"), problem) }
            return target.map { ($0, expectedDate, note) }
        }
    }

    static func advance(_ request: Request) async throws -> LineView {
        try await advance(request, try request.input(Advance.self))
    }

    static func advance(_ request: Request, _ input: Advance) async throws -> LineView {
        let id = try request.uuidParameter("lineID", "The outsourced line")
        let (status, expected, note) = try input.checked()
        return try await request.db.transaction { transaction in
            guard let found = try await OutsourcedLine.find(id, on: transaction) else { throw APIError.notFound("The outsourced line") }
            try await OrdersController.lock(found.$order.id, on: transaction)
            try await Self.requireOpen(found.$order.id, role: try request.principal().role, on: transaction)
            guard let line = try await OutsourcedLine.find(id, on: transaction) else { throw APIError.notFound("The outsourced line") }
            guard status.rank > line.status.rank else {
                throw APIError(
                    .conflict, "INVALID_TRANSITION", "An outsourced line goes PENDING → SENT → RECEIVED; it is \(line.status.rawValue).")
            }
            let before = view(line)
            line.status = status
            if let expected { line.expectedDate = expected }
            if let note { line.note = note }
            try await line.update(on: transaction)
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "outsourced_line", resourceID: id.uuidString.lowercased(), oldValue: try before.json,
                    newValue: try view(line).json),
                actor: request.auditActor, on: transaction)
            return view(line)
        }
    }

    /// 409 unless the order is at a status where outsourcing is tracked (`OrderPolicy`).
    private static func requireOpen(_ orderID: UUID, role: Role, on database: any Database) async throws {
        guard let order = try await Order.find(orderID, on: database) else { throw APIError.notFound("The order") }
        if let refusal = OrderPolicy.refusal(.outsource, role: role, facts: .init(status: order.status)) { throw APIError(refusal) }
    }

    static func list(_ request: Request) async throws -> APIList<LineView> {
        let orderID = try request.uuidParameter("orderID", "The order")
        return APIList(
            try await OutsourcedLine.query(on: request.db).filter(\.$order.$id == orderID).sort(\.$buildNumber).sort(\.$lineID).all().map(
                view))
    }

    /// The parts still to send, by part, with totals: the builds whose parts have not gone out (`ORDER_CREATED`).
    /// Builds past it had theirs sent already, and counting them would have procurement order twice.
    struct Shortage: APIResponse {
        struct Part: Encodable, Sendable {
            var id: String
            var name: String?
            var quantity: Int
            var builds: Int
        }

        /// The orders counted are those wanted by this date (`wantBy`, 30 days from today unless asked).
        var wantBy: String
        var builds: Int
        /// More builds qualify than `buildLimit`: the totals cover the soonest wanted.
        var truncated: Bool
        var parts: [Part]

        static let example = Shortage(
            wantBy: "2027-01-05", builds: 12, truncated: false,
            parts: [Part(id: "T2-DL27-KIT", name: "Legs kit, 27 in", quantity: 12, builds: 12)])
    }

    static let shortageDays = 30
    static let buildLimit = 200

    static func shortage(_ request: Request) async throws -> Shortage {
        var wantBy = OrderRequest.today(Date().addingTimeInterval(Double(shortageDays) * 86_400))
        if let text = request.query[String.self, at: "wantBy"] {
            guard OrderRequest.isCalendarDate(text) else {
                throw APIError.validation([FieldError(field: "wantBy", message: "must be a date as YYYY-MM-DD")])
            }
            wantBy = text
        }
        return try await shortage(wantBy: wantBy, on: request.readDB)
    }

    /// Only the lines of each BOM are read; the soonest wanted `buildLimit` builds
    /// count, so that the answer stays quick however many orders wait.
    static func shortage(wantBy: String, on database: any Database) async throws -> Shortage {
        struct Lines: Decodable { var lines: [BOMLine] }
        let early: [OrderStatus] = [.orderCreated]
        let builds = try await Build.query(on: database).join(Order.self, on: \Build.$order.$id == \Order.$id)
            .filter(Order.self, \.$status ~~ early).filter(Order.self, \.$wantDate <= wantBy).filter(\.$status ~~ early)
            .sort(Order.self, \.$wantDate).sort(\.$buildNumber).limit(buildLimit + 1).all()
        var totals: [String: Shortage.Part] = [:]
        for build in builds.prefix(buildLimit) {
            for line in try JSONDecoder().decode(Lines.self, from: Data(build.bom.utf8)).lines {
                totals[line.id, default: Shortage.Part(id: line.id, name: line.name, quantity: 0, builds: 0)].quantity += line.quantity
                totals[line.id]?.builds += 1
            }
        }
        return Shortage(
            wantBy: wantBy, builds: min(builds.count, buildLimit), truncated: builds.count > buildLimit,
            parts: totals.keys.sorted().compactMap { totals[$0] })
    }

    /// A BOM line sent out to a supplier, and where it stands.
    struct LineView: APIResponse {
        var id: String
        var buildNumber: String
        var lineId: String
        var supplier: String
        var expectedDate: String?
        var note: String
        var status: OutsourcedLine.Status

        static let example = LineView(
            id: "8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f", buildNumber: "B1001", lineId: "T2-BSN-EDR-24X20", supplier: "Acme Welding",
            expectedDate: "2027-01-05", note: "Passivated after welding", status: .sent)
    }

    static func view(_ line: OutsourcedLine) -> LineView {
        LineView(
            id: line.id?.uuidString.lowercased() ?? "", buildNumber: line.buildNumber, lineId: line.lineID, supplier: line.supplier,
            expectedDate: line.expectedDate, note: line.note, status: line.status)
    }
}
