import Foundation

/// A serial number a signed record holds (issue 18): the answer to one of
/// the template's SERIAL items, for the sink or one basin.
public struct RecordedSerial: Sendable, Hashable {
    /// The instance's item: the template's id, `.bN` for basin N.
    public var itemID: String
    /// The item's words, with its basin.
    public var label: String
    public var value: String

    /// How a serial number is looked up: trimmed, in capitals, so that a
    /// number typed in lower case finds the one recorded in capitals.
    public static func key(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }
}

extension ChecklistTemplate {
    /// Every non-empty answer of a SERIAL item in a signed record of this
    /// template, in the record's order. Per-basin items are answered as
    /// `id.bN` (`ChecklistInstance`).
    public func serials(in record: JSONValue) -> [RecordedSerial] {
        let serialItems = Dictionary(
            sections.flatMap(\.items).filter { $0.answerType == .serial }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard !serialItems.isEmpty else { return [] }
        return (record["answers"]?.array ?? []).compactMap { answer -> RecordedSerial? in
            guard let id = answer["itemId"]?.string, let value = answer["value"]?.string,
                !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else { return nil }
            var item = serialItems[id]
            var basin: Int?
            if item == nil, let dot = id.range(of: ".b", options: .backwards), let number = Int(id[dot.upperBound...]),
                let perBasin = serialItems[String(id[..<dot.lowerBound])], perBasin.perBasin
            {
                item = perBasin
                basin = number
            }
            guard let item else { return nil }
            return RecordedSerial(itemID: id, label: item.text + (basin.map { " (basin \($0))" } ?? ""), value: value)
        }
    }
}
