import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// Documents in an S3 bucket (AWS, or any S3-compatible endpoint), under
/// content-addressed keys `documents/ab/cd/abcd…`. A key is written once:
/// when it exists already, the upload is skipped, so a versioned bucket
/// keeps one version per document.
struct S3Storage: DocumentStorage {
    enum Failure: Error, CustomStringConvertible {
        case notFound(String)
        case status(String, UInt, String)
        var description: String {
            switch self {
            case .notFound(let key): "the object \(key) is not in the bucket"
            case .status(let method, let code, let body): "S3 \(method) answered \(code): \(body.prefix(300))"
            }
        }
    }

    let settings: Config.ObjectStore
    let client: HTTPClient
    var timeout: TimeAmount = .seconds(30)

    private var signer: SigV4Signer {
        SigV4Signer(accessKeyID: settings.accessKeyID, secretAccessKey: settings.secretAccessKey, region: settings.region)
    }

    static func key(_ sha256: String) -> String {
        "documents/\(sha256.prefix(2))/\(sha256.dropFirst(2).prefix(2))/\(sha256)"
    }

    /// The URL of an object, and the host and encoded path that are signed.
    func location(_ key: String) -> (url: String, host: String, path: String) {
        let encodedKey = SigV4Signer.encode(key, keepSlash: true)
        if let endpoint = settings.endpoint, let components = URLComponents(string: endpoint), let host = components.host {
            let authority = components.port.map { "\(host):\($0)" } ?? host
            let path = "/\(SigV4Signer.encode(settings.bucket))/\(encodedKey)"
            return ("\(components.scheme ?? "https")://\(authority)\(path)", authority, path)
        }
        let host = "\(settings.bucket).s3.\(settings.region).amazonaws.com"
        return ("https://\(host)/\(encodedKey)", host, "/\(encodedKey)")
    }

    func store(_ bytes: Data, sha256: String) async throws {
        let key = Self.key(sha256)
        if try await send("HEAD", key: key).status == .ok { return }
        let response = try await send(
            "PUT", key: key, body: bytes, payloadSHA256: sha256, headers: ["content-type": "application/octet-stream"])
        guard response.status == .ok else { throw try await failure("PUT", response) }
    }

    /// A PUT whose body is read from the staged file a chunk at a time; its
    /// SHA-256, known already, signs the payload.
    func store(file: URL, size: Int, sha256: String) async throws {
        defer { try? FileManager.default.removeItem(at: file) }
        let key = Self.key(sha256)
        if try await send("HEAD", key: key).status == .ok { return }
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw Failure.notFound(file.path) }
        defer { try? handle.close() }
        // Read on demand: a chunk is read when the client asks for the next one.
        let chunks = AsyncThrowingStream<ByteBuffer, any Error> {
            guard let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty else { return nil }
            return ByteBuffer(data: chunk)
        }
        let response = try await send(
            "PUT", key: key, stream: (chunks, size), payloadSHA256: sha256, headers: ["content-type": "application/octet-stream"])
        guard response.status == .ok else { throw try await failure("PUT", response) }
    }

    var stagingDirectory: URL { FileManager.default.temporaryDirectory.appendingPathComponent("cleanstation-uploads") }

    func read(sha256: String) async throws -> Data {
        let key = Self.key(sha256)
        let response = try await send("GET", key: key)
        if response.status == .notFound { throw Failure.notFound(key) }
        guard response.status == .ok else { throw try await failure("GET", response) }
        return Data(buffer: try await response.body.collect(upTo: 1 << 30))
    }

    /// Writes an object under its own key (not content-addressed), with
    /// extra headers such as Object Lock's; the body's MD5 goes along, as S3
    /// asks of a locked write.
    func putObject(_ key: String, body: Data, headers extra: [String: String]) async throws {
        var headers = extra
        headers["content-md5"] = Data(Insecure.MD5.hash(data: body)).base64EncodedString()
        let response = try await send("PUT", key: key, body: body, payloadSHA256: SHA256.hash(data: body).hexString, headers: headers)
        guard response.status == .ok else { throw try await failure("PUT", response) }
    }

    func getObject(_ key: String) async throws -> Data {
        let response = try await send("GET", key: key)
        if response.status == .notFound { throw Failure.notFound(key) }
        guard response.status == .ok else { throw try await failure("GET", response) }
        return Data(buffer: try await response.body.collect(upTo: 1 << 24))
    }

    /// Every key under `prefix` (ListObjectsV2, a thousand at a time).
    func keys(prefix: String) async throws -> [String] {
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
    private static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    private func send(
        _ method: String, key: String, query: [(String, String)] = [], body: Data? = nil,
        stream: (AsyncThrowingStream<ByteBuffer, any Error>, Int)? = nil, payloadSHA256: String = emptySHA256,
        headers: [String: String] = [:]
    ) async throws -> HTTPClientResponse {
        var (url, host, path) = location(key)
        let canonicalQuery = query.map { (SigV4Signer.encode($0.0), SigV4Signer.encode($0.1)) }.sorted { $0 < $1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        if !canonicalQuery.isEmpty { url += "?" + canonicalQuery }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        var signedHeaders = headers
        signedHeaders["host"] = host
        let signature = signer.sign(method: method, path: path, query: query, headers: signedHeaders, payloadSHA256: payloadSHA256)
        for (name, value) in signedHeaders.merging(signature, uniquingKeysWith: { $1 }) {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        if let (chunks, length) = stream { request.body = .stream(chunks, length: .known(Int64(length))) }
        return try await client.execute(request, timeout: timeout)
    }

    private func failure(_ method: String, _ response: HTTPClientResponse) async throws -> Failure {
        let body = try await response.body.collect(upTo: 64 * 1024)
        return .status(method, response.status.code, String(buffer: body))
    }
}
