import Fluent
import Foundation
import SQLKit

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

extension WorkInstruction {
    /// Every column (`PlainReadsTests` checks them against the model's fields).
    static let columns = ["id", "task_item_id", "title", "steps", "safety_notes", "tool_ids", "image_document_id"]

    /// Every instruction, in plain SQL: the production checklist's page reads them on every view (issue 20).
    static func all(on database: any Database) async throws -> [WorkInstruction] {
        try await (database as! any SQLDatabase).raw("SELECT \(columns: columns) FROM work_instructions").all().map { row in
            let instruction = WorkInstruction()
            instruction.id = try row.decode(column: "id", as: UUID.self)
            instruction.$id.exists = true
            instruction.taskItemID = try row.decode(column: "task_item_id", as: String.self)
            instruction.title = try row.decode(column: "title", as: String.self)
            instruction.steps = try row.decode(column: "steps", as: String.self)
            instruction.safetyNotes = try row.decode(column: "safety_notes", as: String.self)
            instruction.toolIDs = try row.decode(column: "tool_ids", as: String.self)
            instruction.$image.id = try row.decode(column: "image_document_id", as: UUID?.self)
            return instruction
        }
    }
}
