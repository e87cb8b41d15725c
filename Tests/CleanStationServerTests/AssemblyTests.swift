import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct AssemblyTests {
    /// An order brought to READY_FOR_PRODUCTION the way the lifecycle allows.
    static func orderInProduction(_ app: Application) async throws -> String {
        let coordinator = try await app.signIn(.productionCoordinator)
        let procurement = try await app.signIn(.procurementSpecialist)
        let qc = try await app.signIn(.qcPerson)
        let id = try await app.createOrder(headers: coordinator)
        for build in ["B1001", "B1002"] {
            _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/\(build)/bom/approve", headers: procurement)
        }
        let client = JourneyTests.Client(app: app, orderID: id)
        _ = try await client.move(procurement, "PARTS_SENT")
        _ = try await client.move(procurement, "READY_FOR_PRE_QC")
        var upload = coordinator
        let (headers, drawing) = DocumentsTests.multipart(kind: "DRAWING", file: ("d.pdf", "application/pdf", DocumentsTests.pdf))
        for (name, value) in headers { upload.replaceOrAdd(name: name, value: value) }
        _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: upload, body: drawing)
        for build in ["B1001", "B1002"] { _ = try await client.sign(qc, build, "pre-qc") }
        let moved = try await client.move(qc, "READY_FOR_PRODUCTION")
        #expect(moved.status == .ok, "\(moved.body.string)")
        return id
    }

    @Test(arguments: TestDatabase.all)
    func tasksCarryPartsToolsAndInstructionsAndAreCheckedOffByTheHolder(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await app.signIn(.admin)
            let assembler = try await app.signIn(.assembler)
            let id = try await Self.orderInProduction(app)

            let tools = try await app.testing().sendRequest(
                .POST, "api/v1/tools", headers: admin, body: body(["name": "Torque driver", "description": "2–10 N·m"]))
            #expect(tools.status == .created)
            let toolID = try #require(try tools.json.array.first?["id"]?.string)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/tools", headers: admin, body: body(["name": "Torque driver"])).status
                    == .conflict)
            let instruction = try await app.testing().sendRequest(
                .PUT, "api/v1/work-instructions/production.control-boxes", headers: admin,
                body: body([
                    "title": "Mount the control boxes", "steps": ["Fit the bracket", "Fix the box", "Connect D# and S# cables"],
                    "safetyNotes": "Power off", "toolIds": .array([.string(toolID)]),
                ]))
            #expect(instruction.status == .ok, "\(instruction.body.string)")
            let badTool = try await app.testing().sendRequest(
                .PUT, "api/v1/work-instructions/production.logo", headers: admin,
                body: body(["title": "Logo", "steps": ["Stick it"], "toolIds": ["00000000-0000-0000-0000-000000000000"]]))
            #expect(try badTool.json["error"]?["details"]?.array.first?["field"] == "toolIds[0]")

            let path = "api/v1/orders/\(id)/builds/B1001/tasks"
            let tasks = try await app.testing().sendRequest(.GET, path, headers: assembler).json.array
            let boxes = try #require(tasks.first { $0["id"] == "production.control-boxes" })
            #expect(boxes["parts"]?.array.map { $0["id"]?.string ?? "" } == ["T2-CTRL-EDR1-ESK1"])
            #expect(boxes["tools"] == ["Torque driver"])
            #expect(boxes["workInstruction"]?["steps"]?.array.count == 3)
            #expect(tasks.first { $0["id"] == "production.edr.overflow-sensor.b1" }?["parts"]?.array.first?["id"] == "T2-BSN-EDR-KIT")
            #expect(!tasks.contains { $0["id"]?.string?.hasPrefix("production.edr.overflow-sensor.b2") == true })

            let complete = "\(path)/production.control-boxes/complete"
            #expect(try await app.testing().sendRequest(.POST, complete, headers: assembler).status == .conflict, "hold the build first")
            _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/B1001/claim", headers: assembler)
            let done = try await app.testing().sendRequest(.POST, complete, headers: assembler).json.array
            #expect(done.first { $0["id"] == "production.control-boxes" }?["done"] == true)
            #expect(try await app.testing().sendRequest(.POST, complete, headers: assembler).status == .conflict)
            #expect(
                try await app.testing().sendRequest(.POST, "\(path)/production.nothing/complete", headers: assembler).status == .notFound)
        }
    }
}
