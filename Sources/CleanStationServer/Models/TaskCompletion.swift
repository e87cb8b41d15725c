import Fluent
import Foundation

/// One assembly task of a build checked off: who and when.
final class TaskCompletion: Model, @unchecked Sendable {
    static let schema = "task_completions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Field(key: "build_number") var buildNumber: String
    @Field(key: "task_id") var taskID: String
    @Parent(key: "user_id") var user: User
    @Field(key: "completed_at") var completedAt: Date
    /// The choice made, for a task that records one (the lifter button), as JSON.
    @OptionalField(key: "value") var value: String?

    init() {}
}
