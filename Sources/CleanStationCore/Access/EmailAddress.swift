import Foundation

/// An account's e-mail address, as it is stored and sent to: trimmed and
/// lower-cased, printable ASCII only (no CR or LF that could add a header
/// to a message), one `@`, and a domain of dotted labels.
public enum EmailAddress {
    public static let maximumLength = 254
    public static let problem = "must be an e-mail address of at most \(maximumLength) characters, without spaces or line breaks"

    /// The stored form of `text`, or `nil` when it is not an address.
    public static func normalized(_ text: String) -> String? {
        let email = text.trimmingCharacters(in: [" "]).lowercased()
        guard email.utf8.count <= maximumLength,
            email.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0) })
        else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].count) else { return nil }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            })
        else { return nil }
        return email
    }
}
