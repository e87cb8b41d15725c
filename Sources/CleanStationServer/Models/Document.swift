import CleanStationCore
import Fluent
import Foundation

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
