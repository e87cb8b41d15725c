import Fluent
import Foundation

final class Tool: Model, @unchecked Sendable {
    static let schema = "tools"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String

    init() {}
}
