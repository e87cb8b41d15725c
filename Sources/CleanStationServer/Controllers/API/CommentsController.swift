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

    /// `{text}`: a comment on an order.
    struct NewComment: APIInput {
        var text: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> NewComment? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["text"]) else { return nil }
            return reader.requiredString(object, "text").map(NewComment.init)
        }

        func check(_ reader: inout JSONFieldReader) -> String? {
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !(1...maximumLength).contains(text.count) {
                reader.fail(.root.key("text"), "must have 1 to \(maximumLength) characters")
            }
            return text
        }
    }

    static func create(_ request: Request) async throws -> Response {
        try await create(request, try request.input(NewComment.self))
    }

    static func create(_ request: Request, _ input: NewComment) async throws -> Response {
        let principal = try request.principal()
        let orderID = try request.uuidParameter("orderID", "The order")
        let text = try input.checked()
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
