import CleanStationCore
import Foundation

/// A signed record read for people: each item of the template version in
/// order, with its recorded value, or "N/A" and the reason where it did not
/// apply. Records signed before version 2 carry no `notApplicable` list;
/// their items without an answer are shown as not applicable.
struct RecordLines {
    struct Line {
        var label: String
        var value: String
        var failed: Bool
        var notApplicable: Bool
        /// The note, the photos by SHA-256, or why the item did not apply.
        var detail: String
        var photos: [(id: String, sha256: String)]
    }

    var lines: [Line]
    var failedLabels: [String]
    var instrument: String?
    var signer: String
    var signedAt: String?
    var meaning: String

    init(record: JSONValue, instance: ChecklistInstance) {
        let answers = Dictionary(
            (record["answers"]?.array ?? []).map(RecordAnswer.init).map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
        let skipped = Dictionary(
            (record["notApplicable"]?.array ?? []).map { ($0["itemId"]?.string ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let items = Dictionary(instance.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func label(_ id: String, text stored: String?, basin storedBasin: Int?) -> String {
            let text = stored ?? items[id]?.text ?? id
            return (storedBasin ?? items[id]?.basin).map { "\(text) (basin \($0))" } ?? text
        }
        var ids = instance.items.map(\.id)
        ids += answers.keys.filter { items[$0] == nil }.sorted()
        lines = ids.compactMap { id -> Line? in
            if let answer = answers[id] {
                var value = "—"
                if answer.na {
                    value = "N/A"
                } else if let stored = answer.value, stored != .null {
                    switch stored {
                    case .bool(let flag): value = flag ? "Pass" : "Fail"
                    case .string(let text): value = items[id]?.label(of: text) ?? text
                    case .number(let number): value = JSONSerializer.format(number) + (items[id]?.unit.map { " \($0)" } ?? "")
                    default: value = JSONSerializer.string(stored, style: .compact)
                    }
                }
                let detail = ([answer.note] + answer.photos.map { "photo SHA-256 \($0.sha256)" }).compactMap { $0 }
                    .joined(separator: "; ")
                return Line(
                    label: label(id, text: answer.storedText, basin: answer.basin), value: value, failed: answer.passed == false,
                    notApplicable: false, detail: detail, photos: answer.photos)
            }
            guard skipped[id] != nil || record["notApplicable"] == nil else { return nil }
            let reason = skipped[id]?["reason"]?.string ?? items[id]?.notApplicableReason ?? "did not apply"
            return Line(
                label: label(id, text: skipped[id]?["text"]?.string, basin: skipped[id]?["basin"]?.number.map { Int($0) }), value: "N/A",
                failed: false, notApplicable: true, detail: reason, photos: [])
        }
        failedLabels = (record["failedItems"]?.array ?? []).compactMap(\.string).map {
            label($0, text: answers[$0]?.storedText, basin: answers[$0]?.basin)
        }
        instrument = record["instrument"].flatMap { instrument -> String? in
            guard let tag = instrument["tag"]?.string else { return nil }
            return "\(tag) \(instrument["description"]?.string ?? ""), calibration due \(instrument["calibrationDue"]?.string ?? "")"
        }
        signer = record["signature"]?["fullName"]?.string ?? ""
        signedAt = record["signature"]?["signedAt"]?.string
        meaning = record["signature"]?["meaning"]?.string ?? ""
    }
}

/// One answer of a signed record or of a draft, read once for every page
/// and document that shows it. A draft, and a record signed before photos
/// carried their SHA-256, list the photos' document ids alone.
struct RecordAnswer {
    var itemID: String
    /// The item's words as the record keeps them, when it does.
    var storedText: String?
    var basin: Int?
    var value: JSONValue?
    var na: Bool
    var note: String?
    var photos: [(id: String, sha256: String)]
    var passed: Bool?

    /// The item's words, or its id.
    var text: String { storedText ?? itemID }

    init(_ json: JSONValue) {
        itemID = json["itemId"]?.string ?? ""
        storedText = json["text"]?.string
        basin = json["basin"]?.number.map { Int($0) }
        value = json["value"]
        na = json["na"] == .bool(true)
        note = json["note"]?.string
        photos = (json["photos"]?.array ?? []).map { ($0["documentId"]?.string ?? $0.string ?? "", $0["sha256"]?.string ?? "") }
        passed = json["passed"]?.bool
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
