import Foundation

/// Answers to an instantiated checklist, validated and judged: the limits
/// decide a number, not a click; `PASS` only when every applicable item passes.
public struct ChecklistEvaluation: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case pass = "PASS"
        case fail = "FAIL"
    }

    public struct Answer: Sendable, Hashable {
        public var itemID: String
        public var value: JSONValue?
        public var na: Bool
        public var note: String?
        public var passed: Bool
    }

    public var outcome: Outcome
    public var failedItems: [String]
    public var answers: [Answer]

    /// Reads `answers` (api.md's `[{"itemId", "value"?, "na"?, "note"?}]`)
    /// against `instance`; 422-style errors name the items.
    public static func evaluate(
        _ answers: JSONValue, against instance: ChecklistInstance, at path: JSONPath = JSONPath.root.key("answers")
    )
        -> Result<ChecklistEvaluation, ValidationError>
    {
        var reader = JSONFieldReader()
        let items = Dictionary(uniqueKeysWithValues: instance.items.map { ($0.id, $0) })
        var read: [String: Answer] = [:]
        var attempted: Set<String> = []
        for (index, element) in (reader.array(answers, at: path) ?? []).enumerated() {
            let elementPath = path.index(index)
            guard let object = reader.object(element, at: elementPath, allowedKeys: ["itemId", "value", "na", "note"]),
                let itemID = reader.requiredString(object, "itemId")
            else { continue }
            guard let item = items[itemID] else {
                reader.fail(elementPath.key("itemId"), "\(JSONSerializer.quoted(itemID)) is not an item of this checklist")
                continue
            }
            guard attempted.insert(itemID).inserted else {
                reader.fail(elementPath.key("itemId"), "\(itemID) is answered more than once")
                continue
            }
            let na = reader.optionalBool(object, "na", default: false) ?? false
            let note = reader.optionalString(object, "note")
            if let note, note.count > 2_000 { reader.fail(elementPath.key("note"), "must have at most 2000 characters") }
            let value = reader.member(object, "value", required: false)
            guard item.applicable else {
                reader.fail(elementPath.key("itemId"), "\(itemID) does not apply to this build and takes no answer")
                continue
            }
            if na {
                if !item.naAllowed { reader.fail(elementPath.key("na"), "\(itemID) cannot be N/A") }
                if value != nil { reader.fail(elementPath.key("value"), "an N/A answer has no value") }
                read[itemID] = Answer(itemID: itemID, value: nil, na: true, note: note, passed: true)
                continue
            }
            guard let value else {
                reader.fail(elementPath.key("value"), "\(itemID) needs a value, or na: true where allowed")
                continue
            }
            guard let passed = judge(value, for: item, at: elementPath.key("value"), &reader) else { continue }
            read[itemID] = Answer(itemID: itemID, value: value, na: false, note: note, passed: passed)
        }
        let missing = instance.items.filter { $0.applicable && !attempted.contains($0.id) }.map(\.id)
        if !missing.isEmpty { reader.fail(path, "missing answers for \(missing.joined(separator: ", "))") }
        guard reader.errors.isEmpty else { return .failure(ValidationError(reader.errors)) }
        let ordered = instance.items.compactMap { read[$0.id] }
        let failed = ordered.filter { !$0.passed }.map(\.itemID)
        return .success(ChecklistEvaluation(outcome: failed.isEmpty ? .pass : .fail, failedItems: failed, answers: ordered))
    }

    /// Whether a well-formed value passes; `nil` (and an error) when malformed.
    static func judge(_ value: JSONValue, for item: ChecklistInstance.Item, at path: JSONPath, _ reader: inout JSONFieldReader) -> Bool? {
        switch item.answerType {
        case .check:
            return reader.bool(value, at: path)
        case .number:
            guard let number = reader.number(value, at: path) else { return nil }
            return (item.min.map { number >= $0 } ?? true) && (item.max.map { number <= $0 } ?? true)
        case .text, .serial:
            guard let text = reader.string(value, at: path) else { return nil }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                reader.fail(path, "must not be empty")
                return nil
            }
            return true
        case .choice:
            guard let text = reader.string(value, at: path) else { return nil }
            guard item.options?.contains(text) ?? false else {
                reader.fail(path, "\(JSONSerializer.quoted(text)) is not one of \((item.options ?? []).joined(separator: ", "))")
                return nil
            }
            return !(item.failingOptions?.contains(text) ?? false)
        }
    }
}
