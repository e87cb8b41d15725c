import CleanStationCore
import Fluent
import Foundation
import NIOConcurrencyHelpers

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

    /// The definition decoded, once per text: every checklist page and signature reads one of a few templates,
    /// and decoding its JSON each time was a twentieth of the checklist page's CPU. Keyed by the text itself, so
    /// that an edited row can never be served as it was.
    func template() throws -> ChecklistTemplate {
        if let known = Self.decoded.withLockedValue({ $0[definition] }) { return known }
        let template = try JSONDecoder().decode(ChecklistTemplate.self, from: Data(definition.utf8))
        Self.decoded.withLockedValue { cache in
            if cache.count >= 64 { cache.removeAll() }
            cache[definition] = template
        }
        return template
    }

    private static let decoded = NIOLockedValueBox<[String: ChecklistTemplate]>([:])
}
