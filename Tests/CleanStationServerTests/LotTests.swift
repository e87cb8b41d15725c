import CleanStationCore
import CleanStationTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// Lot tracking (issue 18): an administrator flags parts, the holder records
/// their lots at assembly before production is signed, corrections keep
/// what was there, and where-used finds the builds of one lot.
@Suite struct LotTests {
    @Test(arguments: TestDatabase.all)
    func aFlaggedLineGetsItsLotBeforeProductionIsSignedAndWhereUsedFindsIt(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody(po: "PO-LOT-1", builds: ["B6001"]))
            let buildID = try #require(try await Build.query(on: app.db).filter(\.$buildNumber == "B6001").first()?.id)
            let parts = try await BuildPart.query(on: app.db).filter(\.$build.$id == buildID).all().map(\.partID).sorted()
            let (box, drain) = (
                try #require(parts.first { $0.hasPrefix("T2-CTRL-") }), try #require(parts.first { $0.hasPrefix("T2-BSN-") })
            )
            let flag: @Sendable (String, HTTPHeaders, Bool) async throws -> TestingHTTPResponse = { item, headers, tracked in
                try await app.testing().sendRequest(
                    .PUT, "api/v1/catalog/items/\(item)/lot-tracking", headers: headers, body: body(["lotTracked": .bool(tracked)]))
            }
            #expect(try await flag(box, people.coordinator, true).status == .forbidden)
            #expect(try await flag("NO-SUCH-PART", people.admin, true).status == .notFound)
            let wrongType = try await app.testing().sendRequest(
                .PUT, "api/v1/catalog/items/\(box)/lot-tracking", headers: people.admin, body: body(["lotTracked": "yes"]))
            #expect(try wrongType.json["error"]?["details"]?.array.first?["field"] == "lotTracked")
            // Twenty flags of one item at once: one row, one audit entry, every answer the same.
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<20 { group.addTask { try await flag(box, people.admin, true).status.code } }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 20))
            #expect(try await flag(drain, people.admin, true).json["lotTracked"] == true)
            #expect(try await LotTrackedItem.query(on: app.db).count() == 2)
            #expect(try await Self.entries(app, "catalog_item", box) == 1)
            let item = try await app.testing().sendRequest(.GET, "api/v1/catalog/items/\(box)", headers: people.qc).json
            #expect(item["lotTracked"] == true)

            #expect(try await client.sign(people.qc, "B6001", "pre-qc").status == .created)
            #expect(try await client.move(people.qc, "READY_FOR_PRODUCTION").status == .ok)
            let lots = "api/v1/orders/\(client.orderID)/builds/B6001/lots"
            let before = try await app.testing().sendRequest(.GET, lots, headers: people.qc).json
            #expect(before["lines"]?.array.filter { $0["lot"] == .null }.compactMap { $0["itemId"]?.string } == [box, drain].sorted())
            let record: @Sendable (String, JSONValue) async throws -> TestingHTTPResponse = { item, lot in
                try await app.testing().sendRequest(.PUT, "\(lots)/\(item)", headers: people.assembler, body: body(["lot": lot]))
            }
            #expect(try await record(box, "L-1").status == .conflict, "claim the build first")
            #expect(try await record(box, " ").status == .conflict, "the rules are asked before the lot is read")
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(client.orderID)/builds/B6001/claim", headers: people.assembler)
                    .status == .ok)
            for bad: JSONValue in ["  ", .string(String(repeating: "9", count: 41)), "L\u{7}1", 42] {
                let refused = try await record(box, bad)
                #expect(refused.status == .unprocessableEntity, "\(bad)")
                #expect(try refused.json["error"]?["details"]?.array.first?["field"] == "lot")
            }
            let untracked = try #require(parts.first { ![box, drain].contains($0) })
            #expect(try await record(untracked, "L-1").status == .notFound)

            // Signing waits for the lots, and names them.
            let early = try await client.sign(people.assembler, "B6001", "production")
            #expect(early.status == .conflict)
            #expect(try early.json["error"]?["code"] == "LOTS_MISSING")
            #expect(
                try early.json["error"]?["details"]?.array.compactMap { $0["field"]?.string } == [box, drain].sorted().map { "lots.\($0)" })

            #expect(try await record(box, " L-BOX-7 ").json["lines"]?.array.first { $0["itemId"]?.string == box }?["lot"] == "L-BOX-7")
            #expect(try await record(drain, "L-DR-1").status == .ok)
            #expect(try await record(drain, "L-DR-1").status == .ok, "the same lot again changes nothing")
            // Twenty corrections at once: each supersedes the one it read, or is refused; one lot stands at the end.
            let corrections = try await withThrowingTaskGroup(of: UInt.self) { group in
                for index in 0..<20 { group.addTask { try await record(drain, .string("L-DR-\(index + 2)")).status.code } }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(corrections.allSatisfy { [200, 409].contains($0) } && corrections.contains(200), "\(corrections)")
            let rows = try await BuildLot.query(on: app.db).filter(\.$itemID == drain).all()
            let superseded = rows.compactMap(\.supersedesID)
            #expect(Set(superseded).count == superseded.count && rows.count == superseded.count + 1)
            #expect(rows.count == 1 + corrections.filter { $0 == 200 }.count)
            #expect(try await Self.entries(app, "build_lot", "B6001/\(drain)") == rows.count)
            let standing = try #require(
                try await app.testing().sendRequest(.GET, lots, headers: people.qc).json["lines"]?.array.first {
                    $0["itemId"]?.string == drain
                }?[
                    "lot"]?.string)
            #expect(standing.hasPrefix("L-DR-") && standing != "L-DR-1")

            #expect(try await client.sign(people.assembler, "B6001", "production").status == .created)
            #expect(try await record(box, "L-BOX-8").status == .conflict, "the lots stand as signed")

            let whereUsed = { (query: String) in
                try await app.testing().sendRequest(.GET, "api/v1/where-used?\(query)", headers: people.coordinator).json
            }
            #expect(try await whereUsed("part=\(box)")["builds"]?.array.first?["lot"] == "L-BOX-7")
            #expect(try await whereUsed("part=\(box)&lot=L-BOX-7")["builds"]?.array.count == 1)
            #expect(try await whereUsed("part=\(box)&lot=l-box-7")["builds"]?.array.count == 1, "as read aloud from the label")
            #expect(try await whereUsed("part=\(drain)&lot=L-DR-1")["builds"]?.array.count == 0, "superseded")
            #expect(try await whereUsed("part=\(drain)&lot=\(standing)")["builds"]?.array.count == 1)
            let csv = try await app.testing().sendRequest(.GET, "api/v1/where-used/csv?part=\(box)", headers: people.coordinator)
            #expect(csv.body.string.contains(",L-BOX-7"))

            // An item no longer tracked keeps the lots its builds recorded, and asks for none.
            #expect(try await flag(box, people.admin, false).status == .ok)
            #expect(try await flag(box, people.admin, false).status == .ok)
            #expect(try await Self.entries(app, "catalog_item", box) == 2, "one entry for one change")
            let kept = try await app.testing().sendRequest(.GET, lots, headers: people.qc).json["lines"]?.array ?? []
            #expect(kept.first { $0["itemId"]?.string == box }.map { [$0["lotTracked"], $0["lot"]] } == [false, "L-BOX-7"])
            // The device history record carries the lots; a lot rewritten behind the application is not filed.
            let files = try await DeviceHistoryFiles.export(app, build: "B6001")
            let filedLots = try JSONParser.parse(files.manifest)["manifest"]?["lots"]?.array ?? []
            #expect(filedLots.map { $0["lot"]?.string ?? "" } == [box, drain].sorted().map { $0 == box ? "L-BOX-7" : standing })
            try await (app.db as! any SQLDatabase).raw("UPDATE build_lots SET lot = 'L-BOX-FORGED' WHERE lot = 'L-BOX-7'").run()
            #expect(
                try await app.testing().sendRequest(.GET, "api/v1/where-used?part=\(box)", headers: people.qc).json["builds"]?.array.first?[
                    "lot"] == "L-BOX-FORGED")
            await #expect {
                try await DeviceHistoryFiles.export(app, build: "B6001")
            } throws: { error in
                (error as? DeviceHistoryFiles.Problem)?.description.contains("not the one its audit entry recorded") == true
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCataloguePageFlagsAndTheTaskPageRecordsALot(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody(po: "PO-LOT-2", builds: ["B6101"]))
            let buildID = try #require(try await Build.query(on: app.db).filter(\.$buildNumber == "B6101").first()?.id)
            let box = try #require(
                try await BuildPart.query(on: app.db).filter(\.$build.$id == buildID).all().map(\.partID).first { $0.hasPrefix("T2-CTRL-") }
            )

            var qc = try await WebClient.signIn(app, .qcPerson)
            let seen = try await qc.get("catalog/items/\(box)").body.string
            #expect(seen.contains("Lot-tracked") && !seen.contains("Track its lots"))
            var admin = try await WebClient.signIn(app, .admin)
            #expect(try await admin.get("catalog/items/\(box)").body.string.contains("Track its lots at assembly"))
            let flagged = try await admin.post("catalog/items/\(box)/lot-tracking", [("lotTracked", "true")])
            #expect(flagged.status == .seeOther)
            #expect(try await admin.get("catalog/items/\(box)").body.string.contains("Stop tracking its lots"))

            #expect(try await client.sign(people.qc, "B6101", "pre-qc").status == .created)
            #expect(try await client.move(people.qc, "READY_FOR_PRODUCTION").status == .ok)
            var assembler = try await WebClient.signIn(app, .assembler)
            let tasks = "orders/\(client.orderID)/builds/B6101/tasks"
            #expect(try await assembler.post("orders/\(client.orderID)/builds/B6101/claim", []).status == .seeOther)
            let page = try await assembler.get(tasks).body.string
            #expect(page.contains("No lot yet") && page.contains("Record the lot"))
            #expect(unlabelledControls(page).isEmpty, "\(unlabelledControls(page))")
            let refused = try await assembler.post("orders/\(client.orderID)/builds/B6101/lots/\(box)", [("lot", " ")])
            #expect(refused.status == .seeOther)
            #expect(try await assembler.get(tasks).body.string.contains("enter the lot as printed"))
            #expect(try await assembler.post("orders/\(client.orderID)/builds/B6101/lots/\(box)", [("lot", "L-77")]).status == .seeOther)
            let after = try await assembler.get(tasks).body.string
            #expect(after.contains("Lot L-77") && after.contains("Correct the lot"))
        }
    }

    /// How many audit entries a resource has.
    static func entries(_ app: Application, _ type: String, _ id: String) async throws -> Int {
        try await (app.db as! any SQLDatabase).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_log")
            .where("resource_type", .equal, type).where("resource_id", .equal, id).first()?.decode(column: "n", as: Int.self) ?? -1
    }
}
