import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// One assembler holds a build at a time (domain.md "Assembly"): claim,
/// release, and admin reassignment.
enum ClaimsController {
    static let claimable: Set<OrderStatus> = [.readyForProduction, .testingComplete, .packagingComplete]

    static func claim(_ request: Request) async throws -> JSONValue {
        let principal = try request.principal()
        return try await setHolder(request, to: principal.userID, expectingFree: true, action: "claimed")
    }

    static func release(_ request: Request) async throws -> JSONValue {
        let principal = try request.principal()
        let build = try await OrdersController.build(request)
        guard build.$claimedBy.id == principal.userID || principal.role == .admin else {
            throw APIError(.conflict, "RESOURCE_CONFLICT", "Build \(build.buildNumber) is not held by you.")
        }
        return try await setHolder(request, to: nil, expectingFree: false, action: "released")
    }

    static func assign(_ request: Request) async throws -> JSONValue {
        let userID = try request.readBody { json, reader -> UUID? in
            guard let object = reader.object(json, at: .root, allowedKeys: ["userId"]), let text = reader.requiredString(object, "userId")
            else {
                return nil
            }
            guard let id = UUID(uuidString: text) else {
                reader.fail(.root.key("userId"), "must be a user id")
                return nil
            }
            return id
        }
        guard let user = try await User.find(userID, on: request.db), user.isActive, user.role == .assembler else {
            throw APIError.validation([FieldError(field: "userId", message: "must be an active assembler")])
        }
        return try await setHolder(request, to: userID, expectingFree: false, action: "assigned")
    }

    /// Sets the holder with a conditional update: a claim succeeds only on
    /// a free build, so of two assemblers racing exactly one holds it.
    private static func setHolder(_ request: Request, to userID: UUID?, expectingFree: Bool, action: String) async throws -> JSONValue {
        let build = try await OrdersController.build(request)
        let buildID = try build.requireID()
        let now = Date()
        try await request.db.transaction { transaction in
            try await OrdersController.lock(build.$order.id, on: transaction)
            guard let order = try await Order.find(build.$order.id, on: transaction) else { throw APIError.notFound("The order") }
            guard claimable.contains(order.status) else {
                throw APIError(.conflict, "INVALID_TRANSITION", "Builds are held in production; the order is \(order.status.rawValue).")
            }
            let sql = transaction as! any SQLDatabase
            var update = sql.update(Build.schema).set("claimed_by", to: userID).set("claimed_at", to: userID == nil ? nil : now)
                .where("id", .equal, buildID)
            if expectingFree { update = update.where("claimed_by", .is, SQLLiteral.null) }
            guard try await !update.returning("id").all().isEmpty else {
                throw APIError.conflict("Build \(build.buildNumber) is held by another assembler.")
            }
            if action == "assigned", let userID, let assignee = try await User.find(userID, on: transaction) {
                try await NotificationsController.notify(
                    [assignee], title: "\(order.poNumber) \(build.buildNumber) is assigned to you", orderID: try order.requireID(),
                    on: transaction, now: now, mail: request.mailContext)
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "build", resourceID: build.buildNumber,
                    oldValue: .object([JSONMember("holder", build.$claimedBy.id.map { .string($0.uuidString.lowercased()) } ?? .null)]),
                    newValue: .object([
                        JSONMember("holder", userID.map { .string($0.uuidString.lowercased()) } ?? .null),
                        JSONMember("event", .string(action)),
                    ])),
                actor: request.auditActor, on: transaction, now: now)
        }
        return try await OrdersController.detail(of: build.$order.id, on: request.db)
    }
}
