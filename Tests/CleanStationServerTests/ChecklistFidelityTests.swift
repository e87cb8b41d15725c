import CleanStationCore
import CleanStationTestSupport
import Crypto
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// Checklists true to the sink on the bench (issue 15, ADR 008), on each
/// database and with the customer's catalogue imported.
@Suite struct ChecklistFidelityTests {
    /// One build: fixed-height DL27 legs, castors, no pegboard, an E-Drain basin and an E-Sink DI basin.
    static func fixedHeightOrder(po: String = "PO-2026-0715", build: String = "FH1001") -> JSONValue {
        let sink = try! JSONParser.parse(
            """
            {"buildNumber": "\(build)", "model": "T2-B2", "width": 30, "length": 60,
             "legs": {"type": "FIXED_HEIGHT", "model": "DL27"}, "feet": "LOCK_LEVELING_CASTERS",
             "pegboard": null, "workflowDirection": "LEFT_TO_RIGHT",
             "basins": [{"type": "E_DRAIN", "size": "24X20X10", "pTrap": false, "basinLight": false},
                        {"type": "E_SINK_DI", "size": "24X20X10", "pTrap": false, "basinLight": false}],
             "faucets": [], "sprayers": [], "accessories": [{"id": "T-OA-MNT-ARM", "quantity": 1}]}
            """)
        return orderBody(po: po, builds: [build]).setting([.key("builds")], to: .array([sink]))
    }

    struct People {
        var coordinator: HTTPHeaders
        var procurement: HTTPHeaders
        var qc: HTTPHeaders
        var assembler: HTTPHeaders
        var admin: HTTPHeaders

        init(_ app: Application) async throws {
            coordinator = try await app.signIn(.productionCoordinator)
            procurement = try await app.signIn(.procurementSpecialist)
            qc = try await app.signIn(.qcPerson)
            assembler = try await app.signIn(.assembler)
            admin = try await app.signIn(.admin)
        }
    }

    /// The order created, approved, its parts arrived and its drawing attached: ready for Pre-QC.
    static func readyForPreQC(_ app: Application, _ people: People, order: JSONValue) async throws -> JourneyTests.Client {
        let created = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: people.coordinator, body: body(order))
        #expect(created.status == .created, "\(created.body.string)")
        let client = JourneyTests.Client(app: app, orderID: try #require(try created.json["id"]?.string))
        for build in try created.json["builds"]?.array.compactMap({ $0["buildNumber"]?.string }) ?? [] {
            _ = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(client.orderID)/builds/\(build)/bom/approve", headers: people.procurement)
        }
        #expect(try await client.move(people.procurement, "PARTS_SENT").status == .ok)
        #expect(try await client.move(people.procurement, "READY_FOR_PRE_QC").status == .ok)
        var upload = people.coordinator
        let (headers, drawing) = DocumentsTests.multipart(kind: "DRAWING", file: ("drawing.pdf", "application/pdf", DocumentsTests.pdf))
        for (name, value) in headers { upload.replaceOrAdd(name: name, value: value) }
        _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(client.orderID)/documents", headers: upload, body: drawing)
        return client
    }

    static func items(_ instance: JSONValue) -> [JSONValue] {
        instance["sections"]?.array.flatMap { $0["items"]?.array ?? [] } ?? []
    }

    @Test(arguments: TestDatabase.all)
    func aFixedHeightSinkWithoutPegboardIsSignedHonestly(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await People(app)
            let imported = try await app.testing().sendRequest(
                .POST, "api/v1/catalog/import", headers: people.admin, body: try CatalogTests.importBody())
            #expect(imported.status == .ok)
            try await JourneyTests.registerInstrument(app)
            let client = try await Self.readyForPreQC(app, people, order: Self.fixedHeightOrder())
            let base = "api/v1/orders/\(client.orderID)/builds/FH1001/checklists"

            // What is not on this sink shows as N/A, with the reason, and takes no answer.
            let eol = try await app.testing().sendRequest(.GET, "\(base)/eol-test", headers: people.assembler).json
            #expect(eol["templateVersion"] == 2)
            let notApplicable = Dictionary(
                Self.items(eol).filter { $0["applicable"] == false }.map {
                    ($0["id"]?.string ?? "", $0["notApplicableReason"]?.string ?? "")
                },
                uniquingKeysWith: { first, _ in first })
            #expect(notApplicable["eol.height-up"] == "needs T-CBD6SH00040A-709 in the BOM", "fixed-height legs have no lifter")
            #expect(notApplicable["eol.esk.dosing-pump.b2"] == "needs T8-DOSINGESK in the basin's kit", "the DI kit has no dosing pump")
            #expect(notApplicable["eol.esk.temperature-calibration.b2"] != nil)
            #expect(notApplicable["eol.esk.flow-meter.b2"] != nil)
            #expect(notApplicable["eol.serial.dosing-pump-sn.b2"] != nil)
            #expect(notApplicable["eol.edr.overhead-led.b1"] == "needs an E-Drain basin and T2-OHL-MDRD-KIT in the BOM")
            let applicable = Self.items(eol).filter { $0["applicable"] == true }.map { $0["id"]?.string ?? "" }
            #expect(applicable.contains("eol.serial.valve-plate.b2"))
            #expect(eol["instrumentRequired"] == true)

            // Pre-QC: every applicable item, and only those.
            let preQC = try await app.testing().sendRequest(.GET, "\(base)/pre-qc", headers: people.qc).json
            let dishonest =
                JourneyTests.Client.answers(preQC) + [
                    .object([JSONMember("itemId", "pre-qc.basin.drain-button.b2"), JSONMember("value", true)])
                ]
            let refused = try await app.testing().sendRequest(
                .POST, "\(base)/pre-qc/results", headers: people.qc,
                body: body(["answers": .array(dishonest), "signature": .object([JSONMember("password", .string(testPassword))])]))
            #expect(refused.status == .unprocessableEntity)
            #expect(
                try refused.json["error"]?["details"]?.array.first?["message"]?.string?.contains("does not apply to this build") == true)
            #expect(try await client.sign(people.qc, "FH1001", "pre-qc").status == .created)
            #expect(try await client.move(people.qc, "READY_FOR_PRODUCTION").status == .ok)

            _ = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(client.orderID)/builds/FH1001/claim", headers: people.assembler)
            let tasks = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(client.orderID)/builds/FH1001/tasks", headers: people.assembler
            ).json.array.compactMap { $0["id"]?.string }
            #expect(!tasks.contains { $0.hasPrefix("production.lifter") }, "no lifter to install on fixed-height legs")
            #expect(!tasks.contains { $0.hasPrefix("production.ohl") }, "no overhead light without a pegboard")
            #expect(!tasks.contains("production.esk.dosing-port.b2"))
            let production = try await client.sign(people.assembler, "FH1001", "production")
            #expect(production.status == .created, "\(production.body.string)")
            #expect(try production.json["outcome"] == "PASS")
            let test = try await client.sign(people.assembler, "FH1001", "eol-test")
            #expect(test.status == .created, "\(test.body.string)")
            #expect(try test.json["instrument"]?["tag"] == "FLUKE-52-TEST")
            #expect(try test.json["instrument"]?["calibrationDue"]?.string?.count == 10)
            let record = try JSONParser.parse(try #require(try test.json["record"]?.string))
            #expect(record["notApplicable"]?.array.contains { $0["itemId"] == "eol.height-up" } == true)
            #expect(record["answers"]?.array.count == Self.items(eol).filter { $0["applicable"] == true }.count)
            #expect(record["answers"]?.array.first?["text"]?.string?.hasPrefix("Main power cord plugged in") == true)
            #expect(try await client.move(people.assembler, "TESTING_COMPLETE").status == .ok)

            let packaging = try await app.testing().sendRequest(.GET, "\(base)/packaging", headers: people.assembler).json
            let packed = Self.items(packaging).filter { $0["applicable"] == true }
            #expect(packed.first { $0["id"] == "packaging.strainers" }?["expectedQuantity"] == 2)
            #expect(packed.first { $0["id"] == "packaging.temperature-sensors" }?["expectedQuantity"] == 1)
            #expect(!packed.contains { $0["id"] == "packaging.tubesets" }, "no dosing pump on a DI basin")
            let arm = try #require(packed.first { $0["id"] == "packaging.accessory.T-OA-MNT-ARM" })
            #expect(arm["expectedQuantity"] == 1)
            #expect(arm["text"]?.string?.contains("705.46 T-OA-MNT-ARM") == true)
            #expect(try await client.sign(people.assembler, "FH1001", "packaging").status == .created)
            #expect(try await client.move(people.assembler, "PACKAGING_COMPLETE").status == .ok)
            #expect(try await client.move(people.assembler, "READY_FOR_FINAL_QC").status == .ok)
            let final = try await app.testing().sendRequest(.GET, "\(base)/final-qc", headers: people.qc).json
            let inspected = Set(Self.items(final).filter { $0["applicable"] == true }.compactMap { $0["id"]?.string })
            #expect(!inspected.contains("final-qc.height-buttons") && !inspected.contains("final-qc.led"))
            #expect(!inspected.contains("final-qc.temperature-sensor.b2") && !inspected.contains("final-qc.basin.dosing-port.b2"))
            #expect(inspected.contains("final-qc.pack.accessory.T-OA-MNT-ARM"))
            let signed = try await client.sign(people.qc, "FH1001", "final-qc")
            #expect(try signed.json["outcome"] == "PASS")
            #expect(try await client.move(people.qc, "READY_FOR_SHIP").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func draftsSurviveARestartAndTasksFillTheProductionChecklist(database: TestDatabase) async throws {
        try await withRestartableDatabase(database) { start in
            let first = try await start()
            let orderID: String
            let assembler: HTTPHeaders
            do {
                try await JourneyTests.registerInstrument(first)
                orderID = try await AssemblyTests.orderInProduction(first)
                assembler = try await first.signIn(.assembler, email: "holder@test.torvan.test")
                let build = "api/v1/orders/\(orderID)/builds/B1001"
                #expect(try await first.testing().sendRequest(.POST, "\(build)/claim", headers: assembler).status == .ok)
                let draft = try await first.testing().sendRequest(
                    .PUT, "\(build)/checklists/eol-test/draft", headers: assembler,
                    body: body([
                        "answers": [
                            .object([JSONMember("itemId", "eol.power-on"), JSONMember("value", true)]),
                            .object([JSONMember("itemId", "eol.serial.touchscreen.b2"), JSONMember("value", "TS-4471")]),
                            .object([JSONMember("itemId", "eol.serial.valve-plate.b2"), JSONMember("note", "label smudged")]),
                        ],
                        "instrumentId": .string(JourneyTests.instrumentTag),
                    ]))
                #expect(draft.status == .ok, "\(draft.body.string)")
                let done = try await first.testing().sendRequest(
                    .POST, "\(build)/tasks/production.lifter-button/complete", headers: assembler, body: body(["value": "DP1C"]))
                #expect(done.status == .ok, "\(done.body.string)")
                let refused = try await first.testing().sendRequest(
                    .POST, "\(build)/tasks/production.lifter-controller/complete", headers: try await first.signIn(.assembler))
                #expect(refused.status == .conflict, "only the holder checks tasks off")
            } catch {
                try? await first.asyncShutdown()
                throw error
            }
            try await first.asyncShutdown()

            let second = try await start()
            do {
                let build = "api/v1/orders/\(orderID)/builds/B1001"
                let holder = try await second.login(email: "holder@test.torvan.test")
                let resumed = try await second.testing().sendRequest(.GET, "\(build)/checklists/eol-test/draft", headers: holder).json
                #expect(
                    resumed["answers"]?.array.map { $0["itemId"]?.string ?? "" } == [
                        "eol.power-on", "eol.serial.touchscreen.b2", "eol.serial.valve-plate.b2",
                    ])
                #expect(resumed["answers"]?.array[1]["value"] == "TS-4471")
                #expect(resumed["answers"]?.array[2]["note"] == "label smudged")
                #expect(resumed["instrumentId"] == .string(JourneyTests.instrumentTag))

                // The task checked off is the production item's answer; signing waits for every task.
                let production = try await second.testing().sendRequest(.GET, "\(build)/checklists/production/draft", headers: holder).json
                #expect(
                    production["answers"] == [.object([JSONMember("itemId", "production.lifter-button"), JSONMember("value", "DP1C")])])
                let instance = try await second.testing().sendRequest(.GET, "\(build)/checklists/production", headers: holder).json
                let early = try await second.testing().sendRequest(
                    .POST, "\(build)/checklists/production/results", headers: holder,
                    body: body([
                        "answers": .array(JourneyTests.Client.answers(instance)),
                        "signature": .object([JSONMember("password", .string(testPassword))]),
                    ]))
                #expect(early.status == .conflict)
                #expect(try early.json["error"]?["code"] == "TASKS_OPEN")
                let open = try early.json["error"]?["details"]?.array.compactMap { $0["field"]?.string } ?? []
                #expect(open.contains("tasks.production.lifter-controller"))
                #expect(!open.contains("tasks.production.lifter-button"))
                #expect(open.count == Self.items(instance).filter { $0["applicable"] == true }.count - 1)

                // Undo reopens a task and empties its answer.
                #expect(
                    try await second.testing().sendRequest(.POST, "\(build)/tasks/production.lifter-button/undo", headers: holder).status
                        == .ok)
                let emptied = try await second.testing().sendRequest(.GET, "\(build)/checklists/production/draft", headers: holder).json
                #expect(emptied["answers"] == [.object([JSONMember("itemId", "production.lifter-button")])])

                let client = JourneyTests.Client(app: second, orderID: orderID)
                let signed = try await client.sign(holder, "B1001", "production")
                #expect(signed.status == .created, "\(signed.body.string)")
                let gone = try await second.testing().sendRequest(.GET, "\(build)/checklists/production/draft", headers: holder).json
                #expect(gone["answers"] == [], "a PASS clears the draft")
                // Signed PASS: the tasks stand as signed, and no new draft is started.
                let late = try await second.testing().sendRequest(.POST, "\(build)/tasks/production.power-bar/undo", headers: holder)
                #expect(late.status == .conflict)
                #expect(try late.json["error"]?["message"]?.string?.contains("signed PASS") == true)
                let after = try await second.testing().sendRequest(
                    .PUT, "\(build)/checklists/production/draft", headers: holder,
                    body: body(["answers": [.object([JSONMember("itemId", "production.logo"), JSONMember("value", false)])]]))
                #expect(after.status == .conflict)
            } catch {
                try? await second.asyncShutdown()
                throw error
            }
            try await second.asyncShutdown()
        }
    }

    @Test(arguments: TestDatabase.all)
    func theTestNamesACalibratedInstrument(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await JourneyTests.registerInstrument(app)
            try await JourneyTests.registerInstrument(
                app, tag: "FLUKE-OLD", due: InstrumentsController.today(Date().addingTimeInterval(-86_400)))
            let orderID = try await AssemblyTests.orderInProduction(app)
            let assembler = try await app.signIn(.assembler)
            _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(orderID)/builds/B1001/claim", headers: assembler)
            let client = JourneyTests.Client(app: app, orderID: orderID)

            let expired = try await client.sign(assembler, "B1001", "eol-test", instrument: "FLUKE-OLD")
            #expect(expired.status == .unprocessableEntity)
            #expect(try expired.json["error"]?["details"]?.array.first?["field"] == "instrumentId")
            #expect(try expired.json["error"]?["details"]?.array.first?["message"]?.string?.contains("was due for calibration on") == true)
            let none = try await client.sign(assembler, "B1001", "eol-test", instrument: nil)
            #expect(
                try none.json["error"]?["details"]?.array.first?["message"]?.string?.hasPrefix("name the calibrated instrument") == true)
            let unknown = try await client.sign(assembler, "B1001", "eol-test", instrument: "NOPE-1")
            #expect(unknown.status == .unprocessableEntity)
            let results = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(orderID)/builds/B1001/checklists/eol-test/results", headers: assembler)
            #expect(try results.json.array.isEmpty, "nothing was signed")

            let signed = try await client.sign(assembler, "B1001", "eol-test")
            #expect(signed.status == .created)
            let record = try JSONParser.parse(try #require(try signed.json["record"]?.string))
            #expect(record["instrument"]?["tag"] == .string(JourneyTests.instrumentTag))
            #expect(
                record["instrument"]?["calibrationDue"] == .string(InstrumentsController.today(Date().addingTimeInterval(365 * 86_400))))
            let certificate = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(orderID)/builds/B1001/checklists/eol-test/certificate", headers: assembler)
            #expect(try pdfText(of: certificate).contains("Instrument: \(JourneyTests.instrumentTag)"))

            // The register: admins add and recalibrate; refusals name the field.
            let admin = try await app.signIn(.admin)
            let bad = try await app.testing().sendRequest(
                .POST, "api/v1/instruments", headers: admin,
                body: body(["tag": "x", "description": "Thermometer", "calibrationDue": "2027-02-30"]))
            #expect(Set(try bad.json["error"]?["details"]?.array.compactMap { $0["field"]?.string } ?? []) == ["tag", "calibrationDue"])
            let duplicate = try await app.testing().sendRequest(
                .POST, "api/v1/instruments", headers: admin,
                body: body(["tag": .string(JourneyTests.instrumentTag), "description": "Again", "calibrationDue": "2030-01-01"]))
            #expect(duplicate.status == .conflict)
            let list = try await app.testing().sendRequest(.GET, "api/v1/instruments", headers: assembler).json.array
            let old = try #require(list.first { $0["tag"] == "FLUKE-OLD" })
            #expect(old["overdue"] == true)
            let recalibrated = try await app.testing().sendRequest(
                .PATCH, "api/v1/instruments/\(old["id"]!.string!)", headers: admin, body: body(["calibrationDue": "2030-01-01"]))
            #expect(try recalibrated.json["overdue"] == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPhotoOfAnItemEntersTheRecordByItsHash(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await People(app)
            let client = try await Self.readyForPreQC(app, people, order: orderBody())
            let other = try await app.testing().sendRequest(
                .POST, "api/v1/orders", headers: people.coordinator, body: body(orderBody(po: "PO-OTHER-1", builds: ["B7001"])))
            func upload(to orderID: String) async throws -> JSONValue {
                var headers = people.qc
                let (multipart, content) = DocumentsTests.multipart(kind: "PHOTO", file: ("bowl.png", "image/png", DocumentsTests.png))
                for (name, value) in multipart { headers.replaceOrAdd(name: name, value: value) }
                return try await app.testing().sendRequest(.POST, "api/v1/orders/\(orderID)/documents", headers: headers, body: content)
                    .json
            }
            let photo = try await upload(to: client.orderID)
            let foreign = try await upload(to: try #require(try other.json["id"]?.string))
            let path = "api/v1/orders/\(client.orderID)/builds/B1001/checklists/pre-qc"
            let instance = try await app.testing().sendRequest(.GET, path, headers: people.qc).json
            func answers(_ photoID: JSONValue) -> JSONValue {
                .array(
                    JourneyTests.Client.answers(instance).map {
                        $0["itemId"] == "pre-qc.basin.bottom-fill-hole.b1" ? $0.setting([.key("photos")], to: [photoID]) : $0
                    })
            }
            let signature = JSONValue.object([JSONMember("password", .string(testPassword))])
            let refused = try await app.testing().sendRequest(
                .POST, "\(path)/results", headers: people.qc, body: body(["answers": answers(foreign["id"]!), "signature": signature]))
            #expect(refused.status == .unprocessableEntity)
            #expect(
                try refused.json["error"]?["details"]?.array.first?["message"]?.string?.hasSuffix("is not a photo of this order") == true)

            let signed = try await app.testing().sendRequest(
                .POST, "\(path)/results", headers: people.qc, body: body(["answers": answers(photo["id"]!), "signature": signature]))
            #expect(signed.status == .created, "\(signed.body.string)")
            let record = try JSONParser.parse(try #require(try signed.json["record"]?.string))
            let answer = try #require(record["answers"]?.array.first { $0["itemId"] == "pre-qc.basin.bottom-fill-hole.b1" })
            #expect(answer["photos"]?.array.first?["sha256"] == photo["sha256"])
            #expect(answer["photos"]?.array.first?["documentId"] == photo["id"])
            let stored = try #require(try signed.json["record"]?.string)
            #expect(try signed.json["signature"]?["sha256"]?.string == SHA256.hash(data: Data(stored.utf8)).hex)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBuildKeepsTheVersionItStartedWith(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await People(app)
            let client = try await Self.readyForPreQC(app, people, order: orderBody())
            let base = "api/v1/orders/\(client.orderID)/builds"
            let started = try await app.testing().sendRequest(
                .PUT, "\(base)/B1001/checklists/pre-qc/draft", headers: people.qc,
                body: body(["answers": [.object([JSONMember("itemId", "pre-qc.job-id"), JSONMember("value", "J-88")])]]))
            #expect(started.status == .ok, "\(started.body.string)")

            let templates = try await app.testing().sendRequest(.GET, "api/v1/checklist-templates", headers: people.admin).json.array
            let current = try #require(templates.first { $0["kind"] == "PRE_QC" && $0["retired"] == false }?["id"]?.string)
            let definition = try #require(
                try await app.testing().sendRequest(.GET, "api/v1/checklist-templates/\(current)", headers: people.admin).json["definition"]
            )
            let next = try await app.testing().sendRequest(
                .POST, "api/v1/checklist-templates/\(current)/versions", headers: people.admin,
                body: body(definition.setting([.key("sections"), .index(0), .key("title")], to: "Header, revised")))
            #expect(try next.json["version"] == 3)

            let kept = try await app.testing().sendRequest(.GET, "\(base)/B1001/checklists/pre-qc", headers: people.qc).json
            #expect(kept["templateVersion"] == 2, "B1001's Pre-QC was started on version 2")
            let fresh = try await app.testing().sendRequest(.GET, "\(base)/B1002/checklists/pre-qc", headers: people.qc).json
            #expect(fresh["templateVersion"] == 3, "B1002's was not started: it takes the newest")
            #expect(try await client.sign(people.qc, "B1001", "pre-qc").json["templateVersion"] == 2)
        }
    }

    /// Migration 018 on a database with orders under way: those past PARTS_SENT keep version 1.
    @Test(arguments: TestDatabase.all)
    func ordersAlreadyUnderWayKeepVersionOne(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await People(app)
            let underWay = try await Self.readyForPreQC(app, people, order: orderBody())
            let waiting = try await app.createOrder(headers: people.coordinator, po: "PO-2026-0999", builds: ["B9001"])
            try await ChecklistsFollowTheBuild().revert(on: app.db)
            try await ChecklistsFollowTheBuild().prepare(on: app.db)
            let kept = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(underWay.orderID)/builds/B1001/checklists/eol-test", headers: people.qc
            ).json
            #expect(kept["templateVersion"] == 1)
            let new = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(waiting)/builds/B9001/checklists/eol-test", headers: people.qc
            ).json
            #expect(new["templateVersion"] == 2)
        }
    }
}
