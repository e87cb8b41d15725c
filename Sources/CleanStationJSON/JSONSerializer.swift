import Foundation

/// Writes `JSONValue`s deterministically: members in the order given, numbers
/// in their shortest round-trip form, integers without a fraction.
///
/// `canonical` additionally sorts object members by the UTF-8 bytes of
/// their keys and drops all insignificant whitespace, so equal values give
/// byte-identical text: the form hashed for signatures and the audit chain.
public enum JSONSerializer {
    public enum Style: Sendable {
        case compact
        case pretty
        case canonical
    }

    public static func data(_ value: JSONValue, style: Style = .compact) -> Data {
        Data(bytes(value, style: style))
    }

    public static func string(_ value: JSONValue, style: Style = .compact) -> String {
        String(decoding: bytes(value, style: style), as: UTF8.self)
    }

    public static func bytes(_ value: JSONValue, style: Style = .compact) -> [UInt8] {
        var writer = Writer(style: style)
        writer.write(value, indent: 0)
        if style == .pretty { writer.output.append(UInt8(ascii: "\n")) }
        return writer.output
    }

    /// Integers print without a fraction; other numbers in plain decimal
    /// notation with the fewest digits that read back as the same `Double`.
    public static func format(_ number: Double) -> String {
        if let integer = Int64(exactly: number) { return String(integer) }
        let shortest = "\(number)"
        guard shortest.contains("e"), let decimal = Decimal(string: shortest) else { return shortest }
        return "\(decimal)"
    }

    public static func quoted(_ text: String) -> String {
        var writer = Writer(style: .compact)
        writer.writeString(text)
        return String(decoding: writer.output, as: UTF8.self)
    }

    private struct Writer {
        let style: Style
        var output: [UInt8] = []

        init(style: Style) {
            self.style = style
            output.reserveCapacity(4096)
        }

        mutating func write(_ value: JSONValue, indent: Int) {
            switch value {
            case .null: output += "null".utf8
            case .bool(let flag): output += (flag ? "true" : "false").utf8
            case .number(let number):
                if let integer = Int(exactly: number) {
                    output += String(integer).utf8
                } else {
                    output += JSONSerializer.format(number).utf8
                }
            case .string(let text): writeString(text)
            case .array(let elements):
                guard !elements.isEmpty else {
                    output += "[]".utf8
                    return
                }
                output.append(UInt8(ascii: "["))
                for (offset, element) in elements.enumerated() {
                    if offset > 0 { output.append(UInt8(ascii: ",")) }
                    newline(indent + 1)
                    write(element, indent: indent + 1)
                }
                newline(indent)
                output.append(UInt8(ascii: "]"))
            case .object(let members):
                guard !members.isEmpty else {
                    output += "{}".utf8
                    return
                }
                let ordered = style == .canonical ? members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : members
                output.append(UInt8(ascii: "{"))
                for (offset, member) in ordered.enumerated() {
                    if offset > 0 { output.append(UInt8(ascii: ",")) }
                    newline(indent + 1)
                    writeString(member.key)
                    output.append(UInt8(ascii: ":"))
                    if style == .pretty { output.append(UInt8(ascii: " ")) }
                    write(member.value, indent: indent + 1)
                }
                newline(indent)
                output.append(UInt8(ascii: "}"))
            }
        }

        mutating func newline(_ indent: Int) {
            guard style == .pretty else { return }
            output.append(UInt8(ascii: "\n"))
            output += repeatElement(UInt8(ascii: " "), count: 2 * indent)
        }

        /// Appends the quoted string, copying runs that need no escape at once.
        mutating func writeString(_ text: String) {
            output.append(UInt8(ascii: "\""))
            var text = text
            text.withUTF8 { bytes in
                // An index loop, not `enumerated()`: the same in a release build, and several times faster in a
                // debug one (the tests, the browser suite's demo data), where every string of every answer passes here.
                var runStart = 0
                var index = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                        appendEscape(byte)
                        runStart = index + 1
                    }
                    index += 1
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
            }
            output.append(UInt8(ascii: "\""))
        }

        private mutating func appendEscape(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "\""): output += #"\""#.utf8
            case UInt8(ascii: "\\"): output += #"\\"#.utf8
            case UInt8(ascii: "\n"): output += #"\n"#.utf8
            case UInt8(ascii: "\r"): output += #"\r"#.utf8
            case UInt8(ascii: "\t"): output += #"\t"#.utf8
            case 0x08: output += #"\b"#.utf8
            case 0x0C: output += #"\f"#.utf8
            default:
                let hex = Array("0123456789abcdef".utf8)
                output += #"\u00"#.utf8
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            }
        }
    }
}
