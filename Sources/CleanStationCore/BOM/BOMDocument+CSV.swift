import Foundation

extension BOMDocument {
    public static let csvHeader = ["level", "id", "name", "quantity", "kind"]

    /// One row per tree node, depth first, with its level (1 for the
    /// top-level lines) and its quantity per parent; RFC 4180 quoting and
    /// CRLF line ends.
    public func csv() -> String {
        var output = Self.csvRow(Self.csvHeader)
        func write(_ item: BOMItem, level: Int) {
            output += Self.csvRow([String(level), item.id, item.name ?? "", String(item.quantity), item.kind.rawValue])
            for child in item.children { write(child, level: level + 1) }
        }
        for item in items { write(item, level: 1) }
        return output
    }

    static func csvRow(_ fields: [String]) -> String {
        fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
