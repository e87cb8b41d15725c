import CleanStationCore
import CleanStationTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// Every QR code the application prints leads to a page (issue 18): a
/// build's to its traveller, a catalogue item's to the item.
@Suite struct QRPagesTests {
    /// The audit trail's exports, each as "type id what".
    static func exports(_ app: Application) async throws -> [String] {
        let sql = try #require(app.db as? any SQLDatabase)
        return try await sql.raw("SELECT resource_type, resource_id, new_value FROM audit_log WHERE action = 'EXPORT'").all().map { row in
            let what = try JSONParser.parse(try row.decode(column: "new_value", as: String.self))["export"]?.string ?? ""
            return
                "\(try row.decode(column: "resource_type", as: String.self)) \(try row.decode(column: "resource_id", as: String.self)) \(what)"
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBuildsCodeOpensItsPageWithTheActionsOfTheRole(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try await app.createOrder(headers: coordinator)
            // The address the build's QR code encodes (labels, BOM PDFs, certificates), as a path of this server.
            let order = try #require(UUID(uuidString: orderID))
            let link = try #require(URL(string: app.publicLink(toBuild: "B1001", of: order)))
            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let page = try await buyer.get(link.path)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("<h1>B1001 <span class=\"badge"), "the build, not the order")
            #expect(html.contains(#"id="build-B1001""#) && !html.contains(#"id="build-B1002""#), "this build alone")
            #expect(html.contains("Approve BOM of B1001"), "the actions procurement may take now")
            #expect(html.contains(#"<img src="\#(link.path)/qr" alt="QR code of build B1001: it opens this page""#))
            #expect(!html.contains("Page and QR code of B1001"), "no link to itself")
            #expect(FloorPagesTests.brokenDescriptions(html).isEmpty)
            let code = try await buyer.get(link.path + "/qr")
            #expect(code.status == .ok && code.headers.contentType?.description.hasPrefix("image/svg+xml") == true)
            #expect(try await buyer.get("/orders/\(orderID)").body.string.contains(#"<a class="chip" href="\#(link.path)">"#))

            // Its labels (CLQ A6: the skirt and the back), read back as a reader sees them.
            let labels = try await buyer.get(link.path + "/labels")
            #expect(labels.status == .ok && labels.headers.contentType?.description == "application/pdf")
            let text = try PDFText.of(Data(buffer: labels.body))
            #expect(text.components(separatedBy: "Build B1001").count == 3, "two labels: \(text)")
            #expect(text.components(separatedBy: "\u{0C}").count == 3, "one label a page: \(text)")
            #expect(try await QRPagesTests.exports(app).contains("build B1001 labels"), "the labels' export is audited")
            #expect(text.contains("PO PO-2026-0042") && text.contains("Skirt, right side") && text.contains("Back"))
            #expect(try await buyer.get("/orders/\(orderID)").body.string.contains(#"href="\#(link.path)/labels""#))
            let api = try await app.testing().sendRequest(.GET, "api/v1/orders/\(orderID)/builds/B1001/labels", headers: coordinator)
            #expect(api.status == .ok && api.headers.contentType?.description == "application/pdf")

            var assembler = try await WebClient.signIn(app, .assembler)
            let held = try await assembler.get(link.path).body.string
            #expect(!held.contains("Approve BOM") && held.contains("Assembly tasks"), "each role its own actions")
            #expect(try await buyer.get("/orders/\(orderID)/builds/B9999").status == .notFound)
            #expect(try await buyer.get("/orders/\(orderID)/builds/b1001").status == .ok, "typed in lower case, as the labels' route")
            var service = try await WebClient.signIn(app, .serviceDepartment)
            #expect(try await service.get(link.path).status == .notFound, "as the order page: service does not see orders")
        }
    }

    @Test func anItemsCodeOpensTheItemWithItsParts() async throws {
        try await withTestApp(.sqlite) { app in
            let link = try #require(URL(string: app.publicLink(toItem: "T2-DL27-KIT")))
            var clerk = try await WebClient.signIn(app, .serviceDepartment)
            let page = try await clerk.get(link.path)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("<h1><code>T2-DL27-KIT</code>"))
            #expect(html.contains("Made of") && html.contains(#"<td><a href="/catalog/items/"#), "each part leads to its own page")
            #expect(html.contains(#"<img src="/catalog/items/T2-DL27-KIT/qr""#))
            let code = try await clerk.get(link.path + "/qr?format=png")
            #expect(code.status == .ok && code.headers.contentType?.description == "image/png")
            #expect(html.contains(#"<a href="/catalog/items/T2-DL27-KIT/label">Label (PDF)</a>"#))
            let label = try await clerk.get(link.path + "/label")
            #expect(label.status == .ok && label.headers.contentType?.description == "application/pdf")
            let text = try PDFText.of(Data(buffer: label.body))
            #expect(text.contains("T2-DL27-KIT") && text.contains("Catalogue item"), "\(text)")
            #expect(text.components(separatedBy: "\u{0C}").count == 2, "one label, one page: \(text)")
            #expect(try await QRPagesTests.exports(app).contains("catalog_item T2-DL27-KIT label"), "the label's export is audited")
            let missing = try await clerk.get("/catalog/items/NO-SUCH-ITEM")
            #expect(missing.status == .notFound && missing.headers.contentType?.subType == "html")
            #expect(try await app.testing().sendRequest(.GET, link.path).status == .seeOther, "signed-in users only")
        }
    }

    @Test func aScannedOrTypedCodeOpensItsPageAndNothingElse() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try await app.createOrder(headers: coordinator)
            let order = try #require(UUID(uuidString: orderID))
            let buildPage = "/orders/\(orderID)/builds/B1001"
            var assembler = try await WebClient.signIn(app, .assembler)
            let form = try await assembler.get("/scan")
            #expect(form.status == .ok && form.body.string.contains(#"<label for="scan-code">"#))
            #expect(form.body.string.contains(#"<a href="/scan""#), "in the assembler's navigation")
            let opened: [(String, String)] = [
                ("b1001", buildPage), (" B1001 ", buildPage), (app.publicLink(toBuild: "B1001", of: order), buildPage),
                ("T2-DL27-KIT", "/catalog/items/T2-DL27-KIT"), (app.publicLink(toItem: "T2-DL27-KIT"), "/catalog/items/T2-DL27-KIT"),
            ]
            for (code, page) in opened {
                let scanned = try await assembler.get(
                    "/scan?code=" + (code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
                #expect(scanned.status == .seeOther && scanned.headers.first(name: .location) == page, "\(code)")
            }
            let refused = [
                "NO-SUCH-THING", "https://evil.example/orders/\(orderID)/builds/B1001", app.publicURL + "/admin/users",
                app.publicURL + "/orders/\(orderID)/builds/B1001/labels", app.publicURL + ".evil.example/orders/\(orderID)/builds/B1001",
                app.publicURL + "/orders/\(orderID)/builds/B1001%0D%0ASet-Cookie:%20a=b",
                app.publicURL + "/orders/\(orderID)/builds/%2E%2E",
                app.publicURL + "/orders/\(orderID)/builds/NOPE", app.publicURL + "/catalog/items/NOPE",
                app.publicURL + "/orders/\(UUID())/builds/B1001",
            ]
            for code in refused {
                let scanned = try await assembler.get(
                    "/scan?code=" + (code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
                #expect(scanned.status == .unprocessableEntity && scanned.headers.first(name: .location) == nil, "\(code)")
                #expect(scanned.body.string.contains(#"aria-invalid="true" aria-describedby="scan-code-error""#), "marked on the field")
            }
        }
    }
}
