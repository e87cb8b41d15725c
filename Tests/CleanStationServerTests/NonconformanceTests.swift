import CleanStationCore
import CleanStationTestSupport
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// Issue 16 through the API, on both databases: each build on its own
/// path, a nonconformance whose disposition costs the rework it names and
/// nothing more, shipments, a BOM sent back, header edits and overrides.
@Suite struct NonconformanceTests {
    typealias People = ChecklistFidelityTests.People

    @Test(arguments: TestDatabase.all)
    func aPackagingFailureCostsPackagingAndFinalQCAndTheOtherSinksShipFirst(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await People(app)
            let builds = ["B3001", "B3002", "B3003"]
            let client = try await Self.toFinalQC(app, people, po: "PO-NCR-1", builds: builds)
            #expect(try await client.sign(people.qc, "B3001", "final-qc").status == .created)
            let failed = try await client.sign(people.qc, "B3002", "final-qc", failing: "final-qc.pack.mat")
            #expect(try failed.json["outcome"] == "FAIL")
            #expect(try await client.sign(people.qc, "B3003", "final-qc").status == .created)

            // The order's move takes the builds that may go; the failed one stays.
            #expect(try await client.move(people.qc, "READY_FOR_SHIP").status == .ok)
            var detail = try await Self.detail(client, people.qc)
            #expect(Self.status(of: "B3001", in: detail) == "READY_FOR_SHIP")
            #expect(Self.status(of: "B3002", in: detail) == "READY_FOR_FINAL_QC")
            #expect(Self.status(of: "B3003", in: detail) == "READY_FOR_SHIP")
            #expect(detail["status"] == "READY_FOR_FINAL_QC", "the order stands at its least advanced build")

            // The failure opened a nonconformance with the failed item and the result it came from.
            let open = try await app.testing().sendRequest(.GET, "api/v1/nonconformances?state=OPEN", headers: people.qc).json.array
            #expect(open.count == 1)
            let report = try #require(open.first)
            #expect(report["buildNumber"] == "B3002")
            #expect(report["kind"] == "FINAL_QC")
            #expect(report["resultId"] == (try failed.json["id"]))
            #expect(report["failedItems"]?.array.map { $0["itemId"] } == ["final-qc.pack.mat"])
            let ncr = try #require(report["id"]?.string)

            // Builds 1 and 3 ship first; build 2 cannot.
            let ship = { (builds: [String], tracking: String) in
                try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(client.orderID)/shipments", headers: people.coordinator,
                    body: body([
                        "builds": .array(builds.map { .string($0) }), "carrier": "DHL Freight", "trackingNumber": .string(tracking),
                    ]))
            }
            #expect(try await ship(["B3002"], "T-0").status == .conflict)
            let first = try await ship(["B3001", "B3003"], "T-1")
            #expect(first.status == .created, "\(first.body.string)")
            #expect(try first.json["builds"] == ["B3001", "B3003"])
            #expect(try await ship(["B3001"], "T-again").status == .conflict, "a build ships once")

            // QC decides: rework packaging only. The build goes back to where packaging is recorded.
            let noPassword = try await app.testing().sendRequest(
                .POST, "api/v1/nonconformances/\(ncr)/disposition", headers: people.qc,
                body: body(["disposition": "REWORK", "scope": ["PACKAGING"]]))
            #expect(noPassword.status == .unprocessableEntity)
            #expect(
                try await app.testing().sendRequest(
                    .POST, "api/v1/nonconformances/\(ncr)/disposition", headers: people.assembler,
                    body: body(["disposition": "REWORK", "scope": ["PACKAGING"], "password": .string(testPassword)])
                ).status == .forbidden)
            let decided = try await app.testing().sendRequest(
                .POST, "api/v1/nonconformances/\(ncr)/disposition", headers: people.qc,
                body: body(["disposition": "REWORK", "scope": ["PACKAGING"], "password": .string(testPassword)]))
            #expect(decided.status == .ok, "\(decided.body.string)")
            #expect(try decided.json["state"] == "IN_REWORK")
            #expect(try decided.json["scope"] == ["PACKAGING", "FINAL_QC"])
            detail = try await Self.detail(client, people.qc)
            #expect(Self.status(of: "B3002", in: detail) == "TESTING_COMPLETE")

            // Packaging must be signed again; production and the end-of-line test stand.
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(client.orderID)/builds/B3002/claim", headers: people.assembler)
                    .status == .ok)
            let unpacked = try await Self.moveBuild(client, people.assembler, "B3002", "PACKAGING_COMPLETE")
            #expect(unpacked.status == .conflict)
            #expect(try unpacked.json["error"]?["message"]?.string?.contains("B3002") == true)
            #expect(try await client.sign(people.assembler, "B3002", "packaging").status == .created)
            #expect(try await Self.moveBuild(client, people.assembler, "B3002", "PACKAGING_COMPLETE").status == .ok)
            #expect(try await Self.moveBuild(client, people.assembler, "B3002", "READY_FOR_FINAL_QC").status == .ok)
            #expect(try await Self.moveBuild(client, people.qc, "B3002", "READY_FOR_SHIP").status == .conflict, "Final QC again first")
            #expect(try await client.sign(people.qc, "B3002", "final-qc").status == .created)
            let closed = try await app.testing().sendRequest(.GET, "api/v1/nonconformances/\(ncr)", headers: people.qc).json
            #expect(closed["state"] == "CLOSED", "the verifying result closes it")
            #expect(closed["steps"]?.array.map { $0["step"] } == ["DISPOSITION", "CLOSURE"])
            #expect(try await Self.moveBuild(client, people.qc, "B3002", "READY_FOR_SHIP").status == .ok)
            #expect(try await ship(["B3002"], "T-2").status == .created)

            detail = try await Self.detail(client, people.coordinator)
            #expect(detail["status"] == "SHIPPED")
            #expect(detail["shipments"]?.array.map { $0["trackingNumber"] } == ["T-1", "T-2"])
            #expect(try await Self.results(client, people.qc, "B3002", "production") == 1)
            #expect(try await Self.results(client, people.qc, "B3002", "eol-test") == 1)
            #expect(try await Self.results(client, people.qc, "B3002", "packaging") == 2)
            #expect(try await Self.results(client, people.qc, "B3002", "final-qc") == 2)
            #expect(try await Self.results(client, people.qc, "B3001", "packaging") == 1)

            let packingList = try #require(detail["shipments"]?.array.first?["packingList"]?.string)
            let pdf = try await app.testing().sendRequest(.GET, String(packingList.dropFirst()), headers: people.coordinator)
            #expect(pdf.status == .ok)
            #expect(pdf.headers.contentType == .init(type: "application", subType: "pdf"))
            let text = try PDFText.of(Data(buffer: pdf.body))
            #expect(text.contains("B3001") && text.contains("B3003") && !text.contains("B3002"))
            #expect(text.contains("DHL Freight") && text.contains("T-1"))

            // In the browser: the shipped order's page and its nonconformances link only to pages, the packing list among them.
            var coordinator = try await WebClient.signIn(app, .productionCoordinator)
            let page = try await coordinator.get("/orders/\(client.orderID)").body.string
            #expect(SiteURLTests.broken(page, at: "order").isEmpty, "\(SiteURLTests.broken(page, at: "order"))")
            let links = SiteURLTests.addresses(page).map(\.value)
            let list = try #require(links.first { $0.hasSuffix("/packing-list") })
            let opened = try await coordinator.get(list)
            #expect(
                opened.status == .ok && opened.headers.contentType?.description == "application/pdf", "the packing list opens from the page"
            )
            let reports = links.filter { $0.hasPrefix("/nonconformances/") }
            #expect(!reports.isEmpty)
            var qc = try await WebClient.signIn(app, .qcPerson)
            for report in reports {
                let html = try await qc.get(report).body.string
                #expect(SiteURLTests.broken(html, at: report).isEmpty, "\(SiteURLTests.broken(html, at: report))")
            }

            let verify = try await app.testing().sendRequest(.GET, "api/v1/audit/verify", headers: people.admin)
            #expect(try verify.json["intact"] == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func useAsIsNeedsASecondApproverAndThenTheFailureIsAccepted(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await People(app)
            let client = try await Self.toFinalQC(app, people, po: "PO-NCR-2", builds: ["B3101"])
            #expect(try await client.sign(people.qc, "B3101", "final-qc", failing: "final-qc.pack.mat").status == .created)
            let ncr = try #require(
                try await app.testing().sendRequest(.GET, "api/v1/nonconformances?state=OPEN", headers: people.qc).json.array.first?["id"]?
                    .string)
            let path = "api/v1/nonconformances/\(ncr)"
            let unjustified = try await app.testing().sendRequest(
                .POST, "\(path)/disposition", headers: people.qc,
                body: body(["disposition": "USE_AS_IS", "password": .string(testPassword)]))
            #expect(unjustified.status == .unprocessableEntity)
            #expect(try unjustified.json["error"]?["details"]?.array.first?["field"] == "justification")
            let decided = try await app.testing().sendRequest(
                .POST, "\(path)/disposition", headers: people.qc,
                body: body([
                    "disposition": "USE_AS_IS", "justification": "The customer supplies their own mats (email of 2026-12-01)",
                    "password": .string(testPassword),
                ]))
            #expect(try decided.json["state"] == "AWAITING_APPROVAL")
            #expect(try await client.move(people.qc, "READY_FOR_SHIP").status == .conflict, "not before the second approval")
            let own = try await app.testing().sendRequest(
                .POST, "\(path)/approve", headers: people.qc, body: body(["password": .string(testPassword)]))
            #expect(own.status == .forbidden)
            let other = try await app.signIn(.qcPerson)
            let approved = try await app.testing().sendRequest(
                .POST, "\(path)/approve", headers: other, body: body(["password": .string(testPassword)]))
            #expect(approved.status == .ok, "\(approved.body.string)")
            #expect(try approved.json["state"] == "CLOSED")
            #expect(try await client.move(people.qc, "READY_FOR_SHIP").status == .ok, "the failure is accepted as it is")
            let again = try await app.testing().sendRequest(
                .POST, "\(path)/approve", headers: people.admin, body: body(["password": .string(testPassword)]))
            #expect(again.status == .conflict)
        }
    }

    /// A failure is not passed over: the checklist waits for the disposition, which is decided where the failure was
    /// found; a scrap starts the sink over, its assembly tasks included.
    @Test(arguments: TestDatabase.all)
    func aFailureWaitsForItsDispositionAndAScrapStartsOver(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await People(app)
            let client = try await Self.toFinalQC(app, people, po: "PO-NCR-4", builds: ["B3501"])
            #expect(try await client.sign(people.qc, "B3501", "final-qc", failing: "final-qc.pack.mat").status == .created)
            let again = try await client.sign(people.qc, "B3501", "final-qc")
            #expect(again.status == .conflict, "no second try without a disposition")
            #expect(try again.json["error"]?["message"]?.string?.contains("NCR-B3501-1 waits for its disposition") == true)
            let ncr = try #require(
                try await app.testing().sendRequest(.GET, "api/v1/nonconformances?state=OPEN", headers: people.qc).json.array.first?["id"]?
                    .string)
            let override = { (status: String) in
                try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(client.orderID)/builds/B3501/override", headers: people.admin,
                    body: body(["status": .string(status), "reason": "Moved by mistake", "password": .string(testPassword)]))
            }
            let decide = { (disposition: KeyValuePairs<String, JSONValue>) in
                try await app.testing().sendRequest(
                    .POST, "api/v1/nonconformances/\(ncr)/disposition", headers: people.qc, body: body(disposition))
            }
            #expect(try await override("PACKAGING_COMPLETE").status == .ok)
            let elsewhere = try await decide(["disposition": "SCRAP", "password": .string(testPassword)])
            #expect(elsewhere.status == .conflict, "decided where the failure was found")
            // The page asks the same: no disposition offered while the build is elsewhere, and the reason said in words.
            var inspector = try await WebClient.signIn(app, .qcPerson)
            let page = try await inspector.get("/nonconformances/\(ncr)").body.string
            #expect(!page.contains("Record the disposition") && page.contains("is packaging complete, not where its Final QC failed"))
            #expect(page.contains("<td>Fail</td>") && !page.contains("<td>false</td>"), "the recorded value in words")
            #expect(try await override("READY_FOR_FINAL_QC").status == .ok)
            let production = try await decide(["disposition": "REWORK", "scope": ["PRODUCTION"], "password": .string(testPassword)])
            #expect(production.status == .ok, "\(production.body.string)")
            #expect(
                try production.json["scope"] == ["PRODUCTION", "EOL_TEST", "PACKAGING", "FINAL_QC"], "what follows the rework is redone")
            let detail = try await Self.detail(client, people.qc)
            #expect(Self.status(of: "B3501", in: detail) == "READY_FOR_PRODUCTION")
            let tasks = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(client.orderID)/builds/B3501/tasks", headers: people.assembler
            ).json.array
            #expect(!tasks.isEmpty && tasks.allSatisfy { $0["done"] == false }, "the tasks are checked off again on the reworked sink")
            #expect(try await decide(["disposition": "SCRAP", "password": .string(testPassword)]).status == .conflict, "decided once")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRejectedBOMIsEditedAndApprovedAgainHeadersAreAuditedAndOverridesFlagged(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await People(app)
            let orderID = try await app.createOrder(headers: people.coordinator, po: "PO-NCR-3", builds: ["B3201", "B3202"])
            let client = JourneyTests.Client(app: app, orderID: orderID)
            let base = "api/v1/orders/\(orderID)/builds/B3201/bom"
            #expect(
                try await app.testing().sendRequest(.POST, "\(base)/reject", headers: people.procurement, body: body(["reason": " "]))
                    .status == .unprocessableEntity)
            #expect(
                try await app.testing().sendRequest(.POST, "\(base)/reject", headers: people.qc, body: body(["reason": "x"])).status
                    == .forbidden)
            let rejected = try await app.testing().sendRequest(
                .POST, "\(base)/reject", headers: people.procurement, body: body(["reason": "Basin 2 must be 24X20X10, not custom"]))
            #expect(rejected.status == .ok)
            #expect(try rejected.json["builds"]?.array.first?["bomRejection"] == "Basin 2 must be 24X20X10, not custom")
            let notes = try await app.testing().sendRequest(.GET, "api/v1/notifications", headers: people.coordinator).json
            #expect(JSONSerializer.string(notes).contains("BOM sent back"))
            // The coordinator edits the builds (new BOMs, no approval, no rejection), and procurement approves.
            var edited = orderBody(po: "PO-NCR-3", builds: ["B3201", "B3202"])
            edited = .object(edited.members.filter { ["builds"].contains($0.key) })
            #expect(
                try await app.testing().sendRequest(.PATCH, "api/v1/orders/\(orderID)", headers: people.coordinator, body: body(edited))
                    .status == .ok)
            let fresh = try await Self.detail(client, people.procurement)
            #expect(fresh["builds"]?.array.allSatisfy { $0["bomRejection"] == .null && $0["bomApproval"]?["approved"] == false } == true)
            for build in ["B3201", "B3202"] {
                #expect(
                    try await app.testing().sendRequest(
                        .POST, "api/v1/orders/\(orderID)/builds/\(build)/bom/approve", headers: people.procurement
                    ).status == .ok)
            }
            #expect(try await client.move(people.procurement, "PARTS_SENT").status == .ok)

            // After creation: the header may change, the rest may not.
            let header = try await app.testing().sendRequest(
                .PATCH, "api/v1/orders/\(orderID)", headers: people.coordinator,
                body: body(["wantDate": "2099-03-01", "customerContact": "Dr. Ada Byron, +1 555 0100"]))
            #expect(header.status == .ok, "\(header.body.string)")
            #expect(try header.json["wantDate"] == "2099-03-01")
            #expect(try header.json["customerContact"] == "Dr. Ada Byron, +1 555 0100")
            #expect(
                try await app.testing().sendRequest(
                    .PATCH, "api/v1/orders/\(orderID)", headers: people.coordinator, body: body(["poNumber": "PO-X"])
                )
                .status == .conflict)
            let sql = app.db as! any SQLDatabase
            let notesOnly = try await app.testing().sendRequest(
                .PATCH, "api/v1/orders/\(orderID)", headers: people.coordinator,
                body: body(["notes": "Call before delivery", "customerContact": "Dr. Ada Byron, +1 555 0100"]))
            #expect(notesOnly.status == .ok)
            let sameContact = try await sql.raw(
                "SELECT old_value, new_value FROM audit_log WHERE action = 'UPDATE' AND resource_type = 'order' AND new_value LIKE '%Call before delivery%'"
            ).first()
            let contactOf = { (column: String) in
                try JSONParser.parse(try sameContact?.decode(column: column, as: String.self) ?? "{}")["customerContact"]
            }
            #expect(try contactOf("old_value") == contactOf("new_value"), "saving the notes leaves the sealed contact as it was")
            let stored = try await sql.raw("SELECT customer_contact FROM orders WHERE po_number = 'PO-NCR-3'").first()?
                .decode(column: "customer_contact", as: String.self)
            #expect(stored?.contains("Ada") == false, "sealed at rest")
            let audited = try await sql.raw(
                "SELECT old_value, new_value FROM audit_log WHERE action = 'UPDATE' AND resource_type = 'order' AND new_value LIKE '%2099-03-01%' AND old_value NOT LIKE '%2099-03-01%'"
            ).all()
            #expect(audited.count == 1)
            #expect(try audited.first?.decode(column: "old_value", as: String.self).contains("wantDate") == true)

            // An override needs the administrator, a reason and the password; it is flagged and deletes nothing.
            let override = "api/v1/orders/\(orderID)/builds/B3201/override"
            let asked = [
                "status": JSONValue.string("READY_FOR_PRE_QC"), "reason": "Parts arrived with the first truck",
                "password": .string(testPassword),
            ]
            #expect(
                try await app.testing().sendRequest(
                    .POST, override, headers: people.procurement, body: body(.object(asked.map { JSONMember($0.key, $0.value) }))
                ).status == .forbidden)
            let noReason = try await app.testing().sendRequest(
                .POST, override, headers: people.admin,
                body: body(["status": "READY_FOR_PRE_QC", "reason": "", "password": .string(testPassword)]))
            #expect(noReason.status == .unprocessableEntity)
            let wrong = try await app.testing().sendRequest(
                .POST, override, headers: people.admin,
                body: body(["status": "READY_FOR_PRE_QC", "reason": "r", "password": "Wrong-Password-9"]))
            #expect(wrong.status == .unprocessableEntity)
            let forced = try await app.testing().sendRequest(
                .POST, override, headers: people.admin,
                body: body([
                    "status": "READY_FOR_PRE_QC", "reason": "Parts arrived with the first truck", "password": .string(testPassword),
                ]))
            #expect(forced.status == .ok, "\(forced.body.string)")
            #expect(Self.status(of: "B3201", in: try forced.json) == "READY_FOR_PRE_QC")
            #expect(Self.status(of: "B3202", in: try forced.json) == "PARTS_SENT")
            let flagged = try forced.json["history"]?.array.filter { $0["override"] == true } ?? []
            #expect(flagged.count == 1)
            #expect(flagged.first?["note"]?.string?.contains("Parts arrived") == true)
            let overrides = try await sql.raw("SELECT count(*) AS n FROM audit_log WHERE action = 'OVERRIDE'").first()?.decode(
                column: "n", as: Int.self)
            #expect(overrides == 1)
            // Cancelled and back: the records stand.
            #expect(try await Self.moveBuild(client, people.admin, "B3202", "CANCELLED").status == .unprocessableEntity, "a reason first")
            let cancel = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(orderID)/builds/B3202/status", headers: people.admin,
                body: body(["status": "CANCELLED", "note": "Customer dropped the second sink"]))
            #expect(cancel.status == .ok)
            #expect(try cancel.json["status"] == "READY_FOR_PRE_QC", "a cancelled build does not hold the order back")
            let revived = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(orderID)/builds/B3202/override", headers: people.admin,
                body: body(["status": "PARTS_SENT", "reason": "Customer reinstated it", "password": .string(testPassword)]))
            #expect(Self.status(of: "B3202", in: try revived.json) == "PARTS_SENT")

            // A configuration change after the parts were sent is a change request: the build's BOM is reviewed again.
            let sink = try #require(orderBody(po: "PO-NCR-3", builds: ["B3201", "B3202"])["builds"]?.array.last)
            let configuration = "api/v1/orders/\(orderID)/builds/B3202/configuration"
            var renamed = sink
            renamed = .object(sink.members.map { $0.key == "buildNumber" ? JSONMember("buildNumber", "B9999") : $0 })
            let misnamed = try await app.testing().sendRequest(.PUT, configuration, headers: people.coordinator, body: body(renamed))
            #expect(misnamed.status == .unprocessableEntity)
            #expect(try misnamed.json["error"]?["details"]?.array.first?["field"] == "buildNumber")
            #expect(
                try await app.testing().sendRequest(.PUT, configuration, headers: people.procurement, body: body(sink)).status == .forbidden
            )
            // A line outsourced for the old BOM that the new one no longer has goes with it; the others stay.
            let longer = JSONValue.object(sink.members.map { $0.key == "length" ? JSONMember("length", 72) : $0 })
            let lines = { (config: JSONValue) in
                try await app.testing().sendRequest(.POST, "api/v1/bom/preview", headers: people.coordinator, body: body(config)).json[
                    "lines"]?
                    .array.compactMap { $0["id"]?.string } ?? []
            }
            let before = try await lines(sink)
            let after = try await lines(longer)
            let gone = try #require(before.first { !after.contains($0) })
            let stays = try #require(before.first { after.contains($0) })
            for line in [gone, stays] {
                #expect(
                    try await app.testing().sendRequest(
                        .POST, "api/v1/orders/\(orderID)/builds/B3202/outsourcing", headers: people.procurement,
                        body: body(["lineId": .string(line), "supplier": "Acme Welding"])
                    ).status == .created)
            }
            let changed = try await app.testing().sendRequest(.PUT, configuration, headers: people.coordinator, body: body(longer))
            #expect(changed.status == .ok, "\(changed.body.string)")
            #expect(Self.status(of: "B3202", in: try changed.json) == "ORDER_CREATED")
            #expect(try changed.json["builds"]?.array.last?["bomApproval"]?["approved"] == false)
            #expect(try changed.json["status"] == "ORDER_CREATED", "the order stands at its least advanced build")
            let outsourced = try await app.testing().sendRequest(.GET, "api/v1/orders/\(orderID)/outsourcing", headers: people.procurement)
                .json.array.compactMap { $0["lineId"]?.string }
            #expect(outsourced == [stays])
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(orderID)/builds/B3202/bom/approve", headers: people.procurement)
                    .status == .ok)
            #expect(try await Self.moveBuild(client, people.procurement, "B3202", "PARTS_SENT").status == .ok)
        }
    }
}
