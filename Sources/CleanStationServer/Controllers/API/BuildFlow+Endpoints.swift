import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// The endpoints of one build: its status, an override, its configuration, its BOM sent back.
extension BuildFlow {
    // MARK: Endpoints

    /// Under the order's lock: the order and the build again, and `action` still allowed on it (`OrderPolicy`).
    static func locked(
        _ found: Build, _ action: OrderPolicy.Action, by principal: Principal, on transaction: any Database
    ) async throws -> (Order, Build) {
        try await OrdersController.lock(found.$order.id, on: transaction)
        guard let order = try await Order.find(found.$order.id, on: transaction),
            let build = try await Build.find(found.id, on: transaction)
        else { throw APIError.notFound("The build") }
        let facts = OrderPolicy.Facts(status: build.status, bomApproved: build.bomApprovedAt != nil)
        if let refusal = OrderPolicy.refusal(action, role: principal.role, facts: facts) {
            throw APIError(refusal, naming: build.buildNumber)
        }
        return (order, build)
    }

    /// `POST /api/v1/orders/{id}/builds/{build}/status`: one build moves on its own.
    static func changeStatus(_ request: Request) async throws -> OrdersController.OrderDetail {
        try await changeStatus(request, try request.input(OrdersController.StatusChange.self))
    }

    static func changeStatus(_ request: Request, _ input: OrdersController.StatusChange) async throws -> OrdersController.OrderDetail {
        let build = try await OrdersController.build(request)
        let (target, note) = try input.checked()
        let moved = try await move(
            orderID: build.$order.id, named: [build.buildNumber], to: target, note: note, by: try request.principal(),
            actor: request.auditActor, on: request.db, mail: request.mailContext)
        if target == .shipped { await DeviceHistory.fileAfterShipping(moved.builds, of: build.$order.id, request) }
        return try await OrdersController.detail(of: build.$order.id, request: request)
    }

    /// `POST /api/v1/orders/{id}/builds/{build}/override`: an administrator
    /// forces the build's status (or un-cancels it) with a written reason and
    /// the password; flagged in the history and the audit trail, nothing deleted.
    /// `{status, reason, password}`: an administrator's override.
    struct Override: APIInput {
        var status: JSONValue
        var reason: String
        var password: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> Override? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["status", "reason", "password"]) else { return nil }
            let status = reader.member(object, "status")
            let reason = reader.requiredString(object, "reason")
            let password = reader.requiredString(object, "password")
            guard let status, let reason, let password else { return nil }
            return Override(status: status, reason: reason, password: password)
        }

        func check(_ reader: inout JSONFieldReader) -> (OrderStatus, String, String)? {
            let target = reader.enumeration(OrderStatus.self, status, at: .root.key("status"))
            let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            if reason.isEmpty { reader.fail(.root.key("reason"), "an override needs a written reason") }
            if reason.count > OrderRequest.maximumNotes { reader.fail(.root.key("reason"), "must have at most 2000 characters") }
            return target.map { ($0, reason, password) }
        }
    }

    static func override(_ request: Request) async throws -> OrdersController.OrderDetail {
        try await override(request, try request.input(Override.self))
    }

    static func override(_ request: Request, _ input: Override) async throws -> OrdersController.OrderDetail {
        let principal = try request.principal()
        let found = try await OrdersController.build(request)
        let (target, reason, password) = try input.checked()
        if let refusal = OrderPolicy.refusal(.override(to: target), role: principal.role, facts: .init(status: found.status)) {
            throw APIError(refusal, naming: found.buildNumber)
        }
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        try await PasswordAttempts.reauthenticate(
            user, password: password, field: "password", action: "OVERRIDE_FAILED", resourceType: "build", resourceID: found.buildNumber,
            request: request)
        let now = Date()
        try await request.db.transaction { transaction in
            let (order, build) = try await locked(found, .override(to: target), by: principal, on: transaction)
            let records = try await BuildRecords.read(orderID: try order.requireID(), builds: [build], on: transaction)
            try await apply(
                build, of: order, to: target, note: "Override: \(reason)", by: principal.userID, actor: request.auditActor,
                records: records,
                override: true, on: transaction, now: now)
            try await refreshStatus(of: order, on: transaction, actor: request.auditActor, now: now)
        }
        return try await OrdersController.detail(of: found.$order.id, request: request)
    }

    /// `PUT /api/v1/orders/{id}/builds/{build}/configuration`: the build's
    /// new configuration, its BOM generated anew. After the parts were sent
    /// it is a change request: the approval is cleared and the build goes
    /// back to ORDER_CREATED for its BOM review (its Pre-QC restarts).
    /// Audited with the configuration before and after.
    static func changeConfiguration(_ request: Request) async throws -> OrdersController.OrderDetail {
        let principal = try request.principal()
        let found = try await OrdersController.build(request)
        let configuration = try request.readBody { json, reader -> SinkConfiguration? in
            guard let sink = SinkConfiguration.read(json, at: .root, reader: &reader) else { return nil }
            if sink.buildNumber != found.buildNumber {
                reader.fail(.root.key("buildNumber"), "must stay \(found.buildNumber): a build keeps its number")
            }
            return sink
        }
        let generator = request.application.bomGenerator
        let now = Date()
        try await request.db.transaction { transaction in
            let (order, build) = try await locked(found, .changeConfiguration, by: principal, on: transaction)
            let before = try JSONParser.parse(build.configuration)
            build.configuration = JSONSerializer.string(configuration.jsonValue)
            build.bom = JSONSerializer.string(generator.bom(for: configuration, language: order.language).jsonValue)
            build.bomApprovedAt = nil
            build.$bomApprovedBy.id = nil
            build.bomRejection = nil
            try await build.update(on: transaction)
            try await BuildPart.index(build, on: transaction)
            // Outsourced lines of parts the new BOM no longer has would hold the build at PARTS_SENT for ever.
            let kept = Set(try JSONDecoder().decode(BOMDocument.self, from: Data(build.bom.utf8)).lines.map(\.id))
            for line in try await OutsourcedLine.query(on: transaction).filter(\.$buildNumber == build.buildNumber).all()
            where !kept.contains(line.lineID) {
                try await line.delete(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "DELETE", resourceType: "outsourced_line", resourceID: try line.requireID().uuidString.lowercased(),
                        oldValue: try ProcurementController.view(line).json,
                        newValue: .object([JSONMember("reason", "not in the changed BOM")])),
                    actor: request.auditActor, on: transaction, now: now)
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "build", resourceID: build.buildNumber,
                    oldValue: .object([JSONMember("configuration", before)]),
                    newValue: .object([JSONMember("configuration", configuration.jsonValue), JSONMember("bomApproved", false)])),
                actor: request.auditActor, on: transaction, now: now)
            if build.status != .orderCreated {
                let records = try await BuildRecords.read(orderID: try order.requireID(), builds: [build], on: transaction)
                try await apply(
                    build, of: order, to: .orderCreated, note: "Change request: the configuration changed; its BOM is reviewed again",
                    by: principal.userID, actor: request.auditActor, records: records, on: transaction, now: now)
                try await refreshStatus(of: order, on: transaction, actor: request.auditActor, now: now)
            }
            try await NotificationsController.notify(
                NotificationsController.nextActors(after: .orderCreated),
                title: "\(order.poNumber) \(build.buildNumber): configuration changed, BOM to review", orderID: try order.requireID(),
                except: principal.userID, on: transaction, now: now, mail: request.mailContext)
        }
        return try await OrdersController.detail(of: found.$order.id, request: request)
    }

    /// `POST /api/v1/orders/{id}/builds/{build}/bom/reject`: procurement sends
    /// the BOM back with a reason; the coordinators are told, edit the order
    /// (which generates the BOM anew and clears the rejection) and it is reviewed again.
    /// `{reason}`: what procurement says must change in a BOM.
    struct BOMRejection: APIInput {
        var reason: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> BOMRejection? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["reason"]) else { return nil }
            return reader.requiredString(object, "reason").map(BOMRejection.init)
        }

        func check(_ reader: inout JSONFieldReader) -> String? {
            let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            if reason.isEmpty { reader.fail(.root.key("reason"), "say what must change") }
            if reason.count > OrderRequest.maximumNotes { reader.fail(.root.key("reason"), "must have at most 2000 characters") }
            return reason
        }
    }

    static func rejectBOM(_ request: Request) async throws -> OrdersController.OrderDetail {
        try await rejectBOM(request, try request.input(BOMRejection.self))
    }

    static func rejectBOM(_ request: Request, _ input: BOMRejection) async throws -> OrdersController.OrderDetail {
        let principal = try request.principal()
        let found = try await OrdersController.build(request)
        let reason = try input.checked()
        let now = Date()
        try await request.db.transaction { transaction in
            let (order, build) = try await locked(found, .rejectBOM, by: principal, on: transaction)
            build.bomRejection = reason
            try await build.update(on: transaction)
            try await AuditLog.append(
                AuditEvent(
                    action: "REJECT", resourceType: "build", resourceID: build.buildNumber,
                    newValue: .object([JSONMember("bomRejected", true), JSONMember("reason", .string(reason))])),
                actor: request.auditActor, on: transaction, now: now)
            try await NotificationsController.notify(
                [.productionCoordinator], title: "\(order.poNumber) \(build.buildNumber): BOM sent back: \(reason)",
                orderID: try order.requireID(), on: transaction, now: now, mail: request.mailContext)
        }
        return try await OrdersController.detail(of: found.$order.id, request: request)
    }
}
