import CleanStationCore
import Crypto
import Foundation
import Vapor

/// A `multipart/form-data` upload read as it arrives (issue 17): the file's
/// part is hashed and written to a staging file chunk by chunk on the
/// thread pool, so that no more than a chunk of it is ever in memory, and
/// the upload is refused (413) as soon as the file passes the limit. The
/// other fields are short texts. The caller stores the staged file
/// (`DocumentStorage.store(file:)`) or discards it.
struct StreamedUpload {
    struct StagedFile {
        var fileName: String
        var declaredType: String?
        var url: URL
        var size: Int
        var sha256: String
        /// The first bytes, for `ContentSniffer`.
        var head: Data
    }

    var fields: [String: String] = [:]
    var file: StagedFile?

    static let maximumFieldBytes = 4096
    static let maximumFields = 20

    /// Reads the request's body, collected or streamed, with the part named `fileField` staged in `staging`.
    static func read(_ request: Request, fileField: String, limit: Int, staging: URL) async throws -> StreamedUpload {
        guard let type = request.headers.contentType, type.type == "multipart", let boundary = type.parameters["boundary"],
            !boundary.isEmpty
        else {
            throw APIError.validation([FieldError(field: "", message: "send multipart/form-data with the fields kind and file")])
        }
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        let reader = Reader(fileField: fileField, limit: limit, staging: staging, threadPool: request.application.threadPool)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in reader.header(name, value) }
        parser.onBody = { buffer in reader.body(&buffer) }
        parser.onPartComplete = { reader.partComplete() }
        do {
            func feed(_ chunk: ByteBuffer) async throws {
                do {
                    try parser.execute(chunk)
                } catch {
                    throw APIError(.badRequest, "VALIDATION_ERROR", "The body is not valid multipart/form-data.")
                }
                try await reader.flush()
            }
            if let collected = request.body.data {
                try await feed(collected)
            } else {
                for try await chunk in request.body { try await feed(chunk) }
            }
            return try await reader.finish()
        } catch {
            reader.discard()
            throw error
        }
    }

    /// The parser's callbacks are synchronous: they queue the file's bytes,
    /// which `flush` writes after each chunk of the body.
    private final class Reader {
        let fileField: String
        let limit: Int
        let staging: URL
        let threadPool: NIOThreadPool
        var headers: [String: String] = [:]
        var fields: [String: String] = [:]
        var fieldBytes: [UInt8] = []
        var problem: APIError?
        // The file part.
        var handle: FileHandle?
        var url: URL?
        var fileName = ""
        var declaredType: String?
        var hasher = SHA256()
        var size = 0
        var head = Data()
        var pending: [ByteBuffer] = []
        var staged: StagedFile?

        init(fileField: String, limit: Int, staging: URL, threadPool: NIOThreadPool) {
            self.fileField = fileField
            self.limit = limit
            self.staging = staging
            self.threadPool = threadPool
        }

        /// The current part's name and file name, read from its headers once (not for every chunk of its body).
        private var part: (name: String?, fileName: String?)?
        private var fileDone = false

        private var current: (name: String?, fileName: String?) {
            if let part { return part }
            let disposition = headers["content-disposition"] ?? ""
            let read = (Self.parameter("name", of: disposition), Self.parameter("filename", of: disposition))
            part = read
            return read
        }

        var partName: String? { current.name }
        private var isFile: Bool { current.name == fileField && current.fileName != nil }

        func header(_ name: String, _ value: String) {
            headers[name.lowercased()] = value
            part = nil
        }

        func body(_ buffer: inout ByteBuffer) {
            guard problem == nil else { return }
            if isFile {
                guard !fileDone else {
                    problem = APIError.validation([FieldError(field: fileField, message: "send one file")])
                    return
                }
                if url == nil { openFile() }
                size += buffer.readableBytes
                if size > limit {
                    problem = APIError(.payloadTooLarge, "PAYLOAD_TOO_LARGE", "Files may have at most \(limit / 1_048_576) MiB.")
                    return
                }
                buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                if head.count < 16 { head.append(contentsOf: buffer.readableBytesView.prefix(16 - head.count)) }
                pending.append(buffer)
            } else {
                fieldBytes += buffer.readableBytesView
                if fieldBytes.count > StreamedUpload.maximumFieldBytes {
                    problem = APIError.validation([
                        FieldError(field: partName ?? "", message: "must have at most \(StreamedUpload.maximumFieldBytes) bytes")
                    ])
                }
            }
        }

        func partComplete() {
            if isFile {
                fileDone = fileDone || url != nil
            } else if let name = partName {
                if fields.count >= StreamedUpload.maximumFields {
                    problem = problem ?? APIError.validation([FieldError(field: "", message: "has too many fields")])
                }
                fields[name] = String(decoding: fieldBytes, as: UTF8.self)
            }
            headers = [:]
            part = nil
            fieldBytes = []
        }

        private func openFile() {
            fileName = current.fileName ?? ""
            declaredType = headers["content-type"]
            let url = staging.appendingPathComponent(".upload-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
            self.url = url
            handle = FileHandle(forWritingAtPath: url.path)
        }

        /// Writes what the last chunk brought, on the thread pool; throws the first problem met.
        func flush() async throws {
            if let problem { throw problem }
            guard !pending.isEmpty else { return }
            guard let handle else { throw APIError(.internalServerError, "INTERNAL_ERROR", "The upload could not be staged.") }
            let chunks = pending
            pending = []
            try await threadPool.runIfActive {
                for chunk in chunks { try handle.write(contentsOf: chunk.readableBytesView) }
            }
        }

        func finish() async throws -> StreamedUpload {
            try await flush()
            try handle?.close()
            handle = nil
            var upload = StreamedUpload(fields: fields)
            if let url {
                upload.file = StagedFile(
                    fileName: fileName, declaredType: declaredType, url: url, size: size, sha256: hasher.finalize().hex, head: head)
            }
            return upload
        }

        func discard() {
            try? handle?.close()
            handle = nil
            if let url { try? FileManager.default.removeItem(at: url) }
        }

        /// `name="value"` (or unquoted) from a `Content-Disposition` value.
        static func parameter(_ name: String, of value: String) -> String? {
            for piece in value.split(separator: ";").dropFirst() {
                let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == name else { continue }
                var text = pair[1]
                if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
                return text.replacingOccurrences(of: "\\\"", with: "\"")
            }
            return nil
        }
    }
}
