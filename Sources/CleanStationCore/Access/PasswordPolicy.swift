import Foundation

/// The password rules of security.md: at least 12 characters with upper-
/// and lower-case letters, a digit and a special character, and not a
/// common password.
public enum PasswordPolicy {
    public static let minimumLength = 12

    /// bcrypt reads only the first 72 bytes: a longer password would be
    /// accepted with anything after them.
    public static let maximumBytes = 72

    /// The 10,000 most common passwords (`Resources/common-passwords.txt`).
    static let common: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { preconditionFailure("Resources/common-passwords.txt is missing from CleanStationCore's bundle") }
        return Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
    }()

    public static var commonCount: Int { common.count }

    /// Whether a password is a common one dressed up: the list's entry
    /// itself, or one with digits and symbols around it and look-alike
    /// characters inside it (`P@ssw0rd2024!` is `password`).
    public static func isCommon(_ password: String) -> Bool {
        let lower = password.lowercased()
        if common.contains(lower) { return true }
        let core = lower.drop { !$0.isLetter }.reversed().drop { !$0.isLetter }.reversed()
        guard !core.isEmpty else { return false }
        let lookAlikes: [Character: Character] = ["@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"]
        let plain = String(core.map { lookAlikes[$0] ?? $0 })
        return common.contains(String(core)) || common.contains(plain) || common.contains(plain.replacingOccurrences(of: "i", with: "l"))
    }

    /// A one-time password for an account an administrator reset: 16
    /// characters from letters without look-alikes, digits and symbols,
    /// with every class the policy asks for.
    public static func temporaryPassword() -> String {
        let classes = [
            Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), Array("abcdefghijkmnpqrstuvwxyz"), Array("23456789"), Array("!#%+=?@"),
        ]
        while true {
            var characters = classes.map { $0.randomElement()! }
            let all = classes.flatMap { $0 }
            characters += (0..<12).map { _ in all.randomElement()! }
            let password = String(characters.shuffled())
            if problem(with: password) == nil { return password }
        }
    }

    /// Why the password is refused, or `nil` when it is acceptable.
    public static func problem(with password: String, email: String? = nil) -> String? {
        if password.count < minimumLength { return "must have at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes {
            return "must have at most \(maximumBytes) bytes (\(maximumBytes) letters without accents, fewer with them)"
        }
        let checks: [(String, (Character) -> Bool)] = [
            ("an upper-case letter", \.isUppercase), ("a lower-case letter", \.isLowercase), ("a digit", \.isNumber),
            ("a special character", { !$0.isLetter && !$0.isNumber && !$0.isWhitespace }),
        ]
        let missing = checks.filter { check in !password.contains(where: check.1) }.map(\.0)
        if !missing.isEmpty { return "must contain " + missing.joined(separator: ", ") }
        if isCommon(password) { return "is, or is made from, one of the 10,000 most common passwords" }
        if let email, password.lowercased().contains(email.lowercased().split(separator: "@").first.map(String.init) ?? email) {
            return "must not contain the e-mail address"
        }
        return nil
    }
}
