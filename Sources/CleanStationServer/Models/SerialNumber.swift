import CleanStationCore
import Fluent
import Foundation

/// A serial number as a signed checklist result recorded it (issue 18): the
/// index behind the serial-number search, written in the signing's
/// transaction and, by migration 028, from the results signed before. The
/// signed record stays the truth; this row finds it.
final class SerialNumber: Model, @unchecked Sendable {
    static let schema = "serial_numbers"

    @ID(key: .id) var id: UUID?
    @Field(key: "result_id") var resultID: UUID
    @Parent(key: "order_id") var order: Order
    @Field(key: "build_number") var buildNumber: String
    @Enum(key: "kind") var kind: ChecklistKind
    @Field(key: "item_id") var itemID: String
    @Field(key: "label") var label: String
    @Field(key: "value") var value: String
    /// `RecordedSerial.key(value)`: what a search compares.
    @Field(key: "search_key") var searchKey: String
    @Field(key: "signed_at") var signedAt: Date

    init() {}

    init(_ serial: RecordedSerial, result: UUID, order: UUID, build: String, kind: ChecklistKind, signedAt: Date) {
        id = UUID()
        resultID = result
        self.$order.id = order
        buildNumber = build
        self.kind = kind
        itemID = serial.itemID
        label = serial.label
        value = serial.value
        searchKey = RecordedSerial.key(serial.value)
        self.signedAt = signedAt
    }
}
