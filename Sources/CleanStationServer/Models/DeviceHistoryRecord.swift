import Fluent
import Foundation

/// A shipped build's device history record as it was filed (ADR 015): the
/// SHA-256 of its signed manifest and of its PDF, whose bytes are in the
/// document storage. One per build, written once: triggers refuse an update
/// or a delete, and the application's role may only read and append.
final class DeviceHistoryRecord: Model, @unchecked Sendable {
    static let schema = "device_history_records"

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Field(key: "build_number") var buildNumber: String
    @Field(key: "manifest_sha256") var manifestSHA256: String
    @Field(key: "pdf_sha256") var pdfSHA256: String
    @Field(key: "key_id") var keyID: String
    @Field(key: "generated_at") var generatedAt: Date

    init() {}

    init(order: UUID, buildNumber: String, files: DeviceHistory.Files, at: Date) {
        self.id = UUID()
        self.$order.id = order
        self.buildNumber = buildNumber
        self.manifestSHA256 = files.manifestSHA256
        self.pdfSHA256 = files.pdfSHA256
        self.keyID = files.keyID
        self.generatedAt = at
    }
}
