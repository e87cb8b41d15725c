import Foundation

/// Answers to an instantiated checklist, validated and judged: the limits
/// and the build's configuration decide, not a click; `PASS` only when
/// every applicable item passes.
public struct ChecklistEvaluation: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
        case pass = "PASS"
        case fail = "FAIL"
    }

    public struct Answer: Sendable, Hashable {
        public var itemID: String
        public var value: JSONValue?
        public var na: Bool
        public var note: String?
        /// Ids of the photo documents that show the item.
        public var photos: [String]
        public var passed: Bool
    }

    public var outcome: Outcome
    public var failedItems: [String]
    public var answers: [Answer]

    /// Whether every applicable item must be answered (signing) or answers
    /// may be partial and carry only a note or photos (a draft).
    public enum Mode: Sendable {
        case signing
        case draft
    }

    public static let answerKeys: Set<String> = ["itemId", "value", "na", "note", "photos"]

    /// Reads `answers` (api.md's `[{"itemId", "value"?, "na"?, "note"?, "photos"?}]`)
    /// against `instance`; 422-style errors name the items.
    public static func evaluate(
        _ answers: JSONValue, against instance: ChecklistInstance, at path: JSONPath = JSONPath.root.key("answers"), mode: Mode = .signing
    )
        -> Result<ChecklistEvaluation, ValidationError>
    {
        var reader = JSONFieldReader()
        let items = Dictionary(instance.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var read: [String: Answer] = [:]
        var attempted: Set<String> = []
        for (index, element) in (reader.array(answers, at: path) ?? []).enumerated() {
            let elementPath = path.index(index)
            guard let object = reader.object(element, at: elementPath, allowedKeys: answerKeys),
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
            let note = reader.optionalString(object, "note").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            if let note, note.count > 2_000 { reader.fail(elementPath.key("note"), "must have at most 2000 characters") }
            let photos = readPhotos(reader.member(object, "photos", required: false), at: elementPath.key("photos"), &reader)
            let value = reader.member(object, "value", required: false)
            guard item.applicable else {
                reader.fail(
                    elementPath.key("itemId"),
                    "\(itemID) does not apply to this build (\(item.notApplicableReason ?? "")) and takes no answer")
                continue
            }
            if na {
                if !item.naAllowed { reader.fail(elementPath.key("na"), "\(itemID) cannot be N/A") }
                if value != nil { reader.fail(elementPath.key("value"), "an N/A answer has no value") }
                read[itemID] = Answer(itemID: itemID, value: nil, na: true, note: note, photos: photos, passed: true)
                continue
            }
            guard let value, value != .null else {
                if mode == .draft {
                    read[itemID] = Answer(itemID: itemID, value: nil, na: false, note: note, photos: photos, passed: false)
                } else {
                    reader.fail(elementPath.key("value"), item.naAllowed ? "answer it, or mark it N/A" : "answer it")
                }
                continue
            }
            guard let passed = judge(value, for: item, at: elementPath.key("value"), &reader) else { continue }
            if mode == .signing, let option = value.string, item.noteRequiredFor.contains(option), note == nil {
                reader.fail(elementPath.key("note"), "\(item.label(of: option)): write it in the note")
            }
            read[itemID] = Answer(itemID: itemID, value: value, na: false, note: note, photos: photos, passed: passed)
        }
        if mode == .signing {
            let missing = instance.items.filter { $0.applicable && !attempted.contains($0.id) }.map(\.id)
            if !missing.isEmpty { reader.fail(path, "missing answers for \(missing.joined(separator: ", "))") }
        }
        guard reader.errors.isEmpty else { return .failure(ValidationError(reader.errors)) }
        let ordered = instance.items.compactMap { read[$0.id] }
        let failed = ordered.filter { !$0.passed }.map(\.itemID)
        return .success(ChecklistEvaluation(outcome: failed.isEmpty ? .pass : .fail, failedItems: failed, answers: ordered))
    }

    static func readPhotos(_ value: JSONValue?, at path: JSONPath, _ reader: inout JSONFieldReader) -> [String] {
        guard let value, value != .null, let array = reader.array(value, at: path) else { return [] }
        if array.count > 20 { reader.fail(path, "at most 20 photos per item") }
        return array.enumerated().compactMap { index, element in
            guard let text = reader.string(element, at: path.index(index)) else { return nil }
            guard UUID(uuidString: text) != nil else {
                reader.fail(path.index(index), "must be the id of an uploaded photo")
                return nil
            }
            return text.lowercased()
        }
    }

    /// Whether a well-formed value passes; `nil` (and an error) when malformed.
    static func judge(_ value: JSONValue, for item: ChecklistInstance.Item, at path: JSONPath, _ reader: inout JSONFieldReader) -> Bool? {
        switch item.answerType {
        case .check:
            return reader.bool(value, at: path)
        case .number:
            guard let number = reader.number(value, at: path) else { return nil }
            let inLimits = (item.min.map { number >= $0 } ?? true) && (item.max.map { number <= $0 } ?? true)
            return inLimits && (item.expectedValues.map { $0.contains(JSONSerializer.format(number)) } ?? true)
        case .text, .serial:
            guard let text = reader.string(value, at: path) else { return nil }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                reader.fail(path, "must not be empty")
                return nil
            }
            if text.count > 200 { reader.fail(path, "must have at most 200 characters") }
            return true
        case .choice:
            guard let text = reader.string(value, at: path) else { return nil }
            guard item.options?.contains(text) ?? false else {
                reader.fail(
                    path, "\(JSONSerializer.quoted(text)) is not one of \((item.options ?? []).joined(separator: ", "))")
                return nil
            }
            return !(item.failingOptions?.contains(text) ?? false) && (item.expectedValues.map { $0.contains(text) } ?? true)
        }
    }
}

extension ChecklistEvaluation.Answer {
    /// The answer as the signed record keeps it: with its item's words, the
    /// photos resolved to their documents and SHA-256, and whether it passed.
    public func recordValue(item: ChecklistInstance.Item?, photos resolved: [JSONValue]) -> JSONValue {
        var members = [JSONMember("itemId", .string(itemID))]
        if let item {
            // What the person saw beside the answer: the limits and unit, what the order says, how many to pack.
            members.append(JSONMember("text", .string(item.text)))
            members.append(JSONMember("basin", item.basin.map { .number(Double($0)) } ?? .null))
            if let unit = item.unit { members.append(JSONMember("unit", .string(unit))) }
            if let min = item.min { members.append(JSONMember("min", .number(min))) }
            if let max = item.max { members.append(JSONMember("max", .number(max))) }
            if let expected = item.expectedValues { members.append(JSONMember("expectedValues", .array(expected.map { .string($0) }))) }
            if let quantity = item.expectedQuantity { members.append(JSONMember("expectedQuantity", .number(Double(quantity)))) }
        }
        members += [
            JSONMember("value", value ?? .null), JSONMember("na", .bool(na)), JSONMember("note", note.map { .string($0) } ?? .null),
            JSONMember("photos", .array(resolved)), JSONMember("passed", .bool(passed)),
        ]
        return .object(members)
    }

    /// The answer as a draft keeps it: the API's answer shape.
    public var draftValue: JSONValue {
        var members = [JSONMember("itemId", .string(itemID))]
        if na { members.append(JSONMember("na", true)) } else if let value { members.append(JSONMember("value", value)) }
        if let note { members.append(JSONMember("note", .string(note))) }
        if !photos.isEmpty { members.append(JSONMember("photos", .array(photos.map { .string($0) }))) }
        return .object(members)
    }
}
