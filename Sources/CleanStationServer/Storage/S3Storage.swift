import CleanStationS3
import Foundation

/// Documents in an S3 bucket (AWS, or any S3-compatible endpoint), under
/// content-addressed keys `documents/ab/cd/abcd…`. A key is written once:
/// when it exists already, the upload is skipped, so a versioned bucket
/// keeps one version per document.
struct S3Storage: DocumentStorage {
    let client: S3Client

    static func key(_ sha256: String) -> String {
        "documents/\(sha256.prefix(2))/\(sha256.dropFirst(2).prefix(2))/\(sha256)"
    }

    func store(_ bytes: Data, sha256: String) async throws {
        let key = Self.key(sha256)
        if try await client.exists(key) { return }
        try await client.put(key, body: bytes, headers: ["content-type": "application/octet-stream"])
    }

    func store(record bytes: Data, sha256: String, lockedForDays days: Int) async throws {
        let key = Self.key(sha256)
        if try await client.exists(key) { return }
        var headers = ["content-type": "application/octet-stream"]
        if days > 0 {
            headers["x-amz-object-lock-mode"] = "COMPLIANCE"
            headers["x-amz-object-lock-retain-until-date"] = AuditLog.timestamp(Date().addingTimeInterval(Double(days) * 86_400))
        }
        try await client.put(key, body: bytes, headers: headers)
    }

    /// A PUT whose body is read from the staged file a chunk at a time.
    func store(file: URL, size: Int, sha256: String) async throws {
        defer { try? FileManager.default.removeItem(at: file) }
        let key = Self.key(sha256)
        if try await client.exists(key) { return }
        try await client.put(key, file: file, size: size, sha256: sha256, headers: ["content-type": "application/octet-stream"])
    }

    var stagingDirectory: URL { FileManager.default.temporaryDirectory.appendingPathComponent("cleanstation-uploads") }

    func read(sha256: String) async throws -> Data {
        try await client.get(Self.key(sha256), limit: 1 << 30)
    }
}
