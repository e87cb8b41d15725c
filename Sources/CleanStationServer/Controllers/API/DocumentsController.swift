import CleanStationCore
import Crypto
import Fluent
import Vapor

/// Documents of an order (domain.md): uploaded as multipart form data,
/// checked against their bytes, stored by SHA-256, never overwritten.
enum DocumentsController {
    struct Upload: Content {
        var kind: String?
        var file: File?
    }

    /// Reads the form as it arrives (`StreamedUpload`): the file is hashed and
    /// staged chunk by chunk, refused once past `UPLOAD_LIMIT_MB`, and moved
    /// to storage without being held whole in memory.
    static func upload(_ request: Request) async throws -> Response {
        let response = try await stored(request).encodeResponse(for: request)
        response.status = .created
        return response
    }

    /// The uploaded document, stored and recorded (the API's upload, and a checklist's photo).
    static func stored(_ request: Request) async throws -> DocumentView {
        let orderID = try request.uuidParameter("orderID", "The order")
        let storage = request.application.documentStorage
        let upload = try await StreamedUpload.read(
            request, fileField: "file", limit: request.application.config.uploadLimitBytes, staging: storage.stagingDirectory)
        guard let file = upload.file else {
            throw APIError.validation(
                kindErrors(upload.fields["kind"]) + [FieldError(field: "file", message: "is required and must not be empty")])
        }
        do {
            var errors = kindErrors(upload.fields["kind"])
            if file.size == 0 { errors.append(FieldError(field: "file", message: "is required and must not be empty")) }
            let verified = ContentSniffer.verifiedType(of: file.head)
            if let declared = file.declaredType, ["application/pdf", "image/png", "image/jpeg"].contains(declared), declared != verified {
                errors.append(FieldError(field: "file", message: "is declared \(declared) but its content is not"))
            }
            let fileName = String(file.fileName.split(separator: "/").last ?? "").prefix(255)
            if fileName.isEmpty { errors.append(FieldError(field: "file", message: "needs a file name")) }
            guard errors.isEmpty, let kind = upload.fields["kind"].flatMap(Document.Kind.init(rawValue:)) else {
                throw APIError.validation(errors)
            }
            guard try await Order.find(orderID, on: request.db) != nil else { throw APIError.notFound("The order") }
            try await storage.store(file: file.url, size: file.size, sha256: file.sha256)
            let document = Document(
                orderID: orderID, kind: kind,
                file: OrderDraft.StoredFile(
                    sha256: file.sha256, fileName: String(fileName), contentType: verified ?? "application/octet-stream", size: file.size),
                uploadedBy: try request.principal().userID)
            try await request.db.transaction { transaction in
                try await document.create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "CREATE", resourceType: "document", resourceID: document.id?.uuidString.lowercased(),
                        newValue: try view(document).json),
                    actor: request.auditActor, on: transaction)
            }
            return view(document)
        } catch {
            try? FileManager.default.removeItem(at: file.url)
            throw error
        }
    }

    private static func kindErrors(_ kind: String?) -> [FieldError] {
        kind.flatMap(Document.Kind.init(rawValue:)) == nil
            ? [FieldError(field: "kind", message: "must be one of \(Document.Kind.allCases.map(\.rawValue).joined(separator: ", "))")]
            : []
    }

    static func list(_ request: Request) async throws -> APIList<DocumentView> {
        let orderID = try request.uuidParameter("orderID", "The order")
        guard try await Order.find(orderID, on: request.db) != nil else { throw APIError.notFound("The order") }
        return APIList(try await documents(of: orderID, on: request.db))
    }

    static func documents(of orderID: UUID, on database: any Database) async throws -> [DocumentView] {
        try await Document.of(order: orderID, on: database).map(view)
    }

    static func download(_ request: Request) async throws -> Response {
        let id = try request.uuidParameter("documentID", "The document")
        guard let document = try await Document.find(id, on: request.db) else { throw APIError.notFound("The document") }
        let bytes = try await request.application.documentStorage.read(sha256: document.sha256)
        try await AuditLog.recordExport(
            request, resourceType: "document", resourceID: id.uuidString.lowercased(),
            details: [
                JSONMember("export", "document"), JSONMember("fileName", .string(document.fileName)),
                JSONMember("sha256", .string(document.sha256)),
            ])
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        let safeName = document.fileName.replacingOccurrences(of: "\"", with: "")
        if ContentSniffer.verifiedType(of: bytes) == document.contentType {
            headers.replaceOrAdd(name: .contentType, value: document.contentType)
            headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(safeName)\"")
        } else {
            headers.replaceOrAdd(name: .contentType, value: "application/octet-stream")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(safeName)\"")
        }
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }

    /// A document of an order: what it is, and the SHA-256 of its bytes.
    struct DocumentView: APIResponse {
        var id: String
        var kind: Document.Kind
        var fileName: String
        var contentType: String
        var size: Int
        var sha256: String

        static let example = DocumentView(
            id: "8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5f6e", kind: .drawing, fileName: "T2-B1001-drawing.pdf", contentType: "application/pdf",
            size: 48_213, sha256: String(repeating: "cd", count: 32))
    }

    static func view(_ document: Document) -> DocumentView {
        DocumentView(
            id: document.id?.uuidString.lowercased() ?? "", kind: document.kind, fileName: document.fileName,
            contentType: document.contentType, size: Int(document.size), sha256: document.sha256)
    }
}
