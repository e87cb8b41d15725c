import Fluent
import Foundation

/// A catalogue part or assembly whose lot is recorded at assembly (issue
/// 18), flagged by an administrator. Kept apart from the catalogue's rows,
/// so that a catalogue import leaves the flags as they are.
final class LotTrackedItem: Model, @unchecked Sendable {
    static let schema = "lot_tracked_items"

    @ID(custom: "item_id", generatedBy: .user) var id: String?
    @Parent(key: "flagged_by") var flaggedBy: User
    @Field(key: "flagged_at") var flaggedAt: Date

    init() {}

    init(item: String, by user: UUID, at date: Date) {
        id = item
        $flaggedBy.id = user
        flaggedAt = date
    }
}

/// The lot of one lot-tracked line of a build, as the assembler recorded it.
/// Never changed: a correction is a new row that supersedes it, so the lot
/// a build holds is the row nobody superseded, and what it held before stays.
final class BuildLot: Model, @unchecked Sendable {
    static let schema = "build_lots"

    @ID(key: .id) var id: UUID?
    @Parent(key: "build_id") var build: Build
    @Field(key: "item_id") var itemID: String
    @Field(key: "lot") var lot: String
    @Parent(key: "recorded_by") var recordedBy: User
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalField(key: "supersedes_id") var supersedesID: UUID?

    init() {}

    init(build: UUID, item: String, lot: String, by user: UUID, at date: Date, supersedes: UUID?) {
        id = UUID()
        $build.id = build
        itemID = item
        self.lot = lot
        $recordedBy.id = user
        recordedAt = date
        supersedesID = supersedes
    }
}
