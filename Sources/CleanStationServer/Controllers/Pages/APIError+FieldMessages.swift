extension APIError {
    /// The messages of a refusal by field name, for a form to show beside
    /// its inputs; a refusal that names no field is filed under "".
    var fieldMessages: [String: String] {
        var messages = Dictionary(details.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        if details.isEmpty { messages[""] = message }
        return messages
    }
}
