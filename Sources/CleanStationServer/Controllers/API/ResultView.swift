import CleanStationCore
import Foundation

/// A signed record read for people: each item of the template version in
/// order, with its recorded value, or "N/A" and the reason where it did not
/// apply. Records signed before version 2 carry no `notApplicable` list;
/// their items without an answer are shown as not applicable.
struct ResultView {
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
            (record["answers"]?.array ?? []).map { ($0["itemId"]?.string ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let skipped = Dictionary(
            (record["notApplicable"]?.array ?? []).map { ($0["itemId"]?.string ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let items = Dictionary(instance.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func label(_ id: String, _ stored: JSONValue?) -> String {
            let text = stored?["text"]?.string ?? items[id]?.text ?? id
            let basin = stored?["basin"]?.number ?? items[id]?.basin.map(Double.init)
            return basin.map { "\(text) (basin \(Int($0)))" } ?? text
        }
        var ids = instance.items.map(\.id)
        ids += answers.keys.filter { items[$0] == nil }.sorted()
        lines = ids.compactMap { id -> Line? in
            if let answer = answers[id] {
                let photos = (answer["photos"]?.array ?? []).map {
                    ($0["documentId"]?.string ?? $0.string ?? "", $0["sha256"]?.string ?? "")
                }
                var value = "—"
                if answer["na"] == .bool(true) {
                    value = "N/A"
                } else if let stored = answer["value"], stored != .null {
                    switch stored {
                    case .bool(let flag): value = flag ? "Pass" : "Fail"
                    case .string(let text): value = items[id]?.label(of: text) ?? text
                    case .number(let number): value = JSONSerializer.format(number) + (items[id]?.unit.map { " \($0)" } ?? "")
                    default: value = JSONSerializer.string(stored, style: .compact)
                    }
                }
                let detail = ([answer["note"]?.string] + photos.map { "photo SHA-256 \($0.1)" }).compactMap { $0 }
                    .joined(separator: "; ")
                return Line(
                    label: label(id, answer), value: value, failed: answer["passed"] == .bool(false), notApplicable: false,
                    detail: detail, photos: photos.map { (id: $0.0, sha256: $0.1) })
            }
            guard skipped[id] != nil || record["notApplicable"] == nil else { return nil }
            let reason = skipped[id]?["reason"]?.string ?? items[id]?.notApplicableReason ?? "did not apply"
            return Line(
                label: label(id, skipped[id]), value: "N/A", failed: false, notApplicable: true, detail: reason, photos: [])
        }
        failedLabels = (record["failedItems"]?.array ?? []).compactMap(\.string).map { label($0, answers[$0]) }
        instrument = record["instrument"].flatMap { instrument -> String? in
            guard let tag = instrument["tag"]?.string else { return nil }
            return "\(tag) \(instrument["description"]?.string ?? ""), calibration due \(instrument["calibrationDue"]?.string ?? "")"
        }
        signer = record["signature"]?["fullName"]?.string ?? ""
        signedAt = record["signature"]?["signedAt"]?.string
        meaning = record["signature"]?["meaning"]?.string ?? ""
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
