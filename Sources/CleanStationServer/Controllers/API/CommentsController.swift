import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// Comments on an order: listed oldest first, added by anyone who may see it.
enum CommentsController {
    static let maximumLength = 2_000

    /// A comment on an order, with its author's name.
    struct CommentView: APIResponse {
        var id: String
        var text: String
        var userId: String
        var author: String
        var createdAt: String

        static let example = CommentView(
            id: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", text: "The customer asks for delivery on a Tuesday.",
            userId: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b", author: "Dana Reyes", createdAt: "2026-12-06T09:30:00.000Z")
    }

    static func list(_ request: Request) async throws -> APIList<CommentView> {
        let orderID = try request.uuidParameter("orderID", "The order")
        guard try await Order.find(orderID, on: request.db) != nil else { throw APIError.notFound("The order") }
        return APIList(try await comments(of: orderID, on: request.db))
    }

    static func comments(of orderID: UUID, on database: any Database) async throws -> [CommentView] {
        // Plain SQL: the order's pages ask it on every view (issue 20).
        try await (database as! any SQLDatabase).raw(
            """
            SELECT c.id, c.user_id, c.text, c.created_at, u.full_name FROM order_comments c JOIN users u ON u.id = c.user_id
            WHERE c.order_id = \(bind: orderID) ORDER BY c.created_at, c.id
            """
        ).all().map { row in
            CommentView(
                id: try row.decode(column: "id", as: UUID.self).uuidString.lowercased(),
                text: try row.decode(column: "text", as: String.self),
                userId: try row.decode(column: "user_id", as: UUID.self).uuidString.lowercased(),
                author: try row.decode(column: "full_name", as: String.self),
                createdAt: AuditLog.timestamp(try row.decode(column: "created_at", as: Date.self)))
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
        let response = try await APIList(try await comments(of: orderID, on: request.db)).encodeResponse(for: request)
        response.status = .created
        return response
    }
}
