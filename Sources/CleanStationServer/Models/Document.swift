import CleanStationCore
import Fluent
import Foundation
import SQLKit

/// A file attached to an order; its bytes live in `DocumentStorage` under
/// their SHA-256, so a stored file is never overwritten.
final class Document: Model, @unchecked Sendable {
    static let schema = "documents"

    enum Kind: String, Codable, CaseIterable, Sendable {
        case po = "PO"
        case drawing = "DRAWING"
        case photo = "PHOTO"
        case qcForm = "QC_FORM"
        case other = "OTHER"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Enum(key: "kind") var kind: Kind
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int64
    @Field(key: "sha256") var sha256: String
    @Parent(key: "uploaded_by") var uploadedBy: User
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(orderID: UUID, kind: Kind, file: OrderDraft.StoredFile, uploadedBy userID: UUID) {
        self.$order.id = orderID
        self.kind = kind
        self.fileName = file.fileName
        self.contentType = file.contentType
        self.size = Int64(file.size)
        self.sha256 = file.sha256
        self.$uploadedBy.id = userID
    }
}

extension Document {
    /// Every column, for `of(order:on:)` (`PlainReadsTests` checks them against the model's fields).
    static let columns = ["id", "order_id", "kind", "file_name", "content_type", "size", "sha256", "uploaded_by", "created_at"]

    /// An order's documents, oldest first, in plain SQL: the order's pages and detail read them on every view
    /// (issue 20).
    static func of(order orderID: UUID, on database: any Database) async throws -> [Document] {
        try await (database as! any SQLDatabase).raw(
            "SELECT \(columns: columns) FROM documents WHERE order_id = \(bind: orderID) ORDER BY created_at, id"
        ).all().map { row in
            let document = Document()
            document.id = try row.decode(column: "id", as: UUID.self)
            document.$id.exists = true
            document.$order.id = try row.decode(column: "order_id", as: UUID.self)
            document.kind = try row.code("kind")
            document.fileName = try row.decode(column: "file_name", as: String.self)
            document.contentType = try row.decode(column: "content_type", as: String.self)
            document.size = try row.decode(column: "size", as: Int64.self)
            document.sha256 = try row.decode(column: "sha256", as: String.self)
            document.$uploadedBy.id = try row.decode(column: "uploaded_by", as: UUID.self)
            document.createdAt = try row.decode(column: "created_at", as: Date?.self)
            return document
        }
    }
}
