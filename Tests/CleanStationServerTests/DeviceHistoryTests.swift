import CleanStationCore
import CleanStationTestSupport
import Crypto
import CryptoExtras
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// The device history record of a shipped build (issue 18, ADR 015): filed
/// once when it ships, every signed value in it, verifiable offline with
/// the public key alone, and refused when the database's records do not hold.
@Suite struct DeviceHistoryTests {
    /// The public half of the app's signing key, as an operator hands it to an auditor.
    static func publicKey(_ app: Application) -> String { app.recordSigner.key.publicKey.pemRepresentation }

    @Test(arguments: TestDatabase.all)
    func aShippedBuildsRecordHoldsEverySignedValueAndVerifies(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await NonconformanceTests.toFinalQC(app, people, po: "PO-DHR-1", builds: ["B5001"])
            #expect(try await client.sign(people.qc, "B5001", "final-qc").status == .created)
            #expect(try await NonconformanceTests.moveBuild(client, people.qc, "B5001", "READY_FOR_SHIP").status == .ok)
            let path = "api/v1/orders/\(client.orderID)/builds/B5001/device-history"
            let early = try await app.testing().sendRequest(.GET, path, headers: people.qc)
            #expect(early.status == .conflict, "filed when it ships")
            #expect(try early.json["error"]?["message"]?.string?.contains("filed when it ships") == true)

            let shipped = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(client.orderID)/shipments", headers: people.coordinator,
                body: body(["builds": ["B5001"], "carrier": "DHL Freight", "trackingNumber": "JD-5001"]))
            #expect(shipped.status == .created)
            await app.backgroundWork.drain()
            let filed = try #require(try await DeviceHistoryRecord.query(on: app.db).filter(\.$buildNumber == "B5001").first())

            #expect(try await app.testing().sendRequest(.GET, path, headers: people.assembler).status == .forbidden)
            let manifestResponse = try await app.testing().sendRequest(.GET, path, headers: people.qc)
            #expect(manifestResponse.status == .ok)
            let manifestBytes = Data(buffer: manifestResponse.body)
            #expect(SHA256.hash(data: manifestBytes).hex == filed.manifestSHA256)
            let pdfResponse = try await app.testing().sendRequest(.GET, path + "/pdf", headers: people.coordinator)
            #expect(pdfResponse.status == .ok)
            let pdf = Data(buffer: pdfResponse.body)
            #expect(SHA256.hash(data: pdf).hex == filed.pdfSHA256)

            // Every signed result of the build, its record verbatim; every serial number recorded; the status history and audit entries.
            let manifest = try #require(try JSONParser.parse(manifestBytes)["manifest"])
            var signedRecords: [String] = []
            for kind in ["pre-qc", "production", "eol-test", "packaging", "final-qc"] {
                let results = try await app.testing().sendRequest(
                    .GET, "api/v1/orders/\(client.orderID)/builds/B5001/checklists/\(kind)/results", headers: people.qc
                ).json.array
                signedRecords += results.compactMap { $0["record"]?.string }
            }
            #expect(signedRecords.count == 5)
            #expect(manifest["checklists"]?.array.compactMap { $0["record"]?.string } == signedRecords)
            let serials = manifest["serialNumbers"]?.array ?? []
            #expect(!serials.isEmpty)
            #expect(serials.allSatisfy { $0["value"]?.string == "SN-" + ($0["itemId"]?.string ?? "") })
            #expect(manifest["instruments"]?.array.isEmpty == false, "the end-of-line test's instrument")
            #expect(manifest["statusHistory"]?.array.last?["to"] == "SHIPPED")
            #expect(manifest["build"]?["shipment"]?["trackingNumber"] == "JD-5001")
            #expect(manifest["bom"]?["approvedBy"]?.string?.isEmpty == false)
            let actions = Set(manifest["auditEntries"]?.array.compactMap { $0["action"]?.string } ?? [])
            #expect(actions.isSuperset(of: ["SIGN", "UPDATE"]), "\(actions)")
            let text = try PDFText.of(pdf)
            #expect(text.contains("Device history record"))
            #expect(text.contains(try #require(serials.first?["value"]?.string)))

            // Offline: intact with the public key; not with another key, a changed PDF or a changed manifest.
            let key = Self.publicKey(app)
            #expect(try DeviceHistoryFiles.verify(manifest: manifestBytes, pdf: pdf, publicKeyPEMs: [key]).intact)
            let stranger = try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey.pemRepresentation
            let foreign = try DeviceHistoryFiles.verify(manifest: manifestBytes, pdf: pdf, publicKeyPEMs: [stranger])
            #expect(!foreign.intact && foreign.lines.first?.contains("no public key given has that id") == true, "\(foreign.lines)")
            var changedPDF = pdf
            changedPDF[changedPDF.count / 2] ^= 0x01
            let pdfCheck = try DeviceHistoryFiles.verify(manifest: manifestBytes, pdf: changedPDF, publicKeyPEMs: [key])
            #expect(
                pdfCheck.lines == ["the PDF does not match the SHA-256 the manifest names: it is not this record's PDF, or it was changed"])
            let serial = try #require(serials.first?["value"]?.string)
            let changedManifest = Data(
                String(decoding: manifestBytes, as: UTF8.self).replacingOccurrences(of: "\"\(serial)\"", with: "\"\(serial)X\"")
                    .utf8)
            #expect(changedManifest != manifestBytes)
            let manifestCheck = try DeviceHistoryFiles.verify(manifest: changedManifest, pdf: pdf, publicKeyPEMs: [key])
            #expect(manifestCheck.lines == ["the signature does not hold: the manifest was changed after it was signed"])

            // Filed once: a second download is the same bytes; a new one is never filed over it.
            let again = try await app.testing().sendRequest(.GET, path, headers: people.admin)
            #expect(Data(buffer: again.body) == manifestBytes)
            #expect(try await DeviceHistoryRecord.query(on: app.db).filter(\.$buildNumber == "B5001").count() == 1)
            let entries = try await app.testing().sendRequest(
                .GET, "api/v1/audit?resourceType=build&resourceId=B5001", headers: people.admin
            )
            .json
            #expect(entries["items"]?.array.contains { $0["action"] == "FILE" } == true)

            // The build's page offers both files to those who may take them out, and they open; not to an assembler.
            let page = SiteURL.build(try #require(UUID(uuidString: client.orderID)), "B5001")
            var qc = try await WebClient.signIn(app, .qcPerson)
            let html = try await qc.get(page.path).body.string
            let links = BuildLinks(order: client.orderID, build: "B5001")
            #expect(html.contains(#"href="\#(links.deviceHistoryPDF)""#) && html.contains(#"href="\#(links.deviceHistory)""#))
            let opened = try await qc.get(links.deviceHistoryPDF)
            #expect(opened.status == .ok && Data(buffer: opened.body) == pdf)
            var assembler = try await WebClient.signIn(app, .assembler)
            #expect(!(try await assembler.get(page.path).body.string.contains(links.deviceHistory)))
            #expect(try await assembler.get(links.deviceHistoryPDF).status == .forbidden)
        }
    }

    /// A result rewritten behind the application (the record and its SHA-256): no record is made from it.
    @Test(arguments: TestDatabase.all)
    func aRecordRewrittenInTheDatabaseStopsTheExport(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await NonconformanceTests.toFinalQC(app, people, po: "PO-DHR-2", builds: ["B5101"])
            #expect(try await client.sign(people.qc, "B5101", "final-qc").status == .created)
            let before = try await DeviceHistoryFiles.export(app, build: "B5101")
            #expect(!before.filed, "not shipped: made, not filed")
            #expect(try DeviceHistoryFiles.verify(manifest: before.manifest, pdf: before.pdf, publicKeyPEMs: [Self.publicKey(app)]).intact)
            try await RecordIntegrityTests.withoutTriggers(app, on: "checklist_results") { sql in
                let row = try await sql.raw("SELECT record FROM checklist_results WHERE build_number = 'B5101' AND kind = 'EOL_TEST'")
                    .first()!
                let forged = try row.decode(column: "record", as: String.self).replacingOccurrences(of: "SN-eol", with: "SN-EOL")
                try await sql.raw(
                    "UPDATE checklist_results SET record = \(bind: forged), sha256 = \(bind: SHA256.hash(data: Data(forged.utf8)).hex) WHERE build_number = 'B5101' AND kind = 'EOL_TEST'"
                ).run()
            }
            await #expect {
                try await DeviceHistoryFiles.export(app, build: "B5101")
            } throws: { error in
                (error as? DeviceHistoryFiles.Problem)?.description.contains("its seal does not match its SHA-256") == true
            }
            await #expect(throws: DeviceHistoryFiles.Problem.self) { try await DeviceHistoryFiles.export(app, build: "B9999") }
        }
    }

    /// A signed result deleted behind the application (a failed one, say): its sealed SIGN entry still names it, and no
    /// record is made without it.
    @Test(arguments: TestDatabase.all)
    func aResultDeletedFromTheDatabaseStopsTheExport(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            _ = try await NonconformanceTests.toFinalQC(app, people, po: "PO-DHR-3", builds: ["B5201"])
            _ = try await DeviceHistoryFiles.export(app, build: "B5201")
            try await RecordIntegrityTests.withoutTriggers(app, on: "checklist_results") { sql in
                try await sql.raw("DELETE FROM checklist_results WHERE build_number = 'B5201' AND kind = 'PRE_QC'").run()
            }
            await #expect {
                try await DeviceHistoryFiles.export(app, build: "B5201")
            } throws: { error in
                (error as? DeviceHistoryFiles.Problem)?.description.contains("for B5201, which is missing") == true
            }
        }
    }

    /// Ten downloads at once while the shipment's own filing runs: one record is filed, and every answer is its bytes.
    @Test(arguments: TestDatabase.all)
    func tenDownloadsAtOnceFileOneRecord(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await NonconformanceTests.toFinalQC(app, people, po: "PO-DHR-4", builds: ["B5301"])
            #expect(try await client.sign(people.qc, "B5301", "final-qc").status == .created)
            #expect(try await NonconformanceTests.moveBuild(client, people.qc, "B5301", "READY_FOR_SHIP").status == .ok)
            let tester = try app.testing()
            #expect(
                try await tester.sendRequest(
                    .POST, "api/v1/orders/\(client.orderID)/shipments", headers: people.coordinator,
                    body: body(["builds": ["B5301"], "carrier": "DHL Freight", "trackingNumber": "JD-5301"])
                ).status == .created)
            let path = "api/v1/orders/\(client.orderID)/builds/B5301/device-history"
            let answers = try await withThrowingTaskGroup(of: (UInt, Data).self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        let response = try await tester.sendRequest(.GET, path, headers: people.qc)
                        return (response.status.code, Data(buffer: response.body))
                    }
                }
                return try await group.reduce(into: [(UInt, Data)]()) { $0.append($1) }
            }
            await app.backgroundWork.drain()
            #expect(answers.map(\.0) == Array(repeating: 200, count: 10))
            #expect(Set(answers.map(\.1)).count == 1, "one record, whoever filed it")
            #expect(try await DeviceHistoryRecord.query(on: app.db).filter(\.$buildNumber == "B5301").count() == 1)
            let files = try await (app.db as! any SQLDatabase).raw(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'FILE' AND resource_id = 'B5301'"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(files == 1)
        }
    }
}
