import Crypto
import Foundation

/// RFC 6238 time-based one-time passwords: HMAC-SHA1, 30-second steps,
/// 6 digits, one step of clock drift either way. No package on this
/// machine's list implements it; it is this small.
enum TOTP {
    static let step: TimeInterval = 30
    static let digits = 6

    static func code(secret: [UInt8], counter: Int64) -> String {
        var big = counter.bigEndian
        let message = withUnsafeBytes(of: &big) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let modulus: UInt32 = 1_000_000
        let text = String(value % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    static func counter(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / step).rounded(.down))
    }

    /// The time step a code matches within one step of `date`, or `nil`.
    static func matchingStep(_ code: String, secret: [UInt8], at date: Date) -> Int64? {
        let now = counter(at: date)
        return [now, now - 1, now + 1].first { Self.code(secret: secret, counter: $0) == code }
    }

    static func randomSecret() -> [UInt8] {
        (0..<20).map { _ in UInt8.random(in: 0...255) }
    }
}

/// RFC 4648 base32 without padding, as authenticator apps expect.
enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    static func encode(_ bytes: [UInt8]) -> String {
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }

    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer = 0
        var bits = 0
        for character in text.uppercased() where character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return output
    }
}
