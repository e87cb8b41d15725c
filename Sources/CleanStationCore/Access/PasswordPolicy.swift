/// The password rules of security.md: at least 12 characters with upper-
/// and lower-case letters, a digit and a special character, and not a
/// common password.
public enum PasswordPolicy {
    public static let minimumLength = 12

    static let common: Set<String> = [
        "password1234", "password123!", "qwerty123456", "123456789012", "iloveyou1234", "welcome12345", "admin1234567",
        "letmein12345", "changeme1234", "p@ssw0rd1234", "password@123", "passw0rd!234", "welcome@2024", "welcome@2025",
        "welcome@2026", "summer2024!!", "winter2025!!", "qwertyuiop12", "1q2w3e4r5t6y", "abc123456789",
    ]

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
        let checks: [(String, (Character) -> Bool)] = [
            ("an upper-case letter", \.isUppercase), ("a lower-case letter", \.isLowercase), ("a digit", \.isNumber),
            ("a special character", { !$0.isLetter && !$0.isNumber && !$0.isWhitespace }),
        ]
        let missing = checks.filter { check in !password.contains(where: check.1) }.map(\.0)
        if !missing.isEmpty { return "must contain " + missing.joined(separator: ", ") }
        if common.contains(password.lowercased()) { return "is one of the most common passwords" }
        if let email, password.lowercased().contains(email.lowercased().split(separator: "@").first.map(String.init) ?? email) {
            return "must not contain the e-mail address"
        }
        return nil
    }
}
