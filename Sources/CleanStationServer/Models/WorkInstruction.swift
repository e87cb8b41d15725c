import Fluent
import Foundation

/// How to do one production task: ordered steps, safety notes, tools and
/// an optional image (a document).
final class WorkInstruction: Model, @unchecked Sendable {
    static let schema = "work_instructions"

    @ID(key: .id) var id: UUID?
    /// The production checklist item the instruction belongs to.
    @Field(key: "task_item_id") var taskItemID: String
    @Field(key: "title") var title: String
    /// `["step one", …]` as JSON.
    @Field(key: "steps") var steps: String
    @Field(key: "safety_notes") var safetyNotes: String
    /// `["tool id", …]` as JSON.
    @Field(key: "tool_ids") var toolIDs: String
    @OptionalParent(key: "image_document_id") var image: Document?

    init() {}
}
