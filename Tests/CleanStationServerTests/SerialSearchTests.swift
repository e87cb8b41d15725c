import CleanStationCore
import CleanStationTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// Serial-number search (issue 18): which build holds a serial number, from
/// the serial numbers its signed checklists recorded.
@Suite struct SerialSearchTests {
    @Test(arguments: TestDatabase.all)
    func aSerialNumberFindsItsBuildOrderAndStatusAndTheCorrectionThatSupersededIt(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            try await JourneyTests.registerInstrument(app, tag: JourneyTests.instrumentTag)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody(po: "PO-SN-1", builds: ["B6001"]))
            #expect(try await client.sign(people.qc, "B6001", "pre-qc").status == .created)
            #expect(try await client.move(people.qc, "READY_FOR_PRODUCTION").status == .ok)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(client.orderID)/builds/B6001/claim", headers: people.assembler)
                    .status == .ok)
            #expect(try await client.sign(people.assembler, "B6001", "production").status == .created)
            #expect(try await client.sign(people.assembler, "B6001", "eol-test").status == .created)
            #expect(try await client.sign(people.assembler, "B6001", "eol-test").status == .created, "a correction")

            let ask = { (serial: String) in
                try await app.testing().sendRequest(.GET, "api/v1/serial-numbers?serial=\(serial)", headers: people.qc)
            }
            // `SN-eol.serial.control-box-sn.b1`, as the journey's answers record it: typed in lower case, and only its start.
            let found = try await ask("sn-eol.serial.control-box-sn")
            #expect(found.status == .ok)
            let matches = try found.json["matches"]?.array ?? []
            #expect(matches.count == 4, "basin 1 and 2, in each of the two signed results")
            #expect(
                matches.allSatisfy { $0["buildNumber"] == "B6001" && $0["poNumber"] == "PO-SN-1" && $0["status"] == "READY_FOR_PRODUCTION" }
            )
            #expect(
                matches.allSatisfy { $0["checklist"] == "EOL_TEST" && $0["item"]?.string?.hasPrefix("Control box serial number") == true })
            #expect(matches.filter { $0["current"] == true }.count == 2, "the first result was superseded by the correction")
            #expect(
                Set(matches.compactMap { $0["serial"]?.string }) == ["SN-eol.serial.control-box-sn.b1", "SN-eol.serial.control-box-sn.b2"])
            #expect(try await ask("NOPE-0000").json["matches"]?.array.isEmpty == true)
            let blank = try await ask("%20")
            #expect(blank.status == .unprocessableEntity)
            #expect(try blank.json["error"]?["details"]?.array.first?["field"] == "serial")
            #expect(try await app.testing().sendRequest(.GET, "api/v1/serial-numbers?serial=SN", headers: people.coordinator).status == .ok)

            // The migration finds the same serial numbers in the results signed before it.
            let sql = app.db as! any SQLDatabase
            let before = try await sql.raw("SELECT result_id, item_id, value FROM serial_numbers ORDER BY result_id, item_id").all()
                .map {
                    "\(try $0.decode(column: "result_id", as: UUID.self)) \(try $0.decode(column: "item_id", as: String.self)) \(try $0.decode(column: "value", as: String.self))"
                }
            #expect(before.count > 4)
            try await sql.raw("DELETE FROM serial_numbers").run()
            try await CreateSerialNumbers.fill(on: app.db)
            let after = try await sql.raw("SELECT result_id, item_id, value FROM serial_numbers ORDER BY result_id, item_id").all()
                .map {
                    "\(try $0.decode(column: "result_id", as: UUID.self)) \(try $0.decode(column: "item_id", as: String.self)) \(try $0.decode(column: "value", as: String.self))"
                }
            #expect(after == before)

            // The page: the same search, the build linked, a superseded result said.
            var qc = try await WebClient.signIn(app, .qcPerson)
            let html = try await qc.get("/where-used?serial=sn-eol.serial.control-box-sn.b1").body.string
            #expect(html.contains(">B6001</a>") && html.contains("PO-SN-1") && html.contains("superseded"))
            #expect(SiteURLTests.broken(html, at: "where-used").isEmpty)
            let empty = try await qc.get("/where-used?serial=")
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("enter a serial number, or its first characters"))
            let none = try await qc.get("/where-used?serial=NO-SUCH-SERIAL").body.string
            #expect(none.contains("No signed checklist recorded it.") && !none.contains("<tbody>"))
        }
    }
}
