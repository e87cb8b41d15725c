import CleanStationCore
import Fluent
import Foundation
import NIOHTTP1
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite(.serialized) struct PagesTests {
    @Test(arguments: TestDatabase.all) func signInSetsHardenedCookiesAndLandsOnTheRolesHome(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for (role, home) in [(Role.productionCoordinator, "/orders"), (.qcPerson, "/qc"), (.serviceDepartment, "/service")] {
                let email = "home-\(role.rawValue.lowercased())@test.torvan.test"
                _ = try await UsersController.create(
                    .init(email: email, fullName: "Home", initials: "HO", role: role, password: testPassword), cost: 4, actor: .system,
                    on: app.db, hasher: app.passwordHasher)
                var client = WebClient(app: app)
                let form = try await client.get("/login")
                #expect(
                    form.headers[.setCookie].contains {
                        $0.hasPrefix("cs_csrf=") && $0.contains("HttpOnly") && $0.contains("SameSite=Strict")
                    })
                let wrong = try await client.post("/login", [("email", email), ("password", "not it"), ("next", "/")])
                #expect(wrong.status == .unauthorized)
                #expect(wrong.body.string.contains("The e-mail or the password is wrong."))
                let signedIn = try await client.post("/login", [("email", email), ("password", testPassword), ("next", "/")])
                #expect(signedIn.status == .seeOther)
                #expect(signedIn.headers.first(name: .location) == home)
                let cookie = try #require(signedIn.headers[.setCookie].first { $0.hasPrefix("cs_session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
            }
        }
    }

    @Test func sessionCookiesAreSecureBehindHTTPS() async throws {
        try await withTestApp(.sqlite, adjust: { $0.publicURL = "https://cleanstation.torvan.test" }) { app in
            let response = try await app.testing().sendRequest(.GET, "/login")
            #expect(response.headers[.setCookie].allSatisfy { $0.contains("Secure") })
        }
    }

    @Test func aPageWithoutASessionGoesToSignInAndComesBack() async throws {
        try await withTestApp(.sqlite) { app in
            var client = WebClient(app: app)
            let response = try await client.get("/orders?status=SHIPPED")
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/login?next=%2Forders%3Fstatus%3DSHIPPED")
            let forged = try await app.testing().sendRequest(
                .GET, "/orders", headers: ["Cookie": "cs_session=\(UUID().uuidString.lowercased()).forged"])
            #expect(forged.status == .seeOther)
            #expect(LoginPages.safeNext("//evil.example/x") == "/")
            #expect(LoginPages.safeNext("https://evil.example") == "/")
            #expect(LoginPages.safeNext("/orders?page=2") == "/orders?page=2")
        }
    }

    @Test func stylesAndScriptsAreServedAndNothingElseOfTheDisk() async throws {
        try await withTestApp(.sqlite) { app in
            let css = try await app.testing().sendRequest(.GET, "/css/app.css")
            #expect(css.status == .ok && css.headers.contentType == .css && css.body.string.contains("--accent"))
            let js = try await app.testing().sendRequest(.GET, "/js/app.js")
            #expect(js.status == .ok && js.body.string.hasPrefix("// Progressive enhancement only"))
            #expect(try await app.testing().sendRequest(.GET, "/css/../../Package.swift").status == .forbidden, "no way out of Public")
            for path in ["/js/missing.js", "/app.css"] {
                #expect(try await app.testing().sendRequest(.GET, path).status == .notFound, "\(path)")
            }
        }
    }

    @Test func aFormPostWithoutItsCSRFTokenIsRefused() async throws {
        try await withTestApp(.sqlite) { app in
            var client = try await WebClient.signIn(app, .productionCoordinator)
            _ = try await client.get("/orders")
            let missing = try await client.post("/logout", [], csrf: false)
            #expect(missing.status == .forbidden)
            #expect(missing.body.string.contains("<h1>Not allowed</h1>"))
            let forged = try await client.post("/logout", [("_csrf", "forged")], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await client.get("/orders").status == .ok, "the session survives the refused posts")
            let signedOut = try await client.post("/logout", [])
            #expect(signedOut.status == .seeOther)
            #expect(try await client.get("/orders").status == .seeOther, "signing out ends the session")
        }
    }

    @Test(arguments: TestDatabase.all) func everyPageRendersForItsRolesWithLabelledInputs(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Signed in before the order exists, to be told about it.
            var procurement = try await WebClient.signIn(app, .procurementSpecialist)
            let orderID = try await app.createOrder(headers: try await app.signIn(.productionCoordinator))
            let pages: [(Role, [String])] = [
                (
                    .productionCoordinator,
                    [
                        "/orders", "/orders?q=po-2026&sort=poNumber&order=asc", "/orders/new", "/notifications",
                        "/families/endoscope", "/orders/\(orderID)", "/orders/\(orderID)/print",
                        "/orders/\(orderID)/builds/B1001/checklists/pre-qc", "/orders/\(orderID)/builds/B1001/checklists/final-qc/print",
                        "/orders/\(orderID)/builds/B1002/tasks", "/account/mfa", "/account",
                    ]
                ),
                (.procurementSpecialist, ["/procurement", "/service", "/orders/\(orderID)"]),
                (.qcPerson, ["/qc"]), (.assembler, ["/production"]),
                (.serviceDepartment, ["/service", "/service?q=T2"]),
                (
                    .admin,
                    [
                        "/admin/users", "/admin/audit", "/admin/audit?verify=1", "/admin/templates", "/admin/tools",
                        "/admin/work-instructions", "/admin/catalog", "/admin/instruments",
                        "/admin/templates/\(try await ChecklistTemplateRecord.query(on: app.db).first()!.requireID())/edit",
                    ]
                ),
            ]
            for (role, paths) in pages {
                var client = try await WebClient.signIn(app, role)
                for path in paths {
                    let response = try await client.get(path)
                    #expect(response.status == .ok, "\(role) \(path): \(response.body.string.prefix(400))")
                    #expect(response.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
                    let html = response.body.string
                    #expect(html.contains("<h1"), "\(path)")
                    #expect(!html.contains("<script>"), "no inline script at \(path)")
                    #expect(unlabelledControls(html) == [], "\(role) \(path)")
                    let sidebar = html.firstMatch(of: /<nav class="sidebar"[\s\S]*?<\/nav>/).map { String($0.output) } ?? ""
                    let navigation = sidebar.matches(of: /<li><a href="([^"]+)"/).map { String($0.output.1) }
                    if !path.hasSuffix("/print") {
                        #expect(navigation == Chrome.navigation(for: role).map(\.href), "\(role) \(path)")
                    }
                }
            }
            let unread = try await procurement.get("/notifications/unread")
            #expect(try unread.json["unread"] == 1, "the new order's BOMs wait for procurement")
            // The bell's number is counted in the page's sign-in.
            let bell = try await procurement.get("/procurement").body.string
            #expect(bell.contains(#"aria-label="Notifications, 1 unread" data-unread="1""#))
            var audit = try await WebClient.signIn(app, .admin)
            #expect(try await audit.get("/admin/audit?verify=1").body.string.contains("The chain holds"))
        }
    }

    @Test(arguments: TestDatabase.all) func usersChangeTheirPasswordAndEndTheirOtherSessions(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var client = try await WebClient.signIn(app, .qcPerson)
            let page = try await client.get("/account")
            #expect(page.body.string.contains("This browser"))
            let email = try #require(page.body.string.firstMatch(of: /<p class="muted">([^<]+)<\/p>/)?.output.1).description
            // A second sign-in elsewhere, listed with a button that ends it.
            var phone = WebClient(app: app)
            _ = try await phone.get("/login")
            #expect(try await phone.post("/login", [("email", email), ("password", testPassword), ("next", "/")]).status == .seeOther)
            let listed = try await client.get("/account").body.string
            let other = try #require(listed.firstMatch(of: /action="\/account\/sessions\/([0-9a-f-]+)\/end"/)?.output.1).description
            #expect(try await client.post("/account/sessions/\(other)/end", []).status == .seeOther)
            #expect(try await phone.get("/qc").status == .seeOther, "the ended session is signed out")
            #expect(try await client.get("/qc").status == .ok)

            let new = "Another-Horse-77!"
            let mismatch = try await client.post(
                "/account/password", [("currentPassword", testPassword), ("newPassword", new), ("confirmPassword", new + "x")])
            #expect(mismatch.status == .unprocessableEntity)
            #expect(mismatch.body.string.contains(#"id="f-confirmPassword-error""#))
            let wrong = try await client.post(
                "/account/password", [("currentPassword", "not it"), ("newPassword", new), ("confirmPassword", new)])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("is not your current password"))
            let weak = try await client.post(
                "/account/password", [("currentPassword", testPassword), ("newPassword", "short"), ("confirmPassword", "short")])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.body.string.contains(#"id="f-newPassword-error""#))
            let changed = try await client.post(
                "/account/password", [("currentPassword", testPassword), ("newPassword", new), ("confirmPassword", new)])
            #expect(changed.status == .seeOther && changed.headers.first(name: .location) == "/account")
            #expect(try await client.get("/account").body.string.contains("Your password has been changed."))
            var later = WebClient(app: app)
            _ = try await later.get("/login")
            #expect(try await later.post("/login", [("email", email), ("password", testPassword), ("next", "/")]).status == .unauthorized)
            #expect(try await later.post("/login", [("email", email), ("password", new), ("next", "/")]).status == .seeOther)
        }
    }

    @Test func adminsChangeAUsersNameAndRoleAndEndTheirSessions() async throws {
        try await withTestApp(.sqlite) { app in
            var admin = try await WebClient.signIn(app, .admin)
            var assembler = try await WebClient.signIn(app, .assembler)
            #expect(try await assembler.get("/production").status == .ok)
            let user = try #require(try await User.query(on: app.db).filter(\.$role == .assembler).first())
            let id = try user.requireID().uuidString.lowercased()
            #expect(try await admin.get("/admin/users").body.string.contains(#"href="/admin/users/\#(id)""#))
            let page = try await admin.get("/admin/users/\(id)")
            #expect(page.status == .ok && unlabelledControls(page.body.string) == [])
            #expect(try await assembler.get("/admin/users/\(id)").status == .forbidden)

            let invalid = try await admin.post(
                "/admin/users/\(id)", [("fullName", "Ana Assembler"), ("initials", "A1"), ("role", Role.qcPerson.rawValue)])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.string.contains(#"id="f-initials-error""#))
            #expect(invalid.body.string.contains(#"value="Ana Assembler""#), "what was typed is kept")
            let saved = try await admin.post(
                "/admin/users/\(id)", [("fullName", "Ana Builder"), ("initials", "AB"), ("role", Role.assembler.rawValue)])
            #expect(saved.status == .seeOther)
            var stored = try #require(try await User.find(user.id, on: app.db))
            #expect(stored.fullName == "Ana Builder" && stored.initials == "AB" && stored.role == .assembler)
            #expect(try await assembler.get("/production").status == .ok, "the same role keeps the session")

            let listed = try await admin.get("/admin/users/\(id)").body.string
            let end = try #require(listed.firstMatch(of: /action="(\/admin\/users\/[0-9a-f-]+\/sessions\/[0-9a-f-]+\/end)"/)?.output.1)
            #expect(try await admin.post(String(end), []).status == .seeOther)
            #expect(try await assembler.get("/production").status == .seeOther, "the ended session is signed out")
            #expect(try await admin.get("/admin/users/\(id)").body.string.contains("No live sessions."))

            var again = WebClient(app: app)
            _ = try await again.get("/login")
            #expect(try await again.post("/login", [("email", user.email), ("password", testPassword), ("next", "/")]).status == .seeOther)
            let moved = try await admin.post(
                "/admin/users/\(id)", [("fullName", "Ana Builder"), ("initials", "AB"), ("role", Role.serviceDepartment.rawValue)])
            #expect(moved.status == .seeOther)
            stored = try #require(try await User.find(user.id, on: app.db))
            #expect(stored.role == .serviceDepartment)
            #expect(try await again.get("/production").status == .seeOther, "a new role ends the user's sessions")
        }
    }

    @Test func anAdminGivesABuildToAnAssemblerFromTheOrderPage() async throws {
        try await withTestApp(.sqlite) { app in
            let id = try await AssemblyTests.orderInProduction(app)
            var assembler = try await WebClient.signIn(app, .assembler)
            #expect(!(try await assembler.get("/orders/\(id)")).body.string.contains("/assign"), "only admins give builds")
            var admin = try await WebClient.signIn(app, .admin)
            let page = try await admin.get("/orders/\(id)").body.string
            #expect(page.contains(#"<label for="assign-B1001">"#) && unlabelledControls(page) == [])
            let holder = try #require(try await User.query(on: app.db).filter(\.$role == .assembler).first())
            let given = try await admin.post("/orders/\(id)/builds/B1001/assign", [("userId", holder.id!.uuidString.lowercased())])
            #expect(given.status == .seeOther)
            let build = try #require(try await Build.query(on: app.db).filter(\.$buildNumber == "B1001").first())
            #expect(build.$claimedBy.id == holder.id)
            #expect(try await admin.get("/orders/\(id)").body.string.contains("Held by \(holder.fullName)"))

            let notAnAssembler = try #require(try await User.query(on: app.db).filter(\.$role == .admin).first())
            let refused = try await admin.post(
                "/orders/\(id)/builds/B1002/assign", [("userId", notAnAssembler.id!.uuidString.lowercased())])
            #expect(refused.status == .seeOther)
            #expect(try await admin.get("/orders/\(id)").body.string.contains("must be an active assembler"))
            #expect(try await Build.query(on: app.db).filter(\.$buildNumber == "B1002").first()?.$claimedBy.id == nil)
        }
    }

    @Test func eachRoleIsRefusedThePagesOfOthers() async throws {
        try await withTestApp(.sqlite) { app in
            let refused: [(Role, String)] = [
                (.productionCoordinator, "/admin/users"), (.serviceDepartment, "/orders"), (.assembler, "/qc"), (.qcPerson, "/orders/new"),
                (.procurementSpecialist, "/production"),
            ]
            for (role, path) in refused {
                var client = try await WebClient.signIn(app, role)
                let response = try await client.get(path)
                #expect(response.status == .forbidden, "\(role) \(path)")
                #expect(response.body.string.contains("Your role may not do this."))
            }
        }
    }

    @Test func orderPageShowsOnlyTheActionsOfTheRoleAndEscapesText() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let created = try await app.testing().sendRequest(
                .POST, "api/v1/orders", headers: coordinator,
                body: body(orderBody().setting([.key("customerName")], to: "<script>alert(1)</script> Clinic")))
            let orderID = try #require(try created.json["id"]?.string)
            var procurement = try await WebClient.signIn(app, .procurementSpecialist)
            let page = try await procurement.get("/orders/\(orderID)").body.string
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; Clinic"))
            #expect(!page.contains("<script>alert"))
            // The queue's and the order list's tables are written in Swift, not by Leaf: escaped all the same.
            for list in [try await procurement.get("/procurement").body.string, try await procurement.get("/orders").body.string] {
                #expect(list.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt; Clinic") && !list.contains("<script>alert"))
            }
            #expect(page.contains("Approve BOM of B1001") && page.contains("Approve BOM of B1002"))
            #expect(page.contains(#"aria-describedby="why-PARTS_SENT""#), "the next step is offered, and waits for the approvals")
            var assembler = try await WebClient.signIn(app, .assembler)
            let assemblerPage = try await assembler.get("/orders/\(orderID)").body.string
            #expect(!assemblerPage.contains("Approve BOM"))
            #expect(!assemblerPage.contains(#"name="status""#))

            // A comment, escaped like every text.
            _ = try await procurement.post("/orders/\(orderID)/comments", [("text", "Rev <b>B</b> drawing needed")])
            let commented = try await procurement.get("/orders/\(orderID)").body.string
            #expect(commented.contains("Comment added.") && commented.contains("Rev &lt;b&gt;B&lt;/b&gt; drawing needed"))

            // Sending the parts before the BOMs are approved is refused with the lifecycle's reason, as a toast.
            let early = try await procurement.post("/orders/\(orderID)/status", [("status", "PARTS_SENT")])
            #expect(early.status == .seeOther)
            let refusal = try await procurement.get("/orders/\(orderID)").body.string
            #expect(refusal.contains(#"class="toast error""#) && refusal.contains("Build B1001&#39;s BOM must be approved"))
            for build in ["B1001", "B1002"] {
                #expect(try await procurement.post("/orders/\(orderID)/builds/\(build)/approve", []).status == .seeOther)
            }
            _ = try await procurement.post("/orders/\(orderID)/status", [("status", "PARTS_SENT")])
            let sent = try await procurement.get("/orders/\(orderID)").body.string
            #expect(sent.contains("The order is now Parts sent."))
            #expect(sent.contains(#"<span class="badge info">Parts sent</span>"#))
        }
    }
}
