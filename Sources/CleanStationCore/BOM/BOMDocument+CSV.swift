import Foundation

extension BOMDocument {
    public static let csvHeader = ["level", "itemNumber", "id", "name", "quantity", "kind", "options"]

    /// One row per tree node, depth first, with its level (1 for the
    /// top-level lines), the customer's item number (the numbering series of
    /// a custom part), its quantity per parent and the choices it carries
    /// (`color=GREEN`); RFC 4180 quoting and CRLF line ends.
    public func csv() -> String {
        var output = Self.csvRow(Self.csvHeader)
        func write(_ item: BOMItem, level: Int) {
            output += Self.csvRow([
                String(level), item.partNumber, item.id, item.name ?? "", String(item.quantity), item.kind.rawValue, item.options,
            ])
            for child in item.children { write(child, level: level + 1) }
        }
        for item in items { write(item, level: 1) }
        return output
    }

    static func csvRow(_ fields: [String]) -> String { CSV.row(fields) }
}

/// Comma-separated values as RFC 4180 writes them: quoted where a field
/// holds a comma, a quote or a line end, and CRLF line ends. Every export
/// goes through it, so no field can start a formula in the spreadsheet that
/// opens it: a catalogue name an administrator imported no more than a
/// customer's name typed on an order.
public enum CSV {
    public static func row(_ fields: [String]) -> String {
        fields.map { field(inert($0)) }.joined(separator: ",") + "\r\n"
    }

    /// Text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab or a return first) kept as text,
    /// behind an apostrophe (OWASP's advice for CSV exports).
    static func inert(_ text: String) -> String {
        guard let first = text.first, "=+-@\t\r".contains(first) else { return text }
        return "'" + text
    }

    static func field(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension BOMItem {
    /// The customer's item number, or for a custom part its numbering series (`720.215.001`).
    public var partNumber: String { itemNumber ?? series ?? "" }

    /// The choices the line carries, `name=value` in name order: the pegboard's `color=GREEN`.
    public var options: String {
        (attributes ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }
}
