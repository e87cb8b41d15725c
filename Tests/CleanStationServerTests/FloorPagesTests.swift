import CleanStationCore
import CleanStationTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// The pages the floor uses all day (issue 20): queues that page and count,
/// nothing that vanishes or misleads, and mistakes that can be undone.
@Suite struct FloorPagesTests {
    /// Every `aria-describedby` names ids the page has.
    static func brokenDescriptions(_ html: String) -> [String] {
        let ids = Set(html.matches(of: /\bid="([^"]+)"/).map { String($0.output.1) })
        return html.matches(of: /aria-describedby="([^"]*)"/).flatMap { $0.output.1.split(separator: " ").map(String.init) }
            .filter { !ids.contains($0) }
    }

    @Test func unknownAddressesGetTheHTMLNotFoundPage() async throws {
        try await withTestApp(.sqlite) { app in
            let anonymous = try await app.testing().sendRequest(.GET, "no/such/page")
            #expect(anonymous.status == .notFound)
            #expect(anonymous.headers.contentType?.subType == "html")
            #expect(anonymous.body.string.contains("There is no page at /no/such/page."))
            var clerk = try await WebClient.signIn(app, .productionCoordinator)
            let signedIn = try await clerk.get("/orders/not-an-order/nothing")
            #expect(signedIn.status == .notFound)
            #expect(signedIn.body.string.contains("There is no page at /orders/not-an-order/nothing."))
            #expect(!signedIn.body.string.contains("Sign out"), "a missing page reads no session, and signs nobody in")
            let api = try await app.testing().sendRequest(.GET, "api/v1/no-such-thing")
            #expect(api.status == .notFound)
            #expect(try api.json["error"]?["code"] == "RESOURCE_NOT_FOUND", "the API still answers JSON")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aQueueShowsItsTrueCountAndPages(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            for number in 0..<(DashboardPages.pageSize + 3) {
                _ = try await app.createOrder(headers: coordinator, po: "PO-Q-\(1000 + number)", builds: ["B\(5000 + number)"])
            }
            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let first = try await buyer.get("/procurement").body.string
            let section = try #require(first.firstMatch(of: /<section class="card" id="boms"[\s\S]*?<\/section>/)).output
            #expect(
                section.contains(#"<span class="count-pill">28<span class="sr-only"> orders</span></span>"#),
                "the count is every order, not a page")
            #expect(section.matches(of: /PO-Q-\d+/).count == DashboardPages.pageSize)
            #expect(section.contains(#"href="/procurement?section=boms&amp;page=2#boms""#))
            let second = try await buyer.get("/procurement?section=boms&page=2").body.string
            let rest = try #require(second.firstMatch(of: /<section class="card" id="boms"[\s\S]*?<\/section>/)).output
            #expect(rest.matches(of: /PO-Q-\d+/).count == 3)
            #expect(rest.contains("PO-Q-1027") && !rest.contains("PO-Q-1000<"), "by want date, then PO number")
            #expect(rest.contains("rel=\"prev\"") && !rest.contains("rel=\"next\""))
            let parts = try #require(second.firstMatch(of: /<section class="card" id="parts-sent"[\s\S]*?<\/section>/)).output
            #expect(parts.contains("Nothing here."), "the other sections stay on their first page")
            #expect(try await buyer.get("/procurement?section=boms&page=0").status == .unprocessableEntity)
            #expect(try await buyer.get("/procurement?section=boms&page=99").status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.all)
    func partsNeededCountsTheOrdersWantedByADate(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            _ = try await app.createOrder(headers: coordinator, po: "PO-P-1", builds: ["B6001", "B6002"])
            var later = orderBody(po: "PO-P-2", builds: ["B6003"])
            let far = OrderRequest.today(Date().addingTimeInterval(90 * 86_400))
            later = .object(later.members.map { $0.key == "wantDate" ? JSONMember("wantDate", .string(far)) : $0 })
            #expect(try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(later)).status == .created)
            let procurement = try await app.signIn(.procurementSpecialist)
            let soon = try await app.testing().sendRequest(.GET, "api/v1/procurement/shortage", headers: procurement).json
            #expect(soon["builds"] == 2, "the order wanted in 90 days is not counted by default")
            #expect(soon["truncated"] == false)
            let all = try await app.testing().sendRequest(.GET, "api/v1/procurement/shortage?wantBy=\(far)", headers: procurement).json
            #expect(all["builds"] == 3)
            let bad = try await app.testing().sendRequest(.GET, "api/v1/procurement/shortage?wantBy=soon", headers: procurement)
            #expect(bad.status == .unprocessableEntity)
            #expect(try bad.json["error"]?["details"]?.array.first?["field"] == "wantBy")

            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let home = try await buyer.get("/procurement").body.string
            #expect(
                home.contains(#"href="/procurement/parts""#) && !home.contains("<th scope=\"col\">Quantity</th>"), "not on the home page")
            let page = try await buyer.get("/procurement/parts?wantBy=\(far)").body.string
            #expect(page.contains("Totals over 3 build(s) whose parts are not sent yet"))
            #expect(page.contains(#"value="\#(far)""#))
            #expect(try await buyer.get("/procurement/parts?wantBy=tomorrow").status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.all)
    func deactivationAsksFirstAndCanBeUndone(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var admin = try await WebClient.signIn(app, .admin)
            _ = try await UsersController.create(
                .init(email: "leaver@test.torvan.test", fullName: "Lee Vere", initials: "LV", role: .assembler, password: testPassword),
                cost: 4, actor: .system, on: app.db, hasher: app.passwordHasher)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "leaver@test.torvan.test").first())
            let id = try user.requireID().uuidString.lowercased()
            let list = try await admin.get("/admin/users").body.string
            #expect(!list.contains("/deactivate\""), "the list leads to the user's page; it deactivates nobody in one click")
            let page = try await admin.get("/admin/users/\(id)").body.string
            #expect(page.contains(#"action="/admin/users/\#(id)/deactivate""#))
            // One's own account offers no deactivation, as the API refuses it.
            let me = try #require(try await User.query(on: app.db).filter(\.$role == .admin).first()).requireID().uuidString.lowercased()
            let mine = try await admin.get("/admin/users/\(me)").body.string
            #expect(!mine.contains("/deactivate\"") && mine.contains("This is your own account"))
            #expect(try await admin.post("/admin/users/\(me)/deactivate", [("confirm", "yes")]).status == .conflict)
            let api = try await app.signIn(.admin)
            let apiAdmin = try #require(
                try await User.query(on: app.db).filter(\.$email ~~ "admin-").sort(\.$createdAt, .descending).first())
            let selfPatch = try await app.testing().sendRequest(
                .PATCH, "api/v1/users/\(apiAdmin.requireID().uuidString.lowercased())", headers: api,
                body: body(.object([JSONMember("isActive", .bool(false))])))
            #expect(selfPatch.status == .conflict, "nor through the API's update")
            #expect(try await User.find(apiAdmin.requireID(), on: app.db)?.isActive == true)

            let unconfirmed = try await admin.post("/admin/users/\(id)/deactivate", [])
            #expect(unconfirmed.status == .unprocessableEntity)
            #expect(unconfirmed.body.string.contains("Tick the box to confirm"))
            #expect(try await User.find(user.requireID(), on: app.db)?.isActive == true)

            let confirmed = try await admin.post("/admin/users/\(id)/deactivate", [("confirm", "yes")])
            #expect(confirmed.status == .seeOther)
            #expect(try await User.find(user.requireID(), on: app.db)?.isActive == false)
            let deactivated = try await admin.get("/admin/users/\(id)").body.string
            #expect(deactivated.contains(#"action="/admin/users/\#(id)/reactivate""#))

            #expect(try await admin.post("/admin/users/\(id)/reactivate", []).status == .seeOther)
            #expect(try await User.find(user.requireID(), on: app.db)?.isActive == true)
            _ = try await app.login(email: "leaver@test.torvan.test")

            let actions = try await (app.db as! any SQLDatabase).raw(
                "SELECT action FROM audit_log WHERE resource_id = \(bind: id) ORDER BY seq"
            ).all().map { try $0.decode(column: "action", as: String.self) }
            #expect(actions.suffix(2) == ["DEACTIVATE", "REACTIVATE"], "\(actions)")
            #expect(!actions.contains("DELETE"))
        }
    }

    @Test func fieldsDescribeThemselvesOnlyWithWhatThePageHas() async throws {
        try await withTestApp(.sqlite) { app in
            var admin = try await WebClient.signIn(app, .admin)
            let user = try #require(try await User.query(on: app.db).first())
            var checked = 0
            for path in ["/admin/users", "/admin/users/\(try user.requireID().uuidString.lowercased())", "/account", "/orders/new"] {
                let html = try await admin.get(path).body.string
                #expect(Self.brokenDescriptions(html).isEmpty, "\(path): \(Self.brokenDescriptions(html))")
                checked += html.matches(of: /aria-describedby=/).count
            }
            let invalid = try await admin.post("/admin/users", [("fullName", "X"), ("initials", ""), ("email", "bad"), ("role", "ADMIN")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(Self.brokenDescriptions(invalid.body.string).isEmpty, "\(Self.brokenDescriptions(invalid.body.string))")
            #expect(invalid.body.string.contains("aria-describedby=\"f-fullName-error\""))
            #expect(checked > 0)
            let base = try await admin.get("/orders").body.string
            #expect(base.contains(#"<aside class="toasts" aria-label="Messages">"#), "messages sit in a landmark")
        }
    }

    @Test func theOrderPageLinksToItsPartsAndSaysWhatIsMissingBeforeAnyClick() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try await app.createOrder(headers: coordinator, po: "PO-PARTS-1", builds: ["B7001", "B7002"])
            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let page = try await buyer.get("/orders/\(orderID)").body.string
            let nav = try #require(page.firstMatch(of: /<nav class="section-nav"[\s\S]*?<\/nav>/)).output
            for anchor in ["#build-B7001", "#build-B7002", "#documents", "#comments", "#order-details", "#history"] {
                #expect(nav.contains("href=\"\(anchor)\""), "\(anchor)")
                #expect(page.contains("id=\"\(anchor.dropFirst())\""), "\(anchor) leads somewhere")
            }
            let next = try #require(page.firstMatch(of: /<section class="card actions"[\s\S]*?<\/section>/)).output
            #expect(next.contains("Pre-QC needs the approved drawing on this order. <a href=\"#documents\">Upload it under Documents</a>"))
            for build in ["B7001", "B7002"] {
                #expect(
                    next.contains("BOM must be approved before its parts are sent (\(Chrome.roleName(.procurementSpecialist))).")
                        && next.contains("Build \(build)"))
                #expect(next.contains(##"<a href="#build-\##(build)">Go to \##(build)</a>"##))
            }
        }
    }

    @Test func shippingAsksForATickAndKeepsWhatWasTyped() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try await app.createOrder(headers: coordinator, po: "PO-SHIP-1", builds: ["B7101", "B7102"])
            let admin = try await app.signIn(.admin)
            for build in ["B7101", "B7102"] {
                let forced = try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(orderID)/builds/\(build)/override", headers: admin,
                    body: body(["status": "READY_FOR_SHIP", "reason": "test: straight to the dock", "password": .string(testPassword)]))
                #expect(forced.status == .ok, "\(forced.body.string)")
            }
            let yesterday = WantDate.day(OrderRequest.today(), plus: -1)
            var clerk = try await WebClient.signIn(app, .productionCoordinator)
            _ = try await clerk.get("/orders/\(orderID)")
            let refused = try await clerk.post(
                "/orders/\(orderID)/shipments",
                [("builds", "B7101"), ("shippedOn", yesterday), ("carrier", "DHL Freight"), ("trackingNumber", "JD-77")])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("Tick the box to confirm that these builds have left the plant."))
            #expect(html.contains(#"aria-describedby="ship-confirm-error""#))
            #expect(html.contains(#"value="DHL Freight""#) && html.contains(#"value="JD-77""#))
            #expect(
                html.contains(#"name="builds" value="B7101" checked>"#) && html.contains(#"name="builds" value="B7102">"#),
                "a build left out stays out")
            #expect(html.contains(#"name="shippedOn" value="\#(yesterday)""#))
            #expect(try await Shipment.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAuditPageNamesPeopleAndActionsAndPagesThroughFilters(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var admin = try await WebClient.signIn(app, .admin)
            for _ in 0..<3 { _ = try await WebClient.signIn(app, .qcPerson) }
            let page = try await admin.get("/admin/audit?limit=2").body.string
            #expect(page.contains("<span title=\"LOGIN\">Signed in</span>"))
            #expect(!page.contains(">LOGIN<"), "the action in words, not its code")
            let rows = page.matches(of: /<tr><td>/).count
            #expect(rows == 2)
            #expect(page.contains(#"rel="next""#) && page.contains("1–2 of "))
            let next = try #require(page.firstMatch(of: /href="([^"]+)" rel="next"/)).output.1.replacingOccurrences(of: "&amp;", with: "&")
            let older = try await admin.get(next).body.string
            #expect(older.contains("3–4 of ") && older.contains(#"rel="prev""#))

            let qc = try #require(try await User.query(on: app.db).filter(\.$role == .qcPerson).first())
            let id = try qc.requireID().uuidString.lowercased()
            let theirs = try await admin.get("/admin/audit?userId=\(id)&action=LOGIN").body.string
            #expect(theirs.matches(of: /<tr><td>/).count == 1)
            #expect(theirs.contains("<td>\(qc.fullName)</td>"), "the person's name, not an id")
            #expect(theirs.contains(#"<option value="\#(id)" selected>"#))
            let today = OrderRequest.today()
            let dated = try await admin.get("/admin/audit?from=\(today)&to=\(today)&action=LOGIN").body.string
            #expect(dated.matches(of: /<tr><td>/).count >= 4)
            let tomorrow = WantDate.day(today, plus: 1)
            #expect(try await admin.get("/admin/audit?from=\(tomorrow)").body.string.contains("No entry matches."))
            let bad = try await admin.get("/admin/audit?from=yesterday")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("from"))
        }
    }

    @Test func theWizardFindsATakenPOOrBuildNumberAtTheStepThatAsksForIt() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            _ = try await app.createOrder(headers: coordinator, po: "PO-TAKEN-1", builds: ["B8001", "B8002"])
            var clerk = try await WebClient.signIn(app, .productionCoordinator)
            var draft = ""
            func step(_ number: Int, _ fields: [(String, String)]) async throws -> TestingHTTPResponse {
                let response = try await clerk.post("/orders/new", [("draft", draft), ("step", String(number)), ("go", "next")] + fields)
                if let match = response.body.string.firstMatch(of: /name="draft" value="([^"]+)"/) { draft = String(match.output.1) }
                return response
            }
            let start = try await clerk.get("/orders/new").body.string
            draft = String(try #require(start.firstMatch(of: /name="draft" value="([^"]+)"/)).output.1)
            let header = [("customerName", "St. Mary"), ("salesPerson", "Dana"), ("wantDate", "2099-01-15")]
            let one = try await step(1, [("poNumber", "po-taken-1")] + header)
            #expect(one.status == .unprocessableEntity)
            #expect(
                one.body.string.contains(
                    #"<p class="field-error" id="f-poNumber-error">PO-TAKEN-1 is already the PO number of another order</p>"#))
            #expect(try await step(1, [("poNumber", "PO-FRESH-1")] + header).status == .ok)
            let two = try await step(
                2,
                [
                    ("sinkFamily", "MDRD"), ("quantity", "3"), ("builds[0].buildNumber", "B8002"), ("builds[1].buildNumber", "B8100"),
                    ("builds[2].buildNumber", "b8001"),
                ])
            #expect(two.status == .unprocessableEntity)
            let html = two.body.string
            #expect(
                html.contains("B8002 is already a build of another order") && html.contains("B8001 is already a build of another order"))
            #expect(!html.contains("B8100 is already"), "every taken number at once, and only those")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aHomePageLeadsWithWhatIsOverdueOrDueSoon(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let calm = try await buyer.get("/procurement").body.string
            #expect(calm.contains("Nothing in your queues is overdue or due within 3 days."))
            let late = try await app.createOrder(headers: coordinator, po: "PO-LATE-1", builds: ["B9001"])
            _ = try await app.createOrder(headers: coordinator, po: "PO-LATER-1", builds: ["B9002"])
            var soon = orderBody(po: "PO-SOON-1", builds: ["B9003"])
            let tomorrow = WantDate.day(OrderRequest.today(), plus: 1)
            soon = .object(soon.members.map { $0.key == "wantDate" ? JSONMember("wantDate", .string(tomorrow)) : $0 })
            #expect(try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(soon)).status == .created)
            // A want date passed while the order waited (the API refuses a past date; time does not).
            try await (app.db as! any SQLDatabase).raw(
                "UPDATE orders SET want_date = \(bind: WantDate.day(OrderRequest.today(), plus: -2)) WHERE id = \(bind: UUID(uuidString: late)!)"
            ).run()
            let page = try await buyer.get("/procurement").body.string
            let today = try #require(page.firstMatch(of: /<section class="card today"[\s\S]*?<\/section>/)).output
            #expect(
                today.contains(#"<span class="badge danger">1 overdue</span>"#)
                    && today.contains(#"<span class="badge warning">1 due within 3 days</span>"#))
            let queue = try #require(page.firstMatch(of: /<section class="card" id="boms"[\s\S]*?<\/section>/)).output
            #expect(queue.contains("1 overdue") && queue.contains("1 due soon"))
            let order = queue.matches(of: /PO-[A-Z]+-1/).map { String($0.output) }
            #expect(order == ["PO-LATE-1", "PO-SOON-1", "PO-LATER-1"], "soonest first")
        }
    }

    @Test func thePlantsTimeZoneIsReadOnceAndChecked() throws {
        #expect(throws: Config.Missing.self) { try Config.load(["PLANT_TIME_ZONE": "Mars/Olympus_Mons"]) }
        #expect(try Config.load(["PLANT_TIME_ZONE": "America/Toronto"]).plantTimeZone.identifier == "America/Toronto")
        #expect(try Config.load([:]).plantTimeZone.secondsFromGMT() == 0, "UTC unless set")
    }
}
