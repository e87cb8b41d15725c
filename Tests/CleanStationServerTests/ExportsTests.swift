import CleanStationCore
import CleanStationExports
import CleanStationTestSupport
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

/// The printable exports over HTTP: BOM as PDF, QC certificates, QR codes.
@Suite struct ExportsTests {
    @Test(arguments: TestDatabase.all)
    func bomPDFAndQRCodesOfABuild(database: TestDatabase) async throws {
        try await withTestApp(database, adjust: { $0.publicURL = "https://cleanstation.torvan.test" }) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try await app.createOrder(headers: coordinator)
            let base = "api/v1/orders/\(orderID)/builds/B1001"

            let pdf = try await app.testing().sendRequest(.GET, "\(base)/bom?format=pdf", headers: coordinator)
            #expect(pdf.status == .ok)
            #expect(pdf.headers.contentType?.description == "application/pdf")
            #expect(pdf.headers.first(name: .contentDisposition) == "attachment; filename=\"B1001-bom.pdf\"")
            let text = try PDFText.of(Data(buffer: pdf.body))
            let bom = try await app.testing().sendRequest(.GET, "\(base)/bom", headers: coordinator).json
            #expect(text.contains("Build B1001"))
            #expect(text.contains("Order PO-2026-0042"))
            for line in bom["lines"]?.array ?? [] { #expect(text.contains(try #require(line["id"]?.string))) }
            for shown in ["709.82", "720.215.001", "T2-ADW-BASIN-26X20X9", "color=GREEN"] { #expect(text.contains(shown), "\(shown)") }

            let bad = try await app.testing().sendRequest(.GET, "\(base)/bom?format=docx", headers: coordinator)
            #expect(bad.status == .unprocessableEntity)
            #expect(try bad.json["error"]?["details"]?.array.first?["field"] == "format")

            let svg = try await app.testing().sendRequest(.GET, "\(base)/qr", headers: coordinator)
            #expect(svg.status == .ok)
            #expect(svg.headers.contentType?.description == "image/svg+xml")
            #expect(svg.body.string.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            let png = try await app.testing().sendRequest(.GET, "\(base)/qr?format=png", headers: coordinator)
            #expect(png.headers.contentType?.description == "image/png")
            #expect(Data(buffer: png.body).starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(try await app.testing().sendRequest(.GET, "\(base)/qr?format=gif", headers: coordinator).status == .unprocessableEntity)
            #expect(
                try await app.testing().sendRequest(.GET, "api/v1/orders/\(orderID)/builds/B9999/qr", headers: coordinator).status
                    == .notFound)

            // The QR code is libqrencode's rendering of the build's public link.
            let expected = try QRCode("https://cleanstation.torvan.test/orders/\(orderID)/builds/B1001").svg()
            #expect(svg.body.string == expected)

            let service = try await app.signIn(.serviceDepartment)
            #expect(try await app.testing().sendRequest(.GET, "\(base)/qr", headers: service).status == .notFound)

            let assembly = try #require(bom["items"]?.array.first?["id"]?.string)
            let item = try await app.testing().sendRequest(.GET, "api/v1/catalog/items/\(assembly)/qr", headers: service)
            #expect(item.status == .ok)
            #expect(item.body.string == (try QRCode("https://cleanstation.torvan.test/catalog/items/\(assembly)").svg()))
            #expect(try await app.testing().sendRequest(.GET, "api/v1/catalog/items/NOPE-1/qr", headers: service).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func certificateOfASignedResult(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let procurement = try await app.signIn(.procurementSpecialist)
            let qc = try await app.signIn(.qcPerson)
            let client = JourneyTests.Client(app: app, orderID: try await app.createOrder(headers: coordinator))
            let path = "api/v1/orders/\(client.orderID)/builds/B1001/checklists/pre-qc/certificate"
            #expect(try await app.testing().sendRequest(.GET, path, headers: qc).status == .notFound, "nothing signed yet")

            for build in ["B1001", "B1002"] {
                _ = try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(client.orderID)/builds/\(build)/bom/approve", headers: procurement)
            }
            #expect(try await client.move(procurement, "PARTS_SENT").status == .ok)
            #expect(try await client.move(procurement, "READY_FOR_PRE_QC").status == .ok)
            var upload = coordinator
            let (headers, drawing) = DocumentsTests.multipart(kind: "DRAWING", file: ("drawing.pdf", "application/pdf", DocumentsTests.pdf))
            for (name, value) in headers { upload.replaceOrAdd(name: name, value: value) }
            _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(client.orderID)/documents", headers: upload, body: drawing)
            let failed = try await client.sign(qc, "B1001", "pre-qc", failing: "pre-qc.dimensions-bom")
            #expect(failed.status == .created)
            let sha256 = try #require(try failed.json["signature"]?["sha256"]?.string)

            let response = try await app.testing().sendRequest(.GET, path, headers: qc)
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.description == "application/pdf")
            let text = try PDFText.of(Data(buffer: response.body))
            #expect(text.contains("Outcome: FAIL"))
            #expect(text.contains("Failed items:"))
            #expect(text.contains("Signed by Test QC_PERSON"))
            #expect(text.contains(sha256))
            #expect(text.contains("Build B1001 · order PO-2026-0042"))
            // Items are printed by their text, not their id: the failed one in the summary, every answer in the list.
            let instance = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(client.orderID)/builds/B1001/checklists/pre-qc", headers: qc
            ).json
            let items = instance["sections"]?.array.flatMap { $0["items"]?.array ?? [] } ?? []
            let failedText = try #require(items.first { $0["id"] == "pre-qc.dimensions-bom" }?["text"]?.string)
            #expect(text.contains("Failed items: " + failedText.split(separator: " ").prefix(3).joined(separator: " ")))
            #expect(text.contains("(FAIL)"), "the failed answer is marked in the list")
            #expect(!text.contains("pre-qc.dimensions-bom"), "ids are not shown")
            // Items that do not apply are printed as N/A with the reason: basin 2 is an E-Sink, with no drain button.
            #expect(text.contains("Drain button (basin 2)"))
            #expect(text.contains("needs T2-BSN-DRAIN-BTN in"))

            let other = try await app.testing().sendRequest(.GET, "\(path)?result=\(UUID())", headers: qc)
            #expect(other.status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "\(path)?result=nope", headers: qc).status == .unprocessableEntity)
        }
    }
}
