import Crypto
import Foundation
import Vapor

/// The web pages' cookies (security.md): the session cookie names a row of
/// `sessions` (the same rows the API's tokens name) and is signed, so that a
/// forged id is refused before the database is asked; the CSRF cookie holds
/// a random nonce whose signature every form must carry (a signed double
/// submit, bound to the session). Both are HttpOnly and SameSite=Strict, and
/// Secure whenever the public address is https, and always in staging and
/// production.
struct WebSession: Sendable {
    static let sessionCookie = "cs_session"
    static let csrfCookie = "cs_csrf"
    static let flashCookie = "cs_flash"
    static let csrfField = "_csrf"

    let key: SymmetricKey
    let secure: Bool

    /// Keys derived from the field-encryption key, so that every instance
    /// of a deployment signs alike without another secret to manage.
    init(encryptionKey: SymmetricKey, publicURL: String, deployed: Bool) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: encryptionKey, info: Data("cleanstation web cookies v1".utf8), outputByteCount: 32)
        secure = deployed || publicURL.lowercased().hasPrefix("https://")
    }

    func sign(_ value: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)).base64URLEncodedString()
    }

    func sessionValue(_ sessionID: UUID) -> String {
        let id = sessionID.uuidString.lowercased()
        return id + "." + sign("session:" + id)
    }

    func sessionID(from value: String) -> UUID? {
        let parts = value.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let id = UUID(uuidString: parts[0]), Self.same(sign("session:" + parts[0]), parts[1]) else { return nil }
        return id
    }

    /// The form token of a nonce within a session (none before sign-in).
    func csrfToken(nonce: String, session: UUID?) -> String {
        sign("csrf:" + nonce + "|" + (session?.uuidString.lowercased() ?? "-"))
    }

    func cookie(_ value: String, maxAge: Int? = nil) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, maxAge: maxAge, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .strict)
    }

    /// Compares in time independent of where the texts differ.
    static func same(_ left: String, _ right: String) -> Bool {
        let left = Array(left.utf8)
        let right = Array(right.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func randomNonce() -> String {
        Data([UInt8].random(count: 24)).base64URLEncodedString()
    }
}

struct WebSessionKey: StorageKey {
    typealias Value = WebSession
}

extension Application {
    var webSession: WebSession { storage[WebSessionKey.self]! }
}

extension Request {
    /// This browser's CSRF nonce: the cookie's, or a new one that the page
    /// middleware sets on the response.
    var csrfNonce: String {
        if let nonce = storage[CSRFNonceKey.self] { return nonce }
        let nonce = cookies[WebSession.csrfCookie]?.string ?? WebSession.randomNonce()
        storage[CSRFNonceKey.self] = nonce
        return nonce
    }

    var csrfToken: String { application.webSession.csrfToken(nonce: csrfNonce, session: sessionCookieID) }

    /// The session the cookie names, when its signature holds.
    var sessionCookieID: UUID? {
        guard let value = cookies[WebSession.sessionCookie]?.string else { return nil }
        return application.webSession.sessionID(from: value)
    }
}

struct CSRFNonceKey: StorageKey {
    typealias Value = String
}
