import CleanStationCore
import Fluent
import Foundation

/// One version of a checklist template, its definition as JSON.
final class ChecklistTemplateRecord: Model, @unchecked Sendable {
    static let schema = "checklist_templates"

    @ID(key: .id) var id: UUID?
    @Enum(key: "kind") var kind: ChecklistKind
    @Field(key: "version") var version: Int
    @Field(key: "definition") var definition: String
    @OptionalField(key: "retired_at") var retiredAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    /// The definition decoded, once per text (`DecodedText`): every checklist page and signature reads one of a
    /// few templates, and decoding its JSON each time was a twentieth of the checklist page's CPU.
    func template() throws -> ChecklistTemplate { try DecodedText.template(definition) }
}
