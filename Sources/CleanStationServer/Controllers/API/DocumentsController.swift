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
                        newValue: view(document)),
                    actor: request.auditActor, on: transaction)
            }
            let response = try await view(document).encodeResponse(for: request)
            response.status = .created
            return response
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

    static func list(_ request: Request) async throws -> JSONValue {
        let orderID = try request.uuidParameter("orderID", "The order")
        guard try await Order.find(orderID, on: request.db) != nil else { throw APIError.notFound("The order") }
        return .array(try await documents(of: orderID, on: request.db))
    }

    static func documents(of orderID: UUID, on database: any Database) async throws -> [JSONValue] {
        try await Document.query(on: database).filter(\.$order.$id == orderID).sort(\.$createdAt).sort(\.$id).all().map(view)
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

    static func view(_ document: Document) -> JSONValue {
        .object([
            JSONMember("id", .string(document.id?.uuidString.lowercased() ?? "")), JSONMember("kind", .string(document.kind.rawValue)),
            JSONMember("fileName", .string(document.fileName)), JSONMember("contentType", .string(document.contentType)),
            JSONMember("size", .number(Double(document.size))), JSONMember("sha256", .string(document.sha256)),
        ])
    }
}
