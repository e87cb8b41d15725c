import CleanStationCore
import Fluent
import Foundation

/// The template version a build's checklist of one kind uses: fixed when the
/// checklist is first written to (a draft, a task, a signature), so that a
/// version published later does not change a build already under way.
final class ChecklistPin: Model, @unchecked Sendable {
    static let schema = "checklist_pins"

    @ID(key: .id) var id: UUID?
    @Parent(key: "build_id") var build: Build
    @Enum(key: "kind") var kind: ChecklistKind
    @Parent(key: "template_id") var template: ChecklistTemplateRecord
    @Field(key: "pinned_at") var pinnedAt: Date

    init() {}
}

/// A checklist's answers as they are entered, before the signature: one per
/// build and kind, resumed on any device, removed when a PASS is signed.
final class ChecklistDraft: Model, @unchecked Sendable {
    static let schema = "checklist_drafts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "build_id") var build: Build
    @Enum(key: "kind") var kind: ChecklistKind
    @Parent(key: "template_id") var template: ChecklistTemplateRecord
    /// The answers, as the API's `answers` array.
    @Field(key: "answers") var answers: String
    /// Counts the writes: a save that names an older revision is refused, so
    /// that two devices, or a page and a task checked off, do not overwrite each other.
    @Field(key: "revision") var revision: Int
    @OptionalParent(key: "instrument_id") var instrument: Instrument?
    @Parent(key: "updated_by") var updatedBy: User
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A calibrated test instrument of the register: an end-of-line test names
/// the one it used, and one past its calibration due date is refused.
final class Instrument: Model, @unchecked Sendable {
    static let schema = "instruments"

    @ID(key: .id) var id: UUID?
    /// The asset tag written on the instrument.
    @Field(key: "tag") var tag: String
    @Field(key: "description") var description: String
    /// The last day it may be used, `YYYY-MM-DD`.
    @Field(key: "calibration_due") var calibrationDue: String
    /// The calibration certificate, stored by SHA-256 like documents.
    @OptionalField(key: "certificate_sha256") var certificateSHA256: String?
    @OptionalField(key: "certificate_file_name") var certificateFileName: String?
    @OptionalField(key: "certificate_content_type") var certificateContentType: String?
    @OptionalField(key: "retired_at") var retiredAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
