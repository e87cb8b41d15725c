import CleanStationCore
import Fluent
import Vapor

/// Comments on an order: listed oldest first, added by anyone who may see it.
enum CommentsController {
    static let maximumLength = 2_000

    static func list(_ request: Request) async throws -> JSONValue {
        let orderID = try request.uuidParameter("orderID", "The order")
        guard try await Order.find(orderID, on: request.db) != nil else { throw APIError.notFound("The order") }
        return .array(try await comments(of: orderID, on: request.db))
    }

    static func comments(of orderID: UUID, on database: any Database) async throws -> [JSONValue] {
        try await OrderComment.query(on: database).filter(\.$order.$id == orderID).join(User.self, on: \OrderComment.$user.$id == \User.$id)
            .sort(\.$createdAt).sort(\.$id).all().map { comment in
                .object([
                    JSONMember("id", .string(try comment.requireID().uuidString.lowercased())), JSONMember("text", .string(comment.text)),
                    JSONMember("userId", .string(comment.$user.id.uuidString.lowercased())),
                    JSONMember("author", .string(try comment.joined(User.self).fullName)),
                    JSONMember("createdAt", .string(AuditLog.timestamp(comment.createdAt))),
                ])
            }
    }

    static func create(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        let orderID = try request.uuidParameter("orderID", "The order")
        let text = try request.readBody { json, reader -> String? in
            guard let object = reader.object(json, at: .root, allowedKeys: ["text"]),
                let text = reader.requiredString(object, "text")?.trimmingCharacters(in: .whitespacesAndNewlines)
            else { return nil }
            if !(1...maximumLength).contains(text.count) {
                reader.fail(.root.key("text"), "must have 1 to \(maximumLength) characters")
            }
            return text
        }
        guard try await Order.find(orderID, on: request.db) != nil else { throw APIError.notFound("The order") }
        let comment = OrderComment()
        comment.$order.id = orderID
        comment.$user.id = principal.userID
        comment.text = text
        comment.createdAt = Date()
        try await request.db.transaction { transaction in
            try await comment.create(on: transaction)
            try await AuditLog.append(
                AuditEvent(
                    action: "CREATE", resourceType: "order_comment", resourceID: comment.id?.uuidString.lowercased(),
                    newValue: .object([
                        JSONMember("orderId", .string(orderID.uuidString.lowercased())), JSONMember("text", .string(text)),
                    ])),
                actor: request.auditActor, on: transaction, now: comment.createdAt)
        }
        let response = try await JSONValue.array(try await comments(of: orderID, on: request.db)).encodeResponse(for: request)
        response.status = .created
        return response
    }
}
