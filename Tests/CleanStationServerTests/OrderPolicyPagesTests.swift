import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

/// The pages offer what the API allows (issue 16, step 1): both ask `OrderPolicy`.
@Suite struct OrderPolicyPagesTests {
    /// Pre-QC without the approved drawing: the form can be filled in and saved, not signed; the API says the same.
    @Test func preQCIsNotOfferedForSignatureWithoutTheDrawing() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let procurement = try await app.signIn(.procurementSpecialist)
            let id = try await app.createOrder(headers: coordinator)
            for build in ["B1001", "B1002"] {
                _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/\(build)/bom/approve", headers: procurement)
            }
            let client = JourneyTests.Client(app: app, orderID: id)
            #expect(try await client.move(procurement, "PARTS_SENT").status == .ok)
            #expect(try await client.move(procurement, "READY_FOR_PRE_QC").status == .ok)

            var qc = try await WebClient.signIn(app, .qcPerson)
            let page = try await qc.get("/orders/\(id)/builds/B1001/checklists/pre-qc").body.string
            #expect(page.contains("Pre-QC needs the approved drawing"))
            #expect(!page.contains("Sign Pre-QC") && page.contains("Save draft"))
            let signed = try await client.sign(try await app.signIn(.qcPerson), "B1001", "pre-qc")
            #expect(signed.status == .conflict)
            #expect(try signed.json["error"]?["message"]?.string?.contains("Pre-QC needs the approved drawing") == true)
            // With the drawing attached, the same form is offered for signature.
            var upload = coordinator
            let (headers, drawing) = DocumentsTests.multipart(kind: "DRAWING", file: ("d.pdf", "application/pdf", DocumentsTests.pdf))
            for (name, value) in headers { upload.replaceOrAdd(name: name, value: value) }
            let attached = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: upload, body: drawing)
            #expect(attached.status == .created)
            let ready = try await qc.get("/orders/\(id)/builds/B1001/checklists/pre-qc").body.string
            #expect(ready.contains("Sign Pre-QC") && !ready.contains("Pre-QC needs the approved drawing"))

            // Procurement is offered no approval once the BOMs are approved and the parts sent; the API refuses it too.
            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let order = try await buyer.get("/orders/\(id)").body.string
            #expect(!order.contains("/builds/B1001/approve"))
            let again = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/B1001/bom/approve", headers: procurement)
            #expect(again.status == .conflict && again.errorCode == "INVALID_TRANSITION")
        }
    }

    /// The production checklist with a task open is saved, not signed, on the page as in the API (409 `TASKS_OPEN`).
    @Test func productionIsNotOfferedForSignatureWithATaskOpen() async throws {
        try await withTestApp(.sqlite) { app in
            let id = try await AssemblyTests.orderInProduction(app)
            var assembler = try await WebClient.signIn(app, .assembler)
            _ = try await assembler.get("/orders/\(id)")
            #expect(try await assembler.post("/orders/\(id)/builds/B1001/claim", []).status == .seeOther)
            let page = try await assembler.get("/orders/\(id)/builds/B1001/checklists/production").body.string
            #expect(page.contains("still open") && page.contains("Save draft") && !page.contains("Sign Production checklist"))
        }
    }

    /// A next step that cannot be taken yet is shown disabled, with the reason the API gives after the click.
    @Test func theNextStepSaysWhyItWaits() async throws {
        try await withTestApp(.sqlite) { app in
            let id = try await app.createOrder(headers: try await app.signIn(.productionCoordinator))
            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let waiting = try await buyer.get("/orders/\(id)").body.string
            #expect(waiting.contains(#"disabled aria-describedby="why-PARTS_SENT""#))
            #expect(waiting.contains("Build B1001&#39;s BOM must be approved before its parts are sent."))
            #expect(waiting.contains(#"disabled aria-describedby="why-B1002-PARTS_SENT""#), "each build says why it waits")
            let refused = try await buyer.post("/orders/\(id)/status", [("status", "PARTS_SENT")])
            #expect(refused.status == .seeOther, "the API still refuses it, as the page said")
            for build in ["B1001", "B1002"] { _ = try await buyer.post("/orders/\(id)/builds/\(build)/approve", []) }
            let ready = try await buyer.get("/orders/\(id)").body.string
            #expect(!ready.contains("why-PARTS_SENT") && ready.contains(#"name="status" value="PARTS_SENT""#))
        }
    }
}
