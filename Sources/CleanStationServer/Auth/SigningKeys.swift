import Crypto
import CryptoExtras
import JWT
import JWTKit
import Vapor

/// The RS256 key the server signs with, and its `kid`: the first 16 hex
/// digits of the SHA-256 of the public key, so that keys can rotate.
enum SigningKeys {
    static func install(on app: Application, config: Config) async throws {
        let rsa =
            try config.jwtPrivateKeyPEM.map { try _RSA.Signing.PrivateKey(pemRepresentation: $0) }
            ?? _RSA.Signing.PrivateKey(keySize: .bits2048)
        let privateKey = try JWTKit.Insecure.RSA.PrivateKey(backing: rsa)
        let publicKey = privateKey.publicKey
        let kid = SHA256.hash(data: publicKey.derRepresentation).hex.prefix(16)
        await app.jwt.keys.add(rsa: privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: String(kid)))
        if let pem = config.jwtPublicKeyPEM, let extra = try? JWTKit.Insecure.RSA.PublicKey(pem: pem), extra != publicKey {
            let extraKid = SHA256.hash(data: extra.derRepresentation).hex.prefix(16)
            await app.jwt.keys.add(rsa: extra, digestAlgorithm: .sha256, kid: JWKIdentifier(string: String(extraKid)))
        }
        app.storage[KidKey.self] = String(kid)
        app.storage[RecordSignerKey.self] = RecordSigner(key: rsa, keyID: String(kid))
    }

    struct KidKey: StorageKey {
        typealias Value = String
    }

    struct RecordSignerKey: StorageKey {
        typealias Value = RecordSigner
    }
}

/// Signs what must be verifiable by someone who has neither the database
/// nor the audit seal's key (a device history record): RSASSA-PSS with
/// SHA-256 under the server's RS256 key, named by the same `kid`. Its
/// public half (`JWT_PUBLIC_KEY`) is all `cleanstation dhr verify` needs.
struct RecordSigner: Sendable {
    static let algorithm = "PS256"
    let key: _RSA.Signing.PrivateKey
    let keyID: String

    func sign(_ bytes: Data) throws -> Data {
        try key.signature(for: bytes, padding: .PSS).rawRepresentation
    }

    /// The `kid` of a public key: the first 16 hex digits of the SHA-256 of its DER form.
    static func keyID(of publicKey: _RSA.Signing.PublicKey) -> String {
        String(SHA256.hash(data: publicKey.derRepresentation).hex.prefix(16))
    }

    /// Whether `signature` over `bytes` was made by the private half of `publicKey`.
    static func holds(_ signature: Data, over bytes: Data, by publicKey: _RSA.Signing.PublicKey) -> Bool {
        publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: bytes, padding: .PSS)
    }
}

extension Application {
    /// The `kid` new tokens are signed with.
    var signingKid: JWKIdentifier {
        JWKIdentifier(string: storage[SigningKeys.KidKey.self] ?? "")
    }

    var recordSigner: RecordSigner { storage[SigningKeys.RecordSignerKey.self]! }
}
