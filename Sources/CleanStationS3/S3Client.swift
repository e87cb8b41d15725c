import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A bucket: on AWS (virtual-hosted addresses), or on an S3-compatible
/// server (`endpoint`, path-style), with where its credentials come from.
public struct S3Settings: Sendable, Equatable {
    public var bucket: String
    public var region: String
    /// An S3-compatible server (`S3_ENDPOINT`, path-style); nil for AWS.
    public var endpoint: String?
    public var credentials: S3CredentialSource

    public init(bucket: String, region: String, endpoint: String? = nil, credentials: S3CredentialSource) {
        self.bucket = bucket
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
    }
}

/// The few S3 calls the application makes (HEAD, GET, PUT, ListObjectsV2),
/// each signed with SigV4 and the provider's current credentials. One client
/// per bucket, shared, so that temporary credentials are fetched once.
/// No S3 library exists among the packages this project may use.
public struct S3Client: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case notFound(String)
        case status(String, UInt, String)
        public var description: String {
            switch self {
            case .notFound(let key): "the object \(key) is not in the bucket"
            case .status(let method, let code, let body): "S3 \(method) answered \(code): \(body.prefix(300))"
            }
        }
    }

    public let settings: S3Settings
    public let http: HTTPClient
    public let credentials: S3CredentialProvider
    public var timeout: TimeAmount = .seconds(30)

    public init(settings: S3Settings, http: HTTPClient, credentials: S3CredentialProvider? = nil) {
        self.settings = settings
        self.http = http
        self.credentials = credentials ?? S3CredentialProvider(source: settings.credentials, client: http)
    }

    /// The URL of an object, and the host and encoded path that are signed.
    public func location(_ key: String) -> (url: String, host: String, path: String) {
        let encodedKey = SigV4Signer.encode(key, keepSlash: true)
        if let endpoint = settings.endpoint, let components = URLComponents(string: endpoint), let host = components.host {
            let authority = components.port.map { "\(host):\($0)" } ?? host
            let path = "/\(SigV4Signer.encode(settings.bucket))/\(encodedKey)"
            return ("\(components.scheme ?? "https")://\(authority)\(path)", authority, path)
        }
        let host = "\(settings.bucket).s3.\(settings.region).amazonaws.com"
        return ("https://\(host)/\(encodedKey)", host, "/\(encodedKey)")
    }

    /// Whether the object is known to exist: HEAD answered 200. Any other
    /// answer (404, or 403 where the credentials may not list) says no, and
    /// a write that follows tells the truth.
    public func exists(_ key: String) async throws -> Bool {
        try await send("HEAD", key: key).status == .ok
    }

    /// Writes an object, with extra headers such as Object Lock's; the
    /// body's MD5 goes along, as S3 asks of a locked write.
    public func put(_ key: String, body: Data, headers extra: [String: String] = [:]) async throws {
        var headers = extra
        headers["content-md5"] = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
        let sha256 = SigV4Signer.hex(SHA256.hash(data: body))
        let response = try await send("PUT", key: key, body: .bytes(ByteBuffer(data: body)), payloadSHA256: sha256, headers: headers)
        guard response.status == .ok else { throw try await failure("PUT", response) }
    }

    /// A PUT whose body is read from a file a chunk at a time; its SHA-256,
    /// known already, signs the payload.
    public func put(_ key: String, file: URL, size: Int, sha256: String, headers: [String: String] = [:]) async throws {
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw Failure.notFound(file.path) }
        defer { try? handle.close() }
        // Read on demand: a chunk is read when the client asks for the next one.
        let chunks = AsyncThrowingStream<ByteBuffer, any Error> {
            guard let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty else { return nil }
            return ByteBuffer(data: chunk)
        }
        let response = try await send(
            "PUT", key: key, body: .stream(chunks, length: .known(Int64(size))), payloadSHA256: sha256, headers: headers)
        guard response.status == .ok else { throw try await failure("PUT", response) }
    }

    /// An object's bytes, up to `limit`.
    public func get(_ key: String, limit: Int = 1 << 24) async throws -> Data {
        let response = try await send("GET", key: key)
        if response.status == .notFound { throw Failure.notFound(key) }
        guard response.status == .ok else { throw try await failure("GET", response) }
        return Data(buffer: try await response.body.collect(upTo: limit))
    }

    /// Every key under `prefix` (ListObjectsV2, a thousand at a time).
    public func keys(prefix: String) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send("GET", key: "", query: query)
            guard response.status == .ok else { throw try await failure("LIST", response) }
            let text = String(buffer: try await response.body.collect(upTo: 1 << 24))
            keys += Self.elements("Key", in: text)
            token = Self.elements("IsTruncated", in: text).first == "true" ? Self.elements("NextContinuationToken", in: text).first : nil
        } while token != nil
        return keys
    }

    /// The texts of `<name>…</name>` in an S3 XML answer, unescaped.
    static func elements(_ name: String, in xml: String) -> [String] {
        xml.components(separatedBy: "<\(name)>").dropFirst().compactMap { $0.components(separatedBy: "</\(name)>").first }.map {
            $0.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    /// The hex SHA-256 of an empty payload.
    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    private func send(
        _ method: String, key: String, query: [(String, String)] = [], body: HTTPClientRequest.Body? = nil,
        payloadSHA256: String = emptySHA256, headers: [String: String] = [:]
    ) async throws -> HTTPClientResponse {
        var (url, host, path) = location(key)
        let canonicalQuery = query.map { (SigV4Signer.encode($0.0), SigV4Signer.encode($0.1)) }.sorted { $0 < $1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        if !canonicalQuery.isEmpty { url += "?" + canonicalQuery }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        var signedHeaders = headers
        signedHeaders["host"] = host
        let signer = SigV4Signer(credentials: try await credentials.current(), region: settings.region)
        let signature = signer.sign(method: method, path: path, query: query, headers: signedHeaders, payloadSHA256: payloadSHA256)
        for (name, value) in signedHeaders.merging(signature, uniquingKeysWith: { $1 }) {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        if let body { request.body = body }
        return try await http.execute(request, timeout: timeout)
    }

    private func failure(_ method: String, _ response: HTTPClientResponse) async throws -> Failure {
        let body = try await response.body.collect(upTo: 64 * 1024)
        return .status(method, response.status.code, String(buffer: body))
    }
}
