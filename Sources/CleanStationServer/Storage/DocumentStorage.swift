import Crypto
import Foundation

/// Where document bytes live, addressed by their SHA-256.
protocol DocumentStorage: Sendable {
    /// Stores the bytes under `sha256` unless they are there already.
    func store(_ bytes: Data, sha256: String) async throws
    /// Stores a staged file's bytes (`StreamedUpload`) without reading them
    /// into memory, then removes the staged file.
    func store(file: URL, size: Int, sha256: String) async throws
    func read(sha256: String) async throws -> Data
    /// Where uploads are staged while they arrive.
    var stagingDirectory: URL { get }
    /// Stores a record that must outlive anyone's wish to change it (a device
    /// history record): in a bucket, under S3 Object Lock in compliance mode
    /// for `days` when `days` > 0. Content-addressed, so never overwritten.
    func store(record bytes: Data, sha256: String, lockedForDays days: Int) async throws
}

extension DocumentStorage {
    func store(record bytes: Data, sha256: String, lockedForDays days: Int) async throws {
        try await store(bytes, sha256: sha256)
    }
}

/// Local disk, the default: `ROOT/ab/cd/abcd…`, written once through a
/// temporary file and a rename.
struct LocalDiskStorage: DocumentStorage {
    let root: URL

    func path(_ sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(String(sha256.dropFirst(2).prefix(2)))
            .appendingPathComponent(sha256)
    }

    func store(_ bytes: Data, sha256: String) async throws {
        let target = path(sha256)
        guard !FileManager.default.fileExists(atPath: target.path) else { return }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString)")
        try bytes.write(to: temporary)
        if rename(temporary.path, target.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            guard FileManager.default.fileExists(atPath: target.path) else { throw CocoaError(.fileWriteUnknown) }
        }
    }

    /// A rename within the same file system: the staging directory is under the root.
    func store(file: URL, size: Int, sha256: String) async throws {
        let target = path(sha256)
        defer { try? FileManager.default.removeItem(at: file) }
        guard !FileManager.default.fileExists(atPath: target.path) else { return }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if rename(file.path, target.path) != 0, !FileManager.default.fileExists(atPath: target.path) {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    var stagingDirectory: URL { root.appendingPathComponent(".incoming") }

    func read(sha256: String) async throws -> Data {
        try Data(contentsOf: path(sha256))
    }
}

/// The content type that a file's first bytes prove, for the types served
/// inline; everything else is served as an attachment.
enum ContentSniffer {
    static func verifiedType(of bytes: Data) -> String? {
        let head = [UInt8](bytes.prefix(8))
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        return nil
    }
}
