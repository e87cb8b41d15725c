import CleanStationCore
import CleanStationExports
import Crypto
import Fluent
import Vapor

/// What signing a checklist or saving its draft submits: from the API's body, or built by the checklist's page.
extension ChecklistsController {
    struct Submission {
        var answers: JSONValue
        var password: String?
        var instrumentID: String?
        /// For a draft: the revision it was made from, when the client names one.
        var revision: Int?
    }

    static func submission(_ request: Request, signing: Bool) throws -> Submission {
        var reader = JSONFieldReader()
        let keys: Set<String> = signing ? ["answers", "signature", "instrumentId"] : ["answers", "instrumentId", "revision"]
        guard let object = reader.object(try request.jsonBody(), at: .root, allowedKeys: keys) else {
            throw APIError.validation(reader.errors)
        }
        let password = reader.member(object, "signature", required: signing).flatMap { value -> String? in
            guard let signature = reader.object(value, at: .root.key("signature"), allowedKeys: ["password"]) else { return nil }
            return reader.requiredString(signature, "password")
        }
        let answers = reader.member(object, "answers")
        let instrument = reader.optionalString(object, "instrumentId")
        let revision = reader.member(object, "revision", required: false).flatMap { reader.number($0, at: .root.key("revision")) }
        if let revision, revision != revision.rounded() || revision < 0 { reader.fail(.root.key("revision"), "must be a whole number") }
        guard let answers, reader.errors.isEmpty, !signing || password != nil else { throw APIError.validation(reader.errors) }
        return Submission(answers: answers, password: password, instrumentID: instrument, revision: revision.map { Int($0) })
    }
}
