import CleanStationCore
import Crypto
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// A two-build order from PO to SHIPPED through the API alone, each step
/// by its role, with a failed Pre-QC and a failed Final QC on the way.
@Suite struct JourneyTests {
    struct Client {
        let app: Application
        let orderID: String

        func move(_ headers: HTTPHeaders, _ status: String) async throws -> TestingHTTPResponse {
            try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(orderID)/status", headers: headers, body: body(["status": .string(status)]))
        }

        /// Answers every applicable item so that it passes, but `failing`;
        /// only the items that apply, as a person on the floor would. For the
        /// production checklist the holder checks every task off first (the
        /// checklist cannot be signed with a task open), and an end-of-line
        /// test names the register's instrument (`registerInstrument`).
        func sign(
            _ headers: HTTPHeaders, _ build: String, _ kind: String, failing: String? = nil, password: String = testPassword,
            instrument: String? = JourneyTests.instrumentTag
        ) async throws
            -> TestingHTTPResponse
        {
            let path = "api/v1/orders/\(orderID)/builds/\(build)/checklists/\(kind)"
            if kind == "production" { try await completeTasks(headers, build) }
            let instance = try await app.testing().sendRequest(.GET, path, headers: headers).json
            var members = [
                JSONMember("answers", .array(Self.answers(instance, failing: failing))),
                JSONMember("signature", .object([JSONMember("password", .string(password))])),
            ]
            if instance["instrumentRequired"] == true, let instrument { members.append(JSONMember("instrumentId", .string(instrument))) }
            return try await app.testing().sendRequest(.POST, "\(path)/results", headers: headers, body: body(.object(members)))
        }

        /// Passing answers to the applicable items of an instance (the API's JSON), failing `failing`.
        static func answers(_ instance: JSONValue, failing: String? = nil) -> [JSONValue] {
            let items = instance["sections"]?.array.flatMap { $0["items"]?.array ?? [] }.filter { $0["applicable"] == true } ?? []
            return items.map { item in
                let id = item["id"]!
                let expected = item["expectedValues"]?.array.first
                let value: JSONValue =
                    switch item["answerType"]?.string {
                    case "CHECK": .bool(id.string != failing)
                    case "NUMBER":
                        expected.flatMap { $0.string.flatMap(Double.init) }.map { .number($0) }
                            ?? .number(((item["min"]?.number ?? 0) + (item["max"]?.number ?? 0)) / 2)
                    case "CHOICE":
                        id.string == failing
                            ? item["failingOptions"]?.array.first ?? item["options"]!.array.first { $0 != expected }
                                ?? item["options"]!.array[0]
                            : expected ?? item["options"]!.array.first { option in
                                !(item["failingOptions"]?.array ?? []).contains(option) && option != "NO"
                            } ?? item["options"]!.array[0]
                    default: .string("SN-\(id.string ?? "")")
                    }
                return .object([JSONMember("itemId", id), JSONMember("value", value)])
            }
        }

        /// Checks off every open task of a build the caller holds, choosing the first option where a task records one.
        func completeTasks(_ headers: HTTPHeaders, _ build: String) async throws {
            let path = "api/v1/orders/\(orderID)/builds/\(build)/tasks"
            for task in try await app.testing().sendRequest(.GET, path, headers: headers).json.array where task["done"] == false {
                let id = task["id"]?.string ?? ""
                let value = task["options"]?.array.first.map { JSONValue.object([JSONMember("value", $0)]) }
                _ = try await app.testing().sendRequest(
                    .POST, "\(path)/\(id)/complete", headers: headers, body: value.map { body($0) } ?? ByteBuffer())
            }
        }
    }

    static let instrumentTag = "FLUKE-52-TEST"

    /// A calibrated thermometer in the register, due a year from now.
    static func registerInstrument(_ app: Application, tag: String = instrumentTag, due: String? = nil) async throws {
        let instrument = Instrument()
        instrument.tag = tag
        instrument.description = "Fluke 52 II dual-probe thermometer"
        instrument.calibrationDue = due ?? InstrumentsController.today(Date().addingTimeInterval(365 * 86_400))
        try await instrument.create(on: app.db)
    }

    @Test(arguments: TestDatabase.all)
    func fromPurchaseOrderToShipped(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let procurement = try await app.signIn(.procurementSpecialist)
            let qc = try await app.signIn(.qcPerson)
            let assembler = try await app.signIn(.assembler)
            let admin = try await app.signIn(.admin)
            try await JourneyTests.registerInstrument(app)
            let created = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            let client = Client(app: app, orderID: try #require(try created.json["id"]?.string))
            let builds = ["B1001", "B1002"]

            for build in builds {
                _ = try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(client.orderID)/builds/\(build)/bom/approve", headers: procurement)
            }
            #expect(try await client.move(procurement, "PARTS_SENT").status == .ok)
            #expect(try await client.move(procurement, "READY_FOR_PRE_QC").status == .ok)

            let noDrawing = try await client.sign(qc, "B1001", "pre-qc")
            #expect(noDrawing.status == .conflict)
            #expect(try noDrawing.json["error"]?["message"]?.string?.contains("DRAWING") == true)
            var upload = coordinator
            let (headers, drawing) = DocumentsTests.multipart(kind: "DRAWING", file: ("drawing.pdf", "application/pdf", DocumentsTests.pdf))
            for (name, value) in headers { upload.replaceOrAdd(name: name, value: value) }
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(client.orderID)/documents", headers: upload, body: drawing)
                    .status == .created)

            #expect(try await client.sign(assembler, "B1001", "pre-qc").status == .forbidden)
            #expect(try await client.sign(qc, "B1001", "pre-qc", password: "Not-My-Password-1").status == .unprocessableEntity)
            #expect(
                try await client.sign(assembler, "B1001", "production").status == .conflict,
                "production is recorded in READY_FOR_PRODUCTION")

            // A failed Pre-QC sends the parts back.
            let failed = try await client.sign(qc, "B1001", "pre-qc", failing: "pre-qc.dimensions-bom")
            #expect(failed.status == .created)
            #expect(try failed.json["outcome"] == "FAIL")
            #expect(try failed.json["failedItems"] == ["pre-qc.dimensions-bom"])
            #expect(try await client.sign(qc, "B1002", "pre-qc").status == .created)
            #expect(try await client.move(qc, "READY_FOR_PRODUCTION").status == .ok, "B1002 goes on; B1001 waits")
            // The queues list the order by its builds: B1002 in production, B1001 still at Pre-QC.
            var floor = try await WebClient.signIn(app, .assembler)
            #expect(try await floor.get("/production").body.string.contains("PO-2026-0042"))
            var inspector = try await WebClient.signIn(app, .qcPerson)
            let queue = try await inspector.get("/qc").body.string
            #expect(queue.contains("PO-2026-0042") && queue.contains("1 × Ready for Pre-QC · 1 × Ready for production"))
            #expect(try await client.move(qc, "PARTS_SENT").status == .ok)
            #expect(try await client.move(procurement, "READY_FOR_PRE_QC").status == .ok)
            #expect(try await client.move(qc, "READY_FOR_PRODUCTION").status == .conflict, "a new round needs new results")
            #expect(try await client.sign(qc, "B1001", "pre-qc").status == .created)
            #expect(try await client.move(qc, "READY_FOR_PRODUCTION").status == .ok)

            // Production, tests, packaging, and a failed Final QC with rework.
            func assemble(_ builds: [String]) async throws {
                for build in builds {
                    #expect(try await client.sign(assembler, build, "production").status == .created)
                    #expect(try await client.sign(assembler, build, "eol-test").status == .created)
                }
                #expect(try await client.move(assembler, "TESTING_COMPLETE").status == .ok)
                for build in builds { #expect(try await client.sign(assembler, build, "packaging").status == .created) }
                #expect(try await client.move(assembler, "PACKAGING_COMPLETE").status == .ok)
                #expect(try await client.move(assembler, "READY_FOR_FINAL_QC").status == .ok)
            }
            // One assembler holds each build; another cannot take it or record for it.
            let unclaimed = try await client.sign(assembler, "B1001", "production")
            #expect(unclaimed.status == .conflict)
            #expect(try unclaimed.json["error"]?["message"]?.string?.contains("Claim build B1001") == true)
            for build in builds {
                let claimed = try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(client.orderID)/builds/\(build)/claim", headers: assembler)
                #expect(claimed.status == .ok)
            }
            let other = try await app.signIn(.assembler)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(client.orderID)/builds/B1001/claim", headers: other).status
                    == .conflict)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(client.orderID)/builds/B1001/release", headers: other).status
                    == .conflict)
            #expect(try await client.sign(other, "B1001", "production").status == .conflict)
            let detail = try await app.testing().sendRequest(.GET, "api/v1/orders/\(client.orderID)", headers: assembler).json
            #expect(detail["builds"]?.array.allSatisfy { $0["heldBy"]?.string != nil } == true)
            #expect(try await client.move(assembler, "TESTING_COMPLETE").status == .conflict)
            try await assemble(builds)
            #expect(try await client.sign(qc, "B1001", "final-qc").status == .created)
            #expect(try await client.sign(qc, "B1002", "final-qc", failing: "final-qc.hi-pot").status == .created)
            // Each build on its own: B1001 goes on; the order's send-back takes B1002 alone, its nonconformance into rework.
            #expect(try await client.move(qc, "READY_FOR_SHIP").status == .ok)
            #expect(try await client.move(qc, "READY_FOR_PRODUCTION").status == .ok)
            let detail2 = try await app.testing().sendRequest(.GET, "api/v1/orders/\(client.orderID)", headers: qc).json
            #expect(detail2["builds"]?.array.map { $0["status"] } == ["READY_FOR_SHIP", "READY_FOR_PRODUCTION"])
            #expect(detail2["status"] == "READY_FOR_PRODUCTION")
            #expect(detail2["builds"]?.array.allSatisfy { $0["heldBy"] == .null } == true, "a claim ends when the build leaves production")
            #expect(try await client.move(assembler, "TESTING_COMPLETE").status == .conflict, "rework needs new records")
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(client.orderID)/builds/B1002/claim", headers: assembler).status
                    == .ok)
            try await assemble(["B1002"])
            #expect(try await client.sign(qc, "B1002", "final-qc").status == .created)
            let reports = try await app.testing().sendRequest(.GET, "api/v1/nonconformances", headers: qc).json.array
            #expect(reports.map { $0["buildNumber"] } == ["B1002", "B1001"])
            #expect(reports.map { $0["state"] } == ["CLOSED", "CLOSED"])
            #expect(reports.first?["disposition"] == "REWORK")
            #expect(try await client.move(qc, "READY_FOR_SHIP").status == .ok)
            #expect(try await client.move(assembler, "SHIPPED").status == .forbidden)
            let shipped = try await client.move(coordinator, "SHIPPED")
            #expect(try shipped.json["status"] == "SHIPPED")
            #expect(try await client.move(admin, "CANCELLED").status == .conflict)

            // Every signed record hashes to its stored SHA-256, and supersedes the one before.
            let results = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(client.orderID)/builds/B1002/checklists/final-qc/results", headers: qc
            ).json.array
            #expect(results.count == 2)
            for result in results {
                let record = try #require(result["record"]?.string)
                #expect(SHA256.hash(data: Data(record.utf8)).hex == result["signature"]?["sha256"]?.string)
                #expect(result["signature"]?["initials"] == "TT")
                #expect(result["signature"]?["meaning"]?.string?.isEmpty == false)
            }
            #expect(results[1]["supersedes"] == results[0]["id"])

            let sql = app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) { try await sql.raw("UPDATE checklist_results SET outcome = 'PASS'").run() }
            let verify = try await app.testing().sendRequest(.GET, "api/v1/audit/verify", headers: admin)
            #expect(try verify.json["intact"] == true)
            let metrics = try await app.testing(method: .running(hostname: "127.0.0.1", port: try freePort())).sendRequest(.GET, "metrics")
            #expect(metrics.body.string.contains(#"qc_checks_completed_total{kind="FINAL_QC",outcome="FAIL"} 1"#))
        }
    }
}

@Suite struct ClaimTests {
    @Test(arguments: TestDatabase.all)
    func twoAssemblersRacingForOneBuildOneWins(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let procurement = try await app.signIn(.procurementSpecialist)
            let admin = try await app.signIn(.admin)
            let created = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            let id = try #require(try created.json["id"]?.string)
            let early = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(id)/builds/B1001/claim", headers: try await app.signIn(.assembler))
            #expect(early.status == .conflict, "builds are held only in production")
            for build in ["B1001", "B1002"] {
                _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/\(build)/bom/approve", headers: procurement)
            }
            for status in ["PARTS_SENT", "READY_FOR_PRE_QC"] {
                _ = try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(id)/status", headers: procurement, body: body(["status": .string(status)]))
            }
            // Reach READY_FOR_PRODUCTION as the lifecycle allows it: a passed Pre-QC per build.
            var upload = coordinator
            let (headers, drawing) = DocumentsTests.multipart(kind: "DRAWING", file: ("d.pdf", "application/pdf", DocumentsTests.pdf))
            for (name, value) in headers { upload.replaceOrAdd(name: name, value: value) }
            _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: upload, body: drawing)
            let client = JourneyTests.Client(app: app, orderID: id)
            let qc = try await app.signIn(.qcPerson)
            for build in ["B1001", "B1002"] { _ = try await client.sign(qc, build, "pre-qc") }
            #expect(try await client.move(qc, "READY_FOR_PRODUCTION").status == .ok)

            var assemblers: [HTTPHeaders] = []
            for _ in 0..<4 { assemblers.append(try await app.signIn(.assembler)) }
            let tester = try app.testing()
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for headers in assemblers {
                    group.addTask {
                        try await tester.sendRequest(.POST, "api/v1/orders/\(id)/builds/B1001/claim", headers: headers).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 409, 409, 409])

            let newcomer = try await app.signIn(.assembler, email: "new.assembler@test.torvan.test")
            let newcomerID = try #require(
                try await app.testing().sendRequest(.GET, "api/v1/auth/session", headers: newcomer).json["user"]?["id"]?.string)
            let assigned = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(id)/builds/B1001/assign", headers: admin, body: body(["userId": .string(newcomerID)]))
            #expect(assigned.status == .ok)
            #expect(try assigned.json["builds"]?.array.first?["heldBy"]?.string == newcomerID)
            #expect(try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/B1001/release", headers: newcomer).status == .ok)
        }
    }
}
