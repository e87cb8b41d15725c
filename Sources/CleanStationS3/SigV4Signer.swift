import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests, header-based
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
/// The payload hash is always sent and signed: `x-amz-content-sha256`.
/// Temporary credentials add their session token as `x-amz-security-token`,
/// signed with the other headers.
public struct SigV4Signer: Sendable {
    public var credentials: S3Credentials
    public var region: String
    public var service = "s3"

    public init(credentials: S3Credentials, region: String) {
        self.credentials = credentials
        self.region = region
    }

    /// The headers to add to the request: `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` for temporary credentials, and `authorization`.
    /// `path` is the already-encoded path; `headers` are the other headers to sign (host included).
    public func sign(
        method: String, path: String, query: [(String, String)] = [], headers: [String: String], payloadSHA256: String,
        date: Date = Date()
    ) -> [String: String] {
        let amzDate = Self.timestamp(date)
        let day = String(amzDate.prefix(8))
        var signed = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value.trimmingCharacters(in: .whitespaces)) })
        signed["x-amz-date"] = amzDate
        signed["x-amz-content-sha256"] = payloadSHA256
        if let token = credentials.sessionToken { signed["x-amz-security-token"] = token }
        let names = signed.keys.sorted()
        let canonicalQuery = query.map { (Self.encode($0.0), Self.encode($0.1)) }.sorted { $0 < $1 }.map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
        let canonicalRequest = [
            method, path, canonicalQuery, names.map { "\($0):\(signed[$0]!)\n" }.joined(), names.joined(separator: ";"), payloadSHA256,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8)))]
            .joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        var added = [
            "x-amz-date": amzDate, "x-amz-content-sha256": payloadSHA256,
            "authorization":
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(names.joined(separator: ";")), "
                + "Signature=\(signature)",
        ]
        added["x-amz-security-token"] = credentials.sessionToken
        return added
    }

    /// `20130524T000000Z`.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }

    /// RFC 3986 unreserved characters stay, everything else is percent-encoded (SigV4's UriEncode).
    public static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
        if keepSlash { allowed.insert("/") }
        return text.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    public static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
