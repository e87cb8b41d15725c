import Crypto
import Foundation
import Vapor

/// The keyed half of the records' integrity (ADR 009): an HMAC-SHA256 over
/// each audit entry's hash, each signed checklist record's SHA-256 and each
/// checkpoint of the chain's head, with a key the database never holds
/// (`AUDIT_SIGNING_KEY`). Whoever can write the tables can recompute a
/// SHA-256 chain, but not these. The key id travels with each MAC, so a key
/// can be rotated while older records stay verifiable (`AUDIT_VERIFY_KEYS`).
struct RecordSeal: Sendable {
    let keyID: String
    private let key: SymmetricKey
    private let keys: [String: SymmetricKey]

    init(keyID: String, key: Data, olderKeys: [String: Data] = [:]) {
        self.keyID = keyID
        self.key = SymmetricKey(data: key)
        var keys = olderKeys.mapValues { SymmetricKey(data: $0) }
        keys[keyID] = self.key
        self.keys = keys
    }

    struct Mark: Sendable, Equatable {
        var keyID: String
        var mac: String
    }

    enum Check: Sendable, Equatable {
        case valid
        /// No MAC: written before keyed integrity, or added behind the application's back.
        case missing
        case unknownKey(String)
        case invalid
    }

    /// What is sealed, by kind, so that a MAC of one kind cannot pass for another.
    static func auditEntry(seq: Int64, hash: String) -> String { "audit-entry:\(seq):\(hash)" }
    static func checklistResult(id: String, sha256: String) -> String { "checklist-result:\(id):\(sha256)" }
    static func checkpoint(seq: Int64, hash: String, at: String) -> String { "audit-checkpoint:\(seq):\(hash):\(at)" }

    func seal(_ message: String) -> Mark {
        Mark(keyID: keyID, mac: Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)).hex)
    }

    func check(_ message: String, keyID: String?, mac: String?) -> Check {
        guard let keyID, let mac else { return .missing }
        guard let key = keys[keyID] else { return .unknownKey(keyID) }
        guard let bytes = Data(hex: mac) else { return .invalid }
        return HMAC<SHA256>.isValidAuthenticationCode(bytes, authenticating: Data(message.utf8), using: key) ? .valid : .invalid
    }
}

extension Data {
    init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
