import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct DocumentsTests {
    static let pdf = Data("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".utf8)
    /// The PNG signature and an empty header chunk: enough for the content check.
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52])

    /// A multipart/form-data body with the given fields; a file part is (name, type, bytes).
    static func multipart(
        kind: String?, file: (name: String, type: String, bytes: Data)?, fields: [(String, String)] = []
    ) -> (HTTPHeaders, ByteBuffer) {
        let boundary = "cleanstation-test-boundary"
        var body = Data()
        for (name, value) in (kind.map { [("kind", $0)] } ?? []) + fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n"
                    .utf8)
            body += file.bytes + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return (["Content-Type": "multipart/form-data; boundary=\(boundary)"], ByteBuffer(data: body))
    }

    @Test(arguments: TestDatabase.all)
    func uploadListAndDownload(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var coordinator = try await app.signIn(.productionCoordinator)
            let id = try await app.createOrder(headers: coordinator)
            let (headers, upload) = Self.multipart(kind: "DRAWING", file: ("sink.pdf", "application/pdf", Self.pdf))
            for (name, value) in headers { coordinator.replaceOrAdd(name: name, value: value) }
            let created = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: coordinator, body: upload)
            #expect(created.status == .created, "\(created.body.string)")
            #expect(try created.json["contentType"] == "application/pdf")
            #expect(try created.json["sha256"]?.string?.count == 64)
            #expect(try created.json["size"]?.number == Double(Self.pdf.count))
            let documentID = try #require(try created.json["id"]?.string)

            let (_, text) = Self.multipart(kind: "OTHER", file: ("notes.html", "text/html", Data("<script>alert(1)</script>".utf8)))
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: coordinator, body: text).status
                    == .created)

            let reader = try await app.signIn(.qcPerson)
            let detail = try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)", headers: reader)
            #expect(try detail.json["documents"]?.array.map { $0["kind"]?.string ?? "" } == ["DRAWING", "OTHER"])
            let download = try await app.testing().sendRequest(.GET, "api/v1/documents/\(documentID)", headers: reader)
            #expect(download.headers.contentType?.serialize() == "application/pdf")
            #expect(download.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(Data(buffer: download.body) == Self.pdf)
            let htmlID = try #require(try detail.json["documents"]?.array.last?["id"]?.string)
            let html = try await app.testing().sendRequest(.GET, "api/v1/documents/\(htmlID)", headers: reader)
            #expect(html.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            #expect(html.headers.contentType?.serialize() == "application/octet-stream")
        }
    }

    @Test func badUploadsAreRefusedAndNamed() async throws {
        try await withTestApp(.sqlite, adjust: { $0.uploadLimitBytes = 64 }) { app in
            var coordinator = try await app.signIn(.productionCoordinator)
            let id = try await app.createOrder(headers: coordinator)
            let (headers, _) = Self.multipart(kind: nil, file: nil)
            for (name, value) in headers { coordinator.replaceOrAdd(name: name, value: value) }
            let lying = Self.multipart(kind: "PHOTO", file: ("photo.png", "image/png", Data("not a png".utf8))).1
            let response = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: coordinator, body: lying)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.json["error"]?["details"]?.array.first?["field"] == "file")
            let noKind = Self.multipart(kind: "MEMO", file: ("a.txt", "text/plain", Data("x".utf8))).1
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: coordinator, body: noKind).status
                    == .unprocessableEntity)
            let large = Self.multipart(kind: "OTHER", file: ("big.bin", "application/octet-stream", Data(count: 65))).1
            let tooLarge = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: coordinator, body: large)
            #expect(tooLarge.status == .payloadTooLarge)
            #expect(tooLarge.errorCode == "PAYLOAD_TOO_LARGE")
            let service = try await app.signIn(.serviceDepartment)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)/documents", headers: service).status == .notFound)
        }
    }
}
