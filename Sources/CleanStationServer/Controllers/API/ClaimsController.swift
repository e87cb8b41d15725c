import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// One assembler holds a build at a time (domain.md "Assembly"): claim,
/// release, and admin reassignment.
enum ClaimsController {
    static func claim(_ request: Request) async throws -> OrdersController.OrderDetail {
        let principal = try request.principal()
        return try await setHolder(request, to: principal.userID, expecting: .free, policy: .claim, action: "claimed")
    }

    /// The holder lets go; an admin may release anyone's hold.
    static func release(_ request: Request) async throws -> OrdersController.OrderDetail {
        let principal = try request.principal()
        return try await setHolder(
            request, to: nil, expecting: principal.role == .admin ? .held : .heldBy(principal.userID), policy: .release,
            action: "released")
    }
    /// `{userId}`: the assembler an admin gives a build to.
    struct Assignment: APIInput {
        var userId: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> Assignment? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["userId"]) else { return nil }
            return reader.requiredString(object, "userId").map(Assignment.init)
        }

        func check(_ reader: inout JSONFieldReader) -> UUID? {
            guard let id = UUID(uuidString: userId) else {
                reader.fail(.root.key("userId"), "must be a user id")
                return nil
            }
            return id
        }
    }

    static func assign(_ request: Request) async throws -> OrdersController.OrderDetail {
        try await assign(request, try request.input(Assignment.self))
    }

    static func assign(_ request: Request, _ input: Assignment) async throws -> OrdersController.OrderDetail {
        let userID = try input.checked()
        guard let user = try await User.find(userID, on: request.db), user.isActive, user.role == .assembler else {
            throw APIError.validation([FieldError(field: "userId", message: "must be an active assembler")])
        }
        return try await setHolder(request, to: userID, expecting: .anyone, policy: .assign, action: "assigned")
    }

    /// Who must hold the build for a change of holder to apply.
    private enum Expectation {
        case free, held, heldBy(UUID), anyone
    }

    /// Sets the holder with a conditional update on the expected holder, so
    /// that of two assemblers racing for a build exactly one holds it, and a
    /// release never clears a hold that changed hands meanwhile.
    private static func setHolder(
        _ request: Request, to userID: UUID?, expecting: Expectation, policy: OrderPolicy.Action, action: String
    ) async throws -> OrdersController.OrderDetail {
        let principal = try request.principal()
        let build = try await OrdersController.build(request)
        let buildID = try build.requireID()
        let now = Date()
        try await request.db.transaction { transaction in
            try await OrdersController.lock(build.$order.id, on: transaction)
            guard let order = try await Order.find(build.$order.id, on: transaction) else { throw APIError.notFound("The order") }
            guard let current = try await Build.find(buildID, on: transaction) else { throw APIError.notFound("The build") }
            let holder = current.$claimedBy.id
            let facts = OrderPolicy.Facts(status: current.status, held: holder != nil, heldByActor: holder == principal.userID)
            if let refusal = OrderPolicy.refusal(policy, role: principal.role, facts: facts) {
                throw APIError(refusal, naming: build.buildNumber)
            }
            let sql = transaction as! any SQLDatabase
            var update = sql.update(Build.schema).set("claimed_by", to: userID).set("claimed_at", to: userID == nil ? nil : now)
                .where("id", .equal, buildID)
            switch expecting {
            case .free: update = update.where("claimed_by", .is, SQLLiteral.null)
            case .held: update = update.where("claimed_by", .isNot, SQLLiteral.null)
            case .heldBy(let id): update = update.where("claimed_by", .equal, id)
            case .anyone: break
            }
            guard try await !update.returning("id").all().isEmpty else {
                switch expecting {
                case .free: throw APIError.conflict("Build \(build.buildNumber) is held by another assembler.")
                default: throw APIError(.conflict, "RESOURCE_CONFLICT", "Build \(build.buildNumber) is not held by you.")
                }
            }
            if action == "assigned", let userID, let assignee = try await User.find(userID, on: transaction) {
                try await NotificationsController.notify(
                    [assignee], title: "\(order.poNumber) \(build.buildNumber) is assigned to you", orderID: try order.requireID(),
                    on: transaction, now: now, mail: request.mailContext)
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "build", resourceID: build.buildNumber,
                    oldValue: .object([JSONMember("holder", holder.map { .string($0.uuidString.lowercased()) } ?? .null)]),
                    newValue: .object([
                        JSONMember("holder", userID.map { .string($0.uuidString.lowercased()) } ?? .null),
                        JSONMember("event", .string(action)),
                    ])),
                actor: request.auditActor, on: transaction, now: now)
        }
        return try await OrdersController.detail(of: build.$order.id, request: request)
    }
}
