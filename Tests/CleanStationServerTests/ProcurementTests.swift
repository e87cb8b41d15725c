import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct ProcurementTests {
    @Test(arguments: TestDatabase.all)
    func outsourcedLinesHoldPreQCUntilReceived(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let procurement = try await app.signIn(.procurementSpecialist)
            let id = try await app.createOrder(headers: coordinator)
            let path = "api/v1/orders/\(id)/builds/B1001/outsourcing"
            let unknown = try await app.testing().sendRequest(
                .POST, path, headers: procurement, body: body(["lineId": "NOPE", "supplier": "Acme Steel"]))
            #expect(try unknown.json["error"]?["details"]?.array.first?["field"] == "lineId")
            let marked = try await app.testing().sendRequest(
                .POST, path, headers: procurement,
                body: body(["lineId": "T2-BODY-48-60-HA", "supplier": "Acme Steel", "expectedDate": "2027-01-15", "note": "welded frame"]))
            #expect(marked.status == .created)
            let lineID = try #require(try marked.json["id"]?.string)
            #expect(
                try await app.testing().sendRequest(
                    .POST, path, headers: procurement, body: body(["lineId": "T2-BODY-48-60-HA", "supplier": "Other"])
                ).status == .conflict)

            for build in ["B1001", "B1002"] {
                _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/\(build)/bom/approve", headers: procurement)
            }
            let shortage = try await app.testing().sendRequest(.GET, "api/v1/procurement/shortage", headers: procurement).json
            #expect(shortage["builds"] == 2)
            #expect(shortage["parts"]?.array.first { $0["id"] == "T-OA-BINRAIL-24-KIT" }?["quantity"] == 4)

            func move(_ status: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(id)/status", headers: procurement, body: body(["status": .string(status)]))
            }
            #expect(try await move("PARTS_SENT").status == .ok)
            // The build with a line outstanding waits; the other one goes on.
            let held = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(id)/builds/B1001/status", headers: procurement, body: body(["status": "READY_FOR_PRE_QC"]))
            #expect(held.status == .conflict)
            #expect(try held.json["error"]?["message"]?.string?.contains("RECEIVED") == true)
            let others = try await move("READY_FOR_PRE_QC")
            #expect(others.status == .ok)
            #expect(try others.json["builds"]?.array.map { $0["status"] } == ["PARTS_SENT", "READY_FOR_PRE_QC"])
            let update = { (status: String) in
                try await app.testing().sendRequest(
                    .PATCH, "api/v1/outsourcing/\(lineID)", headers: procurement, body: body(["status": .string(status)]))
            }
            #expect(try await update("SENT").json["status"] == "SENT")
            #expect(try await update("PENDING").status == .conflict)
            #expect(try await update("RECEIVED").json["status"] == "RECEIVED")
            #expect(try await move("READY_FOR_PRE_QC").status == .ok)
            let listed = try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)/outsourcing", headers: coordinator).json.array
            #expect(listed.map { $0["supplier"]?.string ?? "" } == ["Acme Steel"])
        }
    }
}
