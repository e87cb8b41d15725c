import CleanStationCore
import Fluent
import Foundation
import NIOHTTP1
import Testing
import VaporTesting

@testable import CleanStationServer

/// A browser's side of the pages: its cookies and the CSRF token of the last page.
struct WebClient {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf = ""

    var cookieHeaders: HTTPHeaders {
        ["Cookie": cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    mutating func keep(_ response: TestingHTTPResponse) {
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            cookies[pair[0]] = pair.count > 1 ? pair[1] : ""
            if header.contains("Max-Age=0") { cookies[pair[0]] = nil }
        }
        if let range = response.body.string.range(of: #"name="_csrf" value="[^"]+""#, options: .regularExpression) {
            csrf = String(response.body.string[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
        }
    }

    mutating func get(_ path: String) async throws -> TestingHTTPResponse {
        let response = try await app.testing().sendRequest(.GET, path, headers: cookieHeaders)
        keep(response)
        return response
    }

    mutating func post(
        _ path: String, _ fields: [(String, String)], csrf: Bool = true, headers extra: HTTPHeaders = [:]
    ) async throws -> TestingHTTPResponse {
        var headers = cookieHeaders
        headers.contentType = .urlEncodedForm
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        let all = (csrf ? [("_csrf", self.csrf)] : []) + fields
        let form = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: form))
        keep(response)
        return response
    }

    /// A multipart form with a file, as a browser sends an upload.
    mutating func upload(
        _ path: String, _ fields: [(String, String)], file: (name: String, type: String, bytes: Data)
    ) async throws
        -> TestingHTTPResponse
    {
        var headers = cookieHeaders
        let (multipart, body) = DocumentsTests.multipart(kind: nil, file: file, fields: [("_csrf", csrf)] + fields)
        for (name, value) in multipart { headers.replaceOrAdd(name: name, value: value) }
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: body)
        keep(response)
        return response
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// A new user of `role`, signed in through the sign-in page.
    static func signIn(_ app: Application, _ role: Role) async throws -> WebClient {
        let email = "\(role.rawValue.lowercased())-\(UUID().uuidString.prefix(6))@test.torvan.test"
        _ = try await UsersController.create(
            .init(email: email, fullName: "Page \(role.rawValue)", initials: "PT", role: role, password: testPassword), cost: 4,
            actor: .system, on: app.db, hasher: app.passwordHasher)
        return try await signIn(app, email: email)
    }

    /// An existing user, signed in through the sign-in page.
    static func signIn(_ app: Application, email: String, password: String = testPassword) async throws -> WebClient {
        var client = WebClient(app: app)
        _ = try await client.get("/login")
        let response = try await client.post("/login", [("email", email), ("password", password), ("next", "/")])
        #expect(response.status == .seeOther, "\(response.body.string)")
        // As a browser does: the redirect's page carries this session's form token.
        if let home = response.headers.first(name: .location) { _ = try await client.get(home) }
        return client
    }
}

/// Every `<input>`, `<select>` and `<textarea>` that a person sees has a label.
func unlabelledControls(_ html: String) -> [String] {
    let controls = html.matches(of: /<(input|select|textarea)\b[^>]*>/).map { String($0.output.0) }
    return controls.filter { control in
        if control.contains(#"type="hidden""#) || control.contains(#"aria-hidden="true""#) || control.contains("aria-label=") {
            return false
        }
        guard let id = control.firstMatch(of: /\bid="([^"]+)"/)?.output.1 else { return true }
        return !html.contains(#"for="\#(id)""#)
    }
}

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

    @Test(arguments: TestDatabase.all) func anOrderIsEditedInTheWizardUntilItsPartsAreSent(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let orderID = try await app.createOrder(headers: try await app.signIn(.productionCoordinator))
            var client = try await WebClient.signIn(app, .productionCoordinator)
            #expect(try await client.get("/orders/\(orderID)").body.string.contains("/orders/\(orderID)/edit"))
            let start = try await client.get("/orders/\(orderID)/edit").body.string
            #expect(start.contains(#"value="PO-2026-0042""#) && !start.contains(#"name="poFile""#))
            var draft = try #require(start.firstMatch(of: /name="draft" value="([^"]+)"/)).output.1.description
            func step(_ number: Int, _ fields: [(String, String)], go: String = "next") async throws -> TestingHTTPResponse {
                let response = try await client.post("/orders/new", [("draft", draft), ("step", String(number)), ("go", go)] + fields)
                if let match = response.body.string.firstMatch(of: /name="draft" value="([^"]+)"/) { draft = String(match.output.1) }
                return response
            }
            let two = try await step(1, [("customerName", "St. Mary's Hospital")])
            #expect(two.body.string.contains(#"value="B1002""#) && !two.body.string.contains(#"name="sinkFamily""#))
            let configuration = try await step(2, [("quantity", "1"), ("builds[0].buildNumber", "B1001")])
            #expect(configuration.body.string.contains(#"name="builds[0].width" value="30""#), "the stored configuration is in the form")
            _ = try await step(3, [])
            let back = try await step(4, [], go: "back")
            #expect(back.body.string.contains("<h1>Configuration</h1>"))
            for number in 3...4 { _ = try await step(number, []) }
            let saved = try await step(5, [], go: "create")
            #expect(saved.status == .seeOther, "\(saved.body.string.matches(of: /field-error[^>]*>([^<]+)/).map(\.output.1))")
            let order = try await client.get("/orders/\(orderID)").body.string
            #expect(order.contains("Order PO-2026-0042 saved") && order.contains("St. Mary&#39;s Hospital"))
            #expect(order.contains("Build B1001") && !order.contains("Build B1002"))

            var procurement = try await WebClient.signIn(app, .procurementSpecialist)
            _ = try await procurement.post("/orders/\(orderID)/builds/B1001/approve", [])
            _ = try await procurement.post("/orders/\(orderID)/status", [("status", "PARTS_SENT")])
            #expect(try await client.get("/orders/\(orderID)/edit").status == .conflict)
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

    @Test(arguments: TestDatabase.all) func theWizardChecksEachStepAndCreatesTheOrder(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var client = try await WebClient.signIn(app, .productionCoordinator)
            let start = try await client.get("/orders/new").body.string
            var draft = try #require(start.firstMatch(of: /name="draft" value="([^"]+)"/)).output.1.description
            func step(_ number: Int, _ fields: [(String, String)], go: String = "next") async throws -> TestingHTTPResponse {
                let response = try await client.post(
                    "/orders/new", [("draft", draft), ("step", String(number)), ("go", go)] + fields)
                if let match = response.body.string.firstMatch(of: /name="draft" value="([^"]+)"/) { draft = String(match.output.1) }
                return response
            }
            let bad = try await step(
                1, [("poNumber", "P"), ("customerName", "St. Mary"), ("salesPerson", "Dana"), ("wantDate", "2020-01-01")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains(#"id="f-poNumber-error""#))
            #expect(bad.body.string.contains(#"<p class="field-error" id="f-wantDate-error">"#))
            #expect(bad.body.string.contains(#"value="St. Mary""#), "what was typed stays")
            let one = try await step(1, [("poNumber", "WIZ-0001"), ("wantDate", "2099-01-15")])
            #expect(one.status == .ok)
            #expect(one.body.string.contains("<h1>Family and builds</h1>"))
            let two = try await step(2, [("sinkFamily", "MDRD"), ("quantity", "2"), ("builds[0].buildNumber", "WIZ-1")])
            #expect(two.status == .unprocessableEntity, "the second build needs its number")
            #expect(two.body.string.contains(#"name="builds[1].buildNumber""#))
            _ = try await step(
                2, [("sinkFamily", "MDRD"), ("quantity", "2"), ("builds[0].buildNumber", "WIZ-1"), ("builds[1].buildNumber", "WIZ-2")])
            let sink: [(String, String)] = [
                ("builds[0].model", "T2-B2"), ("builds[0].width", "30"), ("builds[0].length", "60"),
                ("builds[0].legs.type", "FIXED_HEIGHT"),
                ("builds[0].legs.model", "LC1"), ("builds[0].feet", "SEISMIC_FEET"), ("builds[0].workflowDirection", "LEFT_TO_RIGHT"),
                ("builds[0].basins[0].type", "E_SINK_DI"), ("builds[0].basins[0].size", "24X20X8"), ("builds[0].basins[1].type", "E_DRAIN"),
                ("builds[0].basins[1].size", "CUSTOM"), ("builds[0].basins[1].size.width", "20"), ("builds[0].basins[1].size.length", "20"),
                ("builds[0].basins[1].size.depth", "8"), ("builds[0].faucets[0].type", ""), ("builds[0].faucets[2].type", "PRE_RINSE"),
                ("builds[0].faucets[2].quantity", "1"), ("builds[0].faucets[2].placement", "BETWEEN_2_3"),
            ]
            let three = try await step(3, sink)
            #expect(three.status == .unprocessableEntity)
            let html = three.body.string
            #expect(html.contains(#"id="f-builds-0--legs-model-error""#), "LC1 with fixed legs is refused at the leg model")
            #expect(html.contains(#"id="f-builds-0--faucets-0--placement-error""#), "the packed faucet row carries its error")
            let copied = try await step(
                3,
                sink.map { $0.0 == "builds[0].legs.model" ? ($0.0, "DL27") : $0.0.hasSuffix("placement") ? ($0.0, "CENTER") : $0 }
                    + [("copy[1]", "0")], go: "copy:1")
            #expect(copied.body.string.contains(#"id="f-builds-1--length" name="builds[1].length" value="60""#))
            let four = try await step(
                3,
                sink.map { $0.0 == "builds[0].legs.model" ? ($0.0, "DL27") : $0.0.hasSuffix("placement") ? ($0.0, "CENTER") : $0 }
                    + sink.filter { !$0.0.contains("faucets") }.map {
                        ($0.0.replacingOccurrences(of: "builds[0]", with: "builds[1]"), $0.1)
                    }
                    .map { $0.0 == "builds[1].legs.model" ? ($0.0, "DL14") : $0 })
            #expect(four.status == .ok, "\(four.body.string.matches(of: /field-error[^>]*>([^<]+)/).map(\.output.1))")
            let id = try #require(Accessories.all.first?.id)
            let accessoryError = try await step(4, [("builds[0].accessories.\(id)", "-2")])
            #expect(accessoryError.status == .unprocessableEntity)
            #expect(
                accessoryError.body.string.contains(
                    #"id="f-builds-0--accessories-\#(id.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined())-error""#))
            let review = try await step(4, [("builds[0].accessories.\(id)", "2")])
            #expect(review.body.string.contains("<h1>Review</h1>"))
            #expect(review.body.string.matches(of: /class="table tree"/).count == 2)
            let back = try await step(5, [], go: "back")
            #expect(back.body.string.contains(#"name="builds[0].accessories.\#(id)" value="2""#), "the draft survives going back")
            let tampered = try await client.post("/orders/new", [("draft", "x" + draft), ("step", "5"), ("go", "create")])
            #expect(tampered.status == .seeOther && tampered.headers.first(name: .location) == "/orders/new")
            let created = try await step(5, [], go: "create")
            #expect(created.status == .seeOther)
            let location = try #require(created.headers.first(name: .location))
            let order = try await client.get(location).body.string
            #expect(order.contains("Order WIZ-0001 created with 2 build(s)."))
            #expect(order.contains("Build WIZ-1") && order.contains("Build WIZ-2"))
            let again = try await step(5, [], go: "create")
            #expect(again.status == .unprocessableEntity, "the PO number is taken now")
            #expect(again.body.string.contains("WIZ-0001 is already the PO number of another order"))
            #expect(again.body.string.contains("WIZ-2 is already a build of another order"))
        }
    }
}
