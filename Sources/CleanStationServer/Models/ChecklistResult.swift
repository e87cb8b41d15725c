import CleanStationCore
import Fluent
import Foundation

/// A signed checklist result: the canonical JSON `record` and its SHA-256.
/// Never updated; a correction is a new result that supersedes it.
final class ChecklistResult: Model, @unchecked Sendable {
    static let schema = "checklist_results"

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Field(key: "build_number") var buildNumber: String
    @Parent(key: "template_id") var template: ChecklistTemplateRecord
    @Enum(key: "kind") var kind: ChecklistKind
    @Enum(key: "outcome") var outcome: ChecklistEvaluation.Outcome
    @Field(key: "record") var record: String
    @Field(key: "sha256") var sha256: String
    @Parent(key: "signer_id") var signer: User
    @Field(key: "signed_at") var signedAt: Date
    @OptionalField(key: "supersedes_id") var supersedesID: UUID?
    /// The seal of `sha256` with the key the database does not hold (ADR 009); nil on results signed before it.
    @OptionalField(key: "key_id") var keyID: String?
    @OptionalField(key: "mac") var mac: String?

    init() {}
}
