extension String {
    /// The text as HTML, escaped exactly as Leaf escapes `#(…)` (LeafKit's `htmlEscaped()`: `&`, `"`, `'`, `<` and
    /// `>`, with the same entities), for the tables the pages write in Swift. LeafKit's appends scalar by scalar into a
    /// new string, even when nothing needs escaping, which is most text (6 % of the where-used page's CPU while its
    /// rows went through Leaf). This one returns the text itself when it holds none of the five, and otherwise works on
    /// its UTF-8 bytes: the five are ASCII, and no byte of a multi-byte character is.
    func escapedForHTML() -> String {
        guard utf8.contains(where: Self.isEscaped) else { return self }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isEscaped(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">")
    }
}
