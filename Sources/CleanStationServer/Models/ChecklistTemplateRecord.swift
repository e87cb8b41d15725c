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

    /// The definition decoded, once per record and text: every checklist page and signature reads one of a few
    /// templates, and decoding its JSON each time was a twentieth of the checklist page's CPU.
    func template() throws -> ChecklistTemplate {
        guard let id else { return try JSONDecoder().decode(ChecklistTemplate.self, from: Data(definition.utf8)) }
        if let known = Self.decoded.withLockedValue({ $0[id] }), known.definition == definition { return known.template }
        let template = try JSONDecoder().decode(ChecklistTemplate.self, from: Data(definition.utf8))
        Self.decoded.withLockedValue { cache in
            if cache.count >= 1_024 { cache.removeAll() }
            cache[id] = (definition, template)
        }
        return template
    }

    /// By record, with the text it was decoded from: a row whose text differs is decoded again.
    private static let decoded = NIOLockedValueBox<[UUID: (definition: String, template: ChecklistTemplate)]>([:])
}
