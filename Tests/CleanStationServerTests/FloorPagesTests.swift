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

    @Test(arguments: TestDatabase.all)
    func theServiceCartKeepsItsPartsAcrossSearchesAndSignIns(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var service = try await WebClient.signIn(app, .serviceDepartment)
            let person = try #require(try await User.query(on: app.db).filter(\.$role == .serviceDepartment).first())
            let search = try await service.get("/service?q=T-OA").body.string
            let parts = search.matches(of: /name="items\.([^"]+)"/).map { String($0.output.1) }
            try #require(parts.count >= 2)
            let (first, second) = (parts[0], parts[1])

            // Nothing typed, or a wrong quantity: the results stay, with what was typed and the error on its field.
            let empty = try await service.post("/service/cart", [("q", "T-OA"), ("items.\(first)", "")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains(#"name="items.\#(first)""#), "the results are still there")
            #expect(empty.body.string.contains("Enter a quantity for at least one part."))
            #expect(!empty.body.string.contains("must have 2 to 100 characters"))
            let typed = try await service.post("/service/cart", [("q", "T-OA"), ("items.\(first)", "-2")])
            #expect(typed.status == .unprocessableEntity)
            #expect(typed.body.string.contains(#"value="-2""#) && typed.body.string.contains("must be a whole number from 0 to 1000"))

            // Added from two searches, the cart keeps both.
            let added = try await service.post("/service/cart", [("q", "T-OA"), ("items.\(first)", "2")])
            #expect(added.status == .seeOther && added.headers.first(name: .location) == "/service?q=T-OA#cart")
            _ = try await service.get("/service?q=\(second)")
            #expect(try await service.post("/service/cart", [("q", second), ("items.\(second)", "1")]).status == .seeOther)
            let cart = try await service.get("/service").body.string
            #expect(cart.contains(#"name="cart.\#(first)" value="2""#) && cart.contains(#"name="cart.\#(second)" value="1""#))

            // Twenty adds of one part at once leave one line of it.
            let client = service
            let adds = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        var copy = client
                        return try await copy.post("/service/cart", [("q", "T-OA"), ("items.\(first)", "4")]).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(adds == Array(repeating: 303, count: 20), "every add is taken")
            #expect(try await ServiceCartLine.query(on: app.db).filter(\.$itemID == first).count() == 1)

            // Another session, the next day: the cart is still there; 0 removes a line.
            var again = try await WebClient.signIn(app, email: person.email)
            #expect(try await again.get("/service").body.string.contains(#"name="cart.\#(first)" value="4""#))
            #expect(
                try await again.post("/service/cart/update", [("cart.\(first)", "0"), ("cart.\(second)", "3")]).status == .seeOther)
            let saved = try await again.get("/service").body.string
            #expect(!saved.contains(#"name="cart.\#(first)""#) && saved.contains(#"name="cart.\#(second)" value="3""#))

            // Sending it: one request with the quantities as typed, and the cart empties, together.
            // Sent twenty times at once (a double tap, a flaky network): one request, the others find the cart empty.
            let sender = again
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        var copy = sender
                        return try await copy.post("/service/requests", [("cart.\(second)", "5"), ("note", "For the Lakeside sink")])
                            .status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 303 }.count == 1 && statuses.filter { $0 == 422 }.count == 19, "\(statuses)")
            let order = try #require(try await ServiceOrder.query(on: app.db).first())
            #expect(try JSONParser.parse(order.items) == .array([.object([JSONMember("id", .string(second)), JSONMember("quantity", 5)])]))
            #expect(try await ServiceCartLine.query(on: app.db).count() == 0)
            // Saving quantities from a tab opened before the send puts nothing back.
            #expect(try await again.post("/service/cart/update", [("cart.\(second)", "7")]).status == .seeOther)
            #expect(try await ServiceCartLine.query(on: app.db).count() == 0, "a line already sent is not put back")
            let nothing = try await again.post("/service/requests", [("note", "again")])
            #expect(nothing.status == .unprocessableEntity && nothing.body.string.contains("add parts to your cart first"))
            #expect(try await ServiceOrder.query(on: app.db).count() == 1)

            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let requests = try await buyer.get("/service").body.string
            let requestID = try #require(requests.firstMatch(of: /action="\/service\/requests\/([^\/]+)\/approve"/)?.output.1)
            let approved = try await buyer.post("/service/requests/\(requestID)/approve", [])
            #expect(approved.headers[.setCookie].contains { $0.contains(Flash.encode("Request approved.")) })
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

    @Test func serviceBrowsesTheCatalogueByCategory() async throws {
        try await withTestApp(.sqlite) { app in
            // The customer's catalogue, whose assemblies carry their categories.
            let imported = try await app.testing().sendRequest(
                .POST, "api/v1/catalog/import", headers: try await app.signIn(.admin), body: try CatalogTests.importBody())
            #expect(imported.status == .ok)
            let catalog = app.catalogStore.snapshot.catalog
            let category = try #require(
                catalog.categories.first { category in catalog.assemblies.values.contains { $0.categoryCode == category.code } })
            let members = Set(catalog.assemblies.values.filter { $0.categoryCode == category.code }.map(\.id))
            var service = try await WebClient.signIn(app, .serviceDepartment)
            let code = category.code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? category.code
            let page = try await service.get("/service?category=\(code)").body.string
            let listed = page.matches(of: /name="items\.([^"]+)"/).map { String($0.output.1) }
            #expect(!listed.isEmpty && Set(listed).isSubset(of: members), "only the category's assemblies")
            #expect(listed.count == min(50, members.count))
            #expect(page.contains(#"<option value="\#(category.code)" selected>"#))
            // Added from a category, the page comes back to it.
            let added = try await service.post("/service/cart", [("category", category.code), ("items.\(listed[0])", "1")])
            #expect(added.headers.first(name: .location) == "/service?category=\(code)#cart")
            let api = try await app.testing().sendRequest(
                .GET, "api/v1/catalog/search?category=NOPE", headers: try await app.signIn(.serviceDepartment))
            #expect(api.status == .unprocessableEntity)
            #expect(try api.json["error"]?["details"]?.array.first?["field"] == "category")
        }
    }
}

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
