import Crypto
import CryptoExtras
import JWT
import JWTKit
import Vapor

/// The RS256 key the server signs with, and its `kid`: the first 16 hex
/// digits of the SHA-256 of the public key, so that keys can rotate.
enum SigningKeys {
    static func install(on app: Application, config: Config) async throws {
        let privateKey: JWTKit.Insecure.RSA.PrivateKey
        if let pem = config.jwtPrivateKeyPEM {
            privateKey = try JWTKit.Insecure.RSA.PrivateKey(pem: pem)
        } else {
            privateKey = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        }
        let publicKey = privateKey.publicKey
        let kid = SHA256.hash(data: publicKey.derRepresentation).hexString.prefix(16)
        await app.jwt.keys.add(rsa: privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: String(kid)))
        if let pem = config.jwtPublicKeyPEM, let extra = try? JWTKit.Insecure.RSA.PublicKey(pem: pem), extra != publicKey {
            let extraKid = SHA256.hash(data: extra.derRepresentation).hexString.prefix(16)
            await app.jwt.keys.add(rsa: extra, digestAlgorithm: .sha256, kid: JWKIdentifier(string: String(extraKid)))
        }
        app.storage[KidKey.self] = String(kid)
    }

    struct KidKey: StorageKey {
        typealias Value = String
    }
}

extension Application {
    /// The `kid` new tokens are signed with.
    var signingKid: JWKIdentifier {
        JWKIdentifier(string: storage[SigningKeys.KidKey.self] ?? "")
    }
}
