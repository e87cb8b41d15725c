import Fluent
import Foundation

/// A login try, kept so that the lockout counts across instances.
final class LoginAttempt: Model, @unchecked Sendable {
    static let schema = "login_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "at") var at: Date
    @OptionalField(key: "client_address") var clientAddress: String?

    init() {}

    init(email: String, succeeded: Bool, at: Date, clientAddress: String?) {
        self.email = email
        self.succeeded = succeeded
        self.at = at
        self.clientAddress = clientAddress
    }
}
