import Crypto
import Foundation
import Vapor

/// AES-256-GCM for fields encrypted at rest (security.md). A value is
/// stored as `kid:base64(nonce|ciphertext|tag)`, the key id being the first
/// 8 hex digits of the key's SHA-256, so that keys can rotate.
struct FieldCipher: Sendable {
    let key: SymmetricKey
    let kid: String

    init(keyData: Data) {
        key = SymmetricKey(data: keyData)
        kid = String(SHA256.hash(data: keyData).hex.prefix(8))
    }

    func seal(_ plaintext: [UInt8]) throws -> String {
        let box = try AES.GCM.seal(plaintext, using: key)
        return kid + ":" + box.combined!.base64EncodedString()
    }

    func open(_ stored: String) throws -> [UInt8] {
        let parts = stored.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0] == kid, let data = Data(base64Encoded: String(parts[1])) else {
            throw CipherError.unknownKey
        }
        return Array(try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: key))
    }

    enum CipherError: Error {
        case unknownKey
    }
}
