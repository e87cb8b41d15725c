import CleanStationCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

/// The checklist, task, instrument and template-editor pages (issue 15).
@Suite(.serialized) struct ChecklistPagesTests {
    @Test(arguments: TestDatabase.all) func theFormShowsWhatAppliesWhatDoesNotAndKeepsADraft(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody())
            var qc = try await WebClient.signIn(app, .qcPerson)
            let path = "/orders/\(client.orderID)/builds/B1001/checklists/pre-qc"
            let page = try await qc.get(path)
            let html = page.body.string
            #expect(page.status == .ok)
            #expect(unlabelledControls(html) == [])
            // Basin 2 is an E-Sink: no drain button, shown as N/A with the reason, not hidden.
            #expect(html.contains(#"<div class="item not-applicable" id="item-pre-qc-basin-drain-button-b2">"#))
            #expect(html.contains("Does not apply: needs T2-BSN-DRAIN-BTN in the basin&#39;s kit."))
            #expect(html.contains("Ordered: Lock &amp; levelling castors"))
            #expect(html.contains(#"<option value="CENTER">Center</option>"#), "choices in words, not codes")
            #expect(!html.contains(">CENTER<"))
            #expect(html.contains(#"data-autosave="\#(path)/draft""#))

            // The draft: "Save draft" keeps the answers; the page shows them again; autosave answers 204.
            let answers = [
                ("answers[0].itemId", "pre-qc.job-id"), ("answers[0].value", "J-2207"), ("answers[1].itemId", "pre-qc.basin-count"),
                ("answers[1].value", "2"), ("answers[2].itemId", "pre-qc.dimensions-bom"), ("answers[2].value", "false"),
                ("answers[2].note", "basin 2 is 1/4 in short"),
            ]
            let saved = try await qc.post("\(path)/draft", answers)
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(300))")
            let resumed = try await qc.get(path).body.string
            #expect(resumed.contains(#"value="J-2207""#))
            #expect(resumed.contains(#"value="false" checked"#))
            #expect(resumed.contains(#"value="basin 2 is 1/4 in short""#))
            #expect(resumed.contains("Draft saved by Page QC_PERSON"))
            let autosave = try await qc.post("\(path)/draft", answers + [("answers[0].value", "J-2208")], headers: ["X-Autosave": "1"])
            #expect(autosave.status == .noContent)
            let draft = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(client.orderID)/builds/B1001/checklists/pre-qc/draft", headers: people.qc
            ).json
            #expect(draft["answers"]?.array.filter { $0["value"] != nil }.count == 3, "the three answers typed, of every item sent")

            // A photo of one item, from the page, enters the draft and shows beside the item.
            let photo = try await qc.upload(
                "\(path)/photos", [("kind", "PHOTO"), ("itemId", "pre-qc.basin.bottom-fill-hole.b1")],
                file: ("hole.png", "image/png", DocumentsTests.png))
            #expect(photo.status == .seeOther)
            #expect(photo.headers.first(name: .location) == "\(path)#item-pre-qc-basin-bottom-fill-hole-b1")
            let withPhoto = try await qc.get(path).body.string
            #expect(withPhoto.contains(#"alt="Photo 1 of Bottom fill hole""#))

            // A refused draft marks the item at its place on the form, whatever comes before it.
            let misplaced = try await qc.post("\(path)/draft", [("answers[1].value", "two")])
            #expect(misplaced.status == .unprocessableEntity)
            #expect(misplaced.body.string.contains(#"<div class="item invalid" id="item-pre-qc-basin-count" data-item>"#))
            #expect(!misplaced.body.string.contains(#"<div class="item invalid" id="item-pre-qc-job-id" data-item>"#))
            // A stale page does not overwrite what another device saved since.
            let stale = try await qc.post("\(path)/draft", answers + [("draftRevision", "1")], headers: ["X-Autosave": "1"])
            #expect(stale.status == .conflict)

            // Signing with items missing marks them on the form and keeps what was typed.
            let refused = try await qc.post(path, answers + [("signature.password", testPassword)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains(#"<div class="item invalid" id="item-pre-qc-holes" data-item>"#), "marked on the item")
            #expect(refused.body.string.contains(#"<p class="field-error" id="item-pre-qc-holes-error">answer it</p>"#))
            #expect(refused.body.string.contains(#"value="J-2207""#))
        }
    }

    @Test func packagingShowsEveryQuantityAndTheOrderedAccessories() async throws {
        try await withTestApp(.sqlite) { app in
            let orderID = try await app.createOrder(headers: try await app.signIn(.productionCoordinator))
            var assembler = try await WebClient.signIn(app, .assembler)
            let html = try await assembler.get("/orders/\(orderID)/builds/B1001/checklists/packaging").body.string
            #expect(html.contains(#"Sink strainer per basin, lasered with the Torvan Medical logo <strong class="quantity">× 2</strong>"#))
            #expect(
                html.contains("Accessory ordered: 702.4 T-OA-BINRAIL-24-KIT — Bin rail kit, 24 in <strong class=\"quantity\">× 2</strong>"))
            #expect(html.contains("Install &amp; operations manual IFU.T2.SinkInstUser"))
            #expect(html.contains("Does not apply: needs an order in French."), "the French manual is N/A on an English order")
            let print = try await assembler.get("/orders/\(orderID)/builds/B1001/checklists/packaging/print").body.string
            #expect(print.contains(#"<li class="not-applicable">"#))
        }
    }

    @Test func aTaskCheckedOffFillsTheProductionChecklistAndCanBeUndone() async throws {
        try await withTestApp(.sqlite) { app in
            try await JourneyTests.registerInstrument(app)
            let orderID = try await AssemblyTests.orderInProduction(app)
            var assembler = try await WebClient.signIn(app, .assembler)
            let base = "/orders/\(orderID)/builds/B1001"
            _ = try await assembler.get("/orders/\(orderID)")
            #expect(try await assembler.post("\(base)/claim", []).status == .seeOther)
            let tasks = try await assembler.get("\(base)/tasks").body.string
            #expect(tasks.contains(#"<option value="DP1C">DP1C / DPF1C (programmable)</option>"#))
            #expect(unlabelledControls(tasks) == [])
            let done = try await assembler.post("\(base)/tasks/production.lifter-button", [("value", "DP1C")])
            #expect(done.headers.first(name: .location) == "\(base)/tasks#task-production.lifter-button")
            _ = try await assembler.post("\(base)/tasks/production.power-bar", [])
            let checklist = try await assembler.get("\(base)/checklists/production").body.string
            #expect(checklist.contains(#"<option value="DP1C" selected>"#), "the choice made at the task is the checklist's answer")
            #expect(checklist.contains("Sign once every assembly task is checked off"))
            #expect(try await assembler.get("\(base)/tasks").body.string.contains(#"action="\#(base)/tasks/production.power-bar/undo""#))
            #expect(try await assembler.post("\(base)/tasks/production.power-bar/undo", []).status == .seeOther)
            let undone = try await assembler.get("\(base)/tasks").body.string
            #expect(undone.contains("Task open again."))
            #expect(undone.contains(#"<form method="post" action="\#(base)/tasks/production.power-bar" class="task-done">"#), "open again")
            // The end-of-line test offers the register's instruments.
            let test = try await assembler.get("\(base)/checklists/eol-test").body.string
            #expect(test.contains(#"<select id="instrument" name="instrumentId">"#))
            #expect(test.contains("FLUKE-52-TEST · Fluke 52 II dual-probe thermometer · calibration due"))
        }
    }

    @Test func theInstrumentRegisterInTheBrowser() async throws {
        try await withTestApp(.sqlite) { app in
            var admin = try await WebClient.signIn(app, .admin)
            _ = try await admin.get("/admin/instruments")
            let bad = try await admin.post(
                "/admin/instruments", [("tag", "T1"), ("description", "Thermometer"), ("calibrationDue", "soon")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains(#"id="f-calibrationDue-error""#))
            let added = try await admin.post(
                "/admin/instruments", [("tag", "FLUKE-77"), ("description", "Fluke 52 II"), ("calibrationDue", "2020-01-31")])
            #expect(added.status == .seeOther)
            let list = try await admin.get("/admin/instruments").body.string
            #expect(list.contains("FLUKE-77") && list.contains("Overdue"))
            let id = try #require(try await Instrument.query(on: app.db).filter(\.$tag == "FLUKE-77").first()?.requireID())
            let certificate = try await admin.upload(
                "/admin/instruments/\(id)/certificate", [], file: ("cal.pdf", "application/pdf", DocumentsTests.pdf))
            #expect(certificate.status == .seeOther)
            _ = try await admin.post("/admin/instruments/\(id)", [("calibrationDue", "2099-01-31")])
            let after = try await admin.get("/admin/instruments").body.string
            #expect(after.contains("2099-01-31") && !after.contains("Overdue") && after.contains("cal.pdf"))
            #expect(try await admin.get("/instruments/\(id)/certificate").body.string.hasPrefix("%PDF"))
        }
    }

    @Test(arguments: TestDatabase.all) func anAdminEditsPreviewsAndPublishesATemplate(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var admin = try await WebClient.signIn(app, .admin)
            let record = try #require(
                try await ChecklistTemplateRecord.query(on: app.db).filter(\.$kind == .finalQC).filter(\.$retiredAt == nil).first())
            let path = "/admin/templates/\(try record.requireID())/edit"
            let page = try await admin.get(path)
            #expect(page.status == .ok)
            #expect(unlabelledControls(page.body.string) == [])
            var fields = try record.template().formFields
            // Add an item to the first section, with a condition typed wrong.
            fields = ChecklistTemplateFormEdit.addItem(section: 0).apply(to: fields)
            fields["sections[0].items[2].id"] = "final-qc.crate"
            fields["sections[0].items[2].text"] = "Shipping crate labelled"
            fields["sections[0].items[2].condition"] = "basin(E_SNIK)"
            let added = try await admin.post(path, fields.map { ($0.key, $0.value) } + [("edit", "add-item:1")])
            #expect(added.body.string.contains(#"name="sections[1].items[6].answerType""#), "the new line is on the page")
            // Counts out of range are bounded, not trusted.
            let hostile = try await admin.post(path, [("sectionCount", "-1"), ("edit", "remove-item:0:-1")])
            #expect(hostile.status == .unprocessableEntity)
            #expect(hostile.body.string.contains("a template needs at least one section"))
            #expect(ChecklistTemplateFormEdit("remove-item:0:-1") == nil)
            let wrong = try await admin.post(path, fields.map { ($0.key, $0.value) } + [("go", "preview")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains(#"id="t-sections-0--items-2--condition-error">E_SNIK is not one of"#))
            #expect(wrong.body.string.contains(#"value="basin(E_SNIK)""#), "what was typed is kept")

            fields["sections[0].items[2].condition"] = "basin(E_DRAIN)"
            let preview = try await admin.post(path, fields.map { ($0.key, $0.value) } + [("go", "preview"), ("previewSample", "esink")])
            #expect(preview.status == .ok)
            #expect(preview.body.string.contains("Shipping crate labelled <small>N/A: needs an E-Drain basin</small>"))
            let published = try await admin.post(path, fields.map { ($0.key, $0.value) } + [("go", "publish")])
            #expect(published.status == .seeOther, "\(published.body.string.prefix(500))")
            let newest = try #require(
                try await ChecklistTemplateRecord.query(on: app.db).filter(\.$kind == .finalQC).sort(\.$version, .descending).first())
            #expect(newest.version == 3)
            #expect(try newest.template().sections[0].items.map(\.id).last == "final-qc.crate")
            #expect(try newest.template().sections[0].items.last?.condition == .basinType([.eDrain]))
        }
    }
}
