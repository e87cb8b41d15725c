import Crypto
import Fluent
import Foundation
import Vapor

/// An MFA backup code, usable once. Stored salted (`s1$<salt>$<digest>`,
/// the digest being SHA-256 of the salt and the code's plain SHA-256), so
/// that no table computed once cracks the codes of every account.
final class BackupCode: Model, @unchecked Sendable {
    static let schema = "backup_codes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(userID: UUID, code: String) {
        self.$user.id = userID
        self.codeHash = Self.salted(plainDigest: Self.plainDigest(code))
    }

    /// SHA-256 of the code as typed, without dashes or case.
    static func plainDigest(_ code: String) -> String {
        SHA256.hash(data: Data(code.uppercased().filter { $0.isLetter || $0.isNumber }.utf8)).hex
    }

    /// The stored form of a plain digest, under a new random salt.
    static func salted(plainDigest: String, salt: [UInt8] = .random(count: 16)) -> String {
        let hexSalt = Data(salt).hex
        return "s1$" + hexSalt + "$" + digest(plainDigest, hexSalt: hexSalt)
    }

    private static func digest(_ plainDigest: String, hexSalt: String) -> String {
        SHA256.hash(data: Data((hexSalt + plainDigest).utf8)).hex
    }

    /// Whether a stored value is this code, compared in constant time.
    static func matches(stored: String, code: String) -> Bool {
        // A plain digest that an instance of the release before wrote during a rolling deploy; used once, it is gone.
        if stored.count == 64, !stored.contains("$") { return WebSession.same(plainDigest(code), stored) }
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 3, parts[0] == "s1" else { return false }
        return WebSession.same(digest(plainDigest(code), hexSalt: parts[1]), parts[2])
    }
}
