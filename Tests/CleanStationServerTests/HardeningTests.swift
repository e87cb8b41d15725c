import CleanStationCore
import Crypto
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import CleanStationServer

/// The rest of the security review's findings (issue 17): each test fails
/// on the code before its fix.
@Suite struct HardeningTests {
    /// `next=/%09/evil.example` became `Location: /\t/evil.example`, which browsers follow off-site.
    @Test func signInLeadsOnlyToAPageOfThisSite() async throws {
        for hostile in [
            "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "//evil.example", "https://evil.example/", "/%0d/evil",
            "/nowhere", "/orders/x/y/z/q", "/login", "/ orders",
        ] {
            #expect(LoginPages.safeNext(hostile) == "/", "\(hostile.debugDescription)")
        }
        for page in ["/", "/orders?status=SHIPPED&page=2", "/orders/3f0c/builds/B1/checklists/pre-qc", "/qc", "/account/mfa"] {
            #expect(LoginPages.safeNext(page) == page)
        }
        try await withTestApp(.sqlite) { app in
            _ = try await app.signIn(.qcPerson, email: "next@test.torvan.test")
            var client = WebClient(app: app)
            _ = try await client.get("/login?next=%2F%09%2Fevil.example")
            #expect(client.csrf.isEmpty == false)
            let response = try await client.post(
                "/login", [("next", "/\t/evil.example"), ("email", "next@test.torvan.test"), ("password", testPassword)])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/qc")
        }
    }

    /// `?page=999999999999999999` trapped on overflow and killed the process.
    @Test(arguments: TestDatabase.all) func pagesAndLimitsAreBounded(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await app.signIn(.admin)
            for (path, field) in [
                ("api/v1/audit?page=999999999999999999", "page"), ("api/v1/audit?page=99999999999999999999999", "page"),
                ("api/v1/audit?limit=0", "limit"), ("api/v1/audit?page=-1", "page"), ("api/v1/audit?page=two", "page"),
                ("api/v1/orders?page=999999999999999999", "page"), ("api/v1/orders?limit=101", "limit"),
            ] {
                let response = try await app.testing().sendRequest(.GET, path, headers: admin)
                #expect(response.status == .unprocessableEntity, "\(path): \(response.status)")
                #expect(try response.json["error"]?["details"]?.array.first?["field"]?.string == field, "\(path)")
            }
            let last = try await app.testing().sendRequest(.GET, "api/v1/audit?page=1000000&limit=100", headers: admin)
            #expect(last.status == .ok)
            #expect(try last.json["items"]?.array.isEmpty == true)
        }
    }

    /// A token taken from one session (an attacker's own) is refused in another, even with the same nonce.
    @Test func theFormTokenBelongsToItsSession() async throws {
        try await withTestApp(.sqlite) { app in
            var attacker = try await WebClient.signIn(app, .assembler)
            _ = try await attacker.get("/production")
            var victim = try await WebClient.signIn(app, .assembler)
            _ = try await victim.get("/production")
            victim.cookies[WebSession.csrfCookie] = attacker.cookies[WebSession.csrfCookie]
            let planted = try await victim.post("/logout", [("_csrf", attacker.csrf)], csrf: false)
            #expect(planted.status == .forbidden)
            #expect(try await victim.get("/production").status == .ok, "the victim is still signed in")
            let own = try await attacker.post("/logout", [])
            #expect(own.status == .seeOther)
        }
    }

    @Test func cookiesAreSecureWhenDeployedWhateverTheAddress() {
        let key = SymmetricKey(size: .bits256)
        #expect(WebSession(encryptionKey: key, publicURL: "http://cleanstation.internal", deployed: true).cookie("x").isSecure)
        #expect(!WebSession(encryptionKey: key, publicURL: "http://localhost:3000", deployed: false).cookie("x").isSecure)
        #expect(WebSession(encryptionKey: key, publicURL: "https://cs.torvan.test", deployed: false).cookie("x").isSecure)
    }

    @Test func apiAnswersAreNeverCachedAndPagesDenyDevicePermissions() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let id = try await app.createOrder(headers: coordinator)
            for path in [
                "api/v1/orders", "api/v1/orders/\(id)", "api/v1/orders/\(id)/builds/B1001/bom?format=csv", "api/v1/health",
                "api/v1/orders/00000000-0000-0000-0000-000000000000",
            ] {
                let response = try await app.testing().sendRequest(.GET, path, headers: coordinator)
                #expect(response.headers.first(name: .cacheControl) == "no-store", "\(path)")
            }
            let page = try await app.testing().sendRequest(.GET, "/login")
            let policy = try #require(page.headers.first(name: "Permissions-Policy"))
            #expect(policy.contains("microphone=()") && policy.contains("geolocation=()") && policy.contains("camera=(self)"))
        }
    }

    @Test func passwordsAreCheckedAgainstTenThousandCommonOnesAndBcryptsLimit() {
        #expect(PasswordPolicy.commonCount == 10_000)
        for common in ["P@ssw0rd2024!!", "Dragon-2024!!", "Football#12345", "Monkey!!123456", "Sunshine2026!"] {
            #expect(PasswordPolicy.problem(with: common)?.contains("common") == true, "\(common)")
        }
        for fine in [testPassword, "Glove-Safe-Sink-42!", "Tq7#mW2!zR9xL"] { #expect(PasswordPolicy.problem(with: fine) == nil, "\(fine)") }
        let long = "Aa1!" + String(repeating: "x", count: 68)
        #expect(PasswordPolicy.problem(with: long) == nil)
        #expect(PasswordPolicy.problem(with: long + "y")?.contains("72 bytes") == true)
        #expect(PasswordPolicy.problem(with: "Aa1!" + String(repeating: "é", count: 35))?.contains("72 bytes") == true)
    }

    @Test func eMailAddressesCarryNoLineBreaks() async throws {
        #expect(EmailAddress.normalized(" Quinn@Torvan.Test ") == "quinn@torvan.test")
        for bad in [
            "a@b.test\r\nBcc: x@evil.test", "a@b.test\n", "a\r@b.test", "a b@c.test", "a@b", "a@@b.test", "<a@b.test>", "a@b..test",
        ] {
            #expect(EmailAddress.normalized(bad) == nil, "\(bad.debugDescription)")
        }
        try await withTestApp(.sqlite) { app in
            let admin = try await app.signIn(.admin)
            let response = try await app.testing().sendRequest(
                .POST, "api/v1/users", headers: admin,
                body: body([
                    "email": "new@torvan.test\r\nBcc: all@evil.test", "fullName": "New Person", "initials": "NP", "role": "ASSEMBLER",
                    "password": .string(testPassword),
                ]))
            #expect(response.status == .unprocessableEntity)
            #expect(try response.json["error"]?["details"]?.array.first?["field"] == "email")
        }
    }

    /// Each backup code has its own salt; the codes stored before are wrapped, and still work once.
    @Test(arguments: TestDatabase.all) func backupCodesAreSalted(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let headers = try await app.signIn(.qcPerson, email: "salt@test.torvan.test")
            let setup = try await app.testing().sendRequest(.POST, "api/v1/auth/mfa/setup", headers: headers)
            let encoded = try #require(try setup.json["secret"]?.string)
            let secret = try #require(Data(base32Encoded: encoded).map { [UInt8]($0) })
            let enabled = try await app.testing().sendRequest(
                .POST, "api/v1/auth/mfa/enable", headers: headers,
                body: body([
                    "code": .string(TOTP.code(secret: secret, counter: TOTP.counter(at: Date()))), "password": .string(testPassword),
                ]))
            let codes = try #require(try enabled.json["backupCodes"]?.array.compactMap(\.string))
            let stored = try await BackupCode.query(on: app.db).all().map(\.codeHash)
            #expect(stored.count == 10 && stored.allSatisfy { $0.hasPrefix("s1$") })
            #expect(Set(stored.map { $0.split(separator: "$")[1] }).count == 10, "a salt per code")
            #expect(!stored.contains { $0.contains(BackupCode.plainDigest(codes[0])) }, "no plain digest is stored")

            // A code stored before salting, as its plain SHA-256: the migration wraps it.
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "salt@test.torvan.test").first())
            let legacy = BackupCode()
            legacy.$user.id = try user.requireID()
            legacy.codeHash = BackupCode.plainDigest("LEGCY-CODE2")
            try await legacy.create(on: app.db)
            try await SaltBackupCodes().prepare(on: app.db)
            let wrapped = try #require(try await BackupCode.find(legacy.requireID(), on: app.db)).codeHash
            #expect(wrapped.hasPrefix("s1$") && BackupCode.matches(stored: wrapped, code: "legcy-code2"))

            let login = { (code: String) in
                try await SignInRaceTests.login(try app.testing(), "salt@test.torvan.test", testPassword, code: code)
            }
            #expect(try await login("LEGCY-CODE2").status == .ok)
            #expect(try await login("LEGCY-CODE2").errorCode == "MFA_INVALID_CODE", "once only")
            #expect(try await login(codes[3].lowercased()).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all) func outsourcingIsTrackedOnlyUntilThePartsAreIn(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let id = try await AssemblyTests.orderInProduction(app)
            let procurement = try await app.signIn(.procurementSpecialist)
            let path = "api/v1/orders/\(id)/builds/B1001/outsourcing"
            let late = try await app.testing().sendRequest(
                .POST, path, headers: procurement, body: body(["lineId": "T2-BODY-48-60-HA", "supplier": "Acme Steel"]))
            #expect(late.status == .conflict)
            #expect(try late.json["error"]?["message"]?.string?.contains("Ready for production") == true)

            let fresh = try await app.createOrder(headers: try await app.signIn(.productionCoordinator), po: "PO-NOTES", builds: ["B2001"])
            let long = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(fresh)/builds/B2001/outsourcing", headers: procurement,
                body: body([
                    "lineId": "T2-BODY-48-60-HA", "supplier": "Acme Steel", "note": .string(String(repeating: "n", count: 1001)),
                ]))
            #expect(long.status == .unprocessableEntity)
            #expect(try long.json["error"]?["details"]?.array.first?["field"] == "note")
        }
    }

    /// The service department is told an order does not exist, not that it may not see it.
    @Test func orderIdsDoNotLeakToTheServiceDepartment() async throws {
        try await withTestApp(.sqlite) { app in
            let id = try await app.createOrder(headers: try await app.signIn(.productionCoordinator))
            let service = try await app.signIn(.serviceDepartment)
            for path in ["api/v1/orders/\(id)", "api/v1/orders/\(id)/builds/B1001/bom", "api/v1/orders/\(id)/comments"] {
                let response = try await app.testing().sendRequest(.GET, path, headers: service)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.errorCode == "RESOURCE_NOT_FOUND")
            }
            var page = try await WebClient.signIn(app, .serviceDepartment)
            #expect(try await page.get("/orders/\(id)").status == .notFound)
            #expect(try await page.get("/orders").status == .forbidden, "a list names no order")
        }
    }

    /// Twenty releases of one hold at once: one lets go, and a hold that changed hands is never cleared.
    @Test(arguments: TestDatabase.all) func aHoldIsReleasedOnce(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let id = try await AssemblyTests.orderInProduction(app)
            let ari = try await app.signIn(.assembler)
            let bo = try await app.signIn(.assembler)
            let build = "api/v1/orders/\(id)/builds/B1001"
            #expect(try await app.testing().sendRequest(.POST, "\(build)/claim", headers: ari).status == .ok)
            let tester = try app.testing()
            let statuses = try await SignInRaceTests.together(app) { _ in
                try await tester.sendRequest(.POST, "\(build)/release", headers: ari)
            }
            #expect(statuses == [200] + Array(repeating: 409, count: 19))
            let sql = app.db as! any SQLDatabase
            let releases = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_log")
                .where("resource_id", .equal, "B1001").where("new_value", .like, "%released%").first()?.decode(column: "n", as: Int.self)
            #expect(releases == 1)

            // Bo holds it now; Ari's stale release does not clear Bo's hold.
            #expect(try await app.testing().sendRequest(.POST, "\(build)/claim", headers: bo).status == .ok)
            #expect(try await app.testing().sendRequest(.POST, "\(build)/release", headers: ari).status == .conflict)
            let holder = try await Build.query(on: app.db).filter(\.$buildNumber == "B1001").first()?.$claimedBy.id
            #expect(holder != nil)
        }
    }

    /// A 300 MiB upload was read into 1.27 GB of memory before the 25 MiB check: the declared length is refused first.
    @Test func anOversizeUploadIsRefusedBeforeItsBodyIsRead() async throws {
        try await withTestApp(.sqlite, adjust: { $0.uploadLimitBytes = 2 << 20 }) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let id = try await app.createOrder(headers: coordinator)
            var client = try await WebClient.signIn(app, .productionCoordinator)
            _ = try await client.get("/orders/\(id)")
            let limit = app.bodyLimit("1mb", upload: true)
            #expect(limit == app.config.uploadLimitBytes + 1_048_576)
            let port = try freePort()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let bearer = coordinator.first(name: .authorization) ?? ""
            for (path, credentials) in [
                ("/api/v1/orders/\(id)/documents", "Authorization: \(bearer)"), ("/api/v1/orders/\(id)/documents", "X-Nobody: 1"),
                ("/orders/\(id)/documents", "Cookie: " + client.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")),
            ] {
                // 300 MiB declared, 64 KiB sent: the answer comes before the rest of the body.
                let answer = try await rawHTTPExchange(
                    port: port,
                    head: "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(credentials)\r\n"
                        + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: \(300 << 20)\r\n\r\n",
                    bodyBytes: 65_536)
                #expect(answer.hasPrefix("HTTP/1.1 413"), "\(path): \(answer.prefix(200))")
                #expect(answer.contains("at most \(limit / 1_048_576) MiB"), "\(path)")
            }
            await app.server.shutdown()
            // A body of the right size still gets through to the file's own check.
            let file = Data(repeating: 0x25, count: app.config.uploadLimitBytes + 1)
            var upload = coordinator
            let (multipart, body) = DocumentsTests.multipart(kind: "DRAWING", file: ("big.pdf", "application/pdf", file))
            for (name, value) in multipart { upload.replaceOrAdd(name: name, value: value) }
            let big = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: upload, body: body)
            #expect(big.status == .payloadTooLarge)
            #expect(big.body.string.contains("Files may have at most"))
        }
    }

    /// The API's upload streams to storage: part of a 6 MiB file is on disk, staged, before the rest is sent;
    /// the stored file is the one sent; nothing stays staged.
    @Test func anUploadStreamsToStorageAsItArrives() async throws {
        // A limit of 8 MiB keeps the debug build's parsing short.
        try await withTestApp(.sqlite, adjust: { $0.uploadLimitBytes = 8 << 20 }) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let id = try await app.createOrder(headers: coordinator)
            let port = try freePort()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let staging = app.documentStorage.stagingDirectory
            var file = Array("%PDF-1.7\n".utf8)
            file += (0..<(6 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            file += Array("\n%%EOF\n".utf8)
            let head =
                Array("--x\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nDRAWING\r\n".utf8)
                + Array(
                    "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                        .utf8)
            let tail = Array("\r\n--x--\r\n".utf8)
            // A debug build parses a large form slowly under a full test run: the answer may take a while.
            let connection = try RawConnection(port: port, timeout: 120)
            await connection.send(
                Array(
                    ("POST /api/v1/orders/\(id)/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n\(coordinator.first(name: .authorization).map { "Authorization: \($0)" } ?? "")\r\n"
                        + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: \(head.count + file.count + tail.count)\r\n\r\n")
                        .utf8))
            let half = 5 << 20
            await connection.send(head + Array(file[..<half]))
            // While the body is still incomplete, what has arrived is on disk, not in memory: the staged file grows
            // towards what was sent (the kernel's buffers may still hold part of it, so the check waits, within 20 s).
            var size = 0
            var staged: [URL] = []
            let deadline = ContinuousClock.now + .seconds(20)
            while size < 2 << 20, ContinuousClock.now < deadline {
                staged = try FileManager.default.contentsOfDirectory(at: staging, includingPropertiesForKeys: [.fileSizeKey])
                    .filter { $0.lastPathComponent.hasPrefix(".upload-") }
                size = try staged.first?.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
                if size < 2 << 20 { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(staged.count == 1 && size >= 2 << 20, "staged: \(size) bytes of \(half) sent")
            await connection.send(Array(file[half...]) + tail)
            let answer = await connection.answer()
            #expect(answer.hasPrefix("HTTP/1.1 201"), "\(answer.prefix(300))")
            let document = try #require(try await Document.query(on: app.db).sort(\.$createdAt, .descending).first())
            #expect(document.sha256 == SHA256.hash(data: file).hex && document.size == file.count)
            #expect(try await app.documentStorage.read(sha256: document.sha256) == Data(file))
            let left = try FileManager.default.contentsOfDirectory(atPath: staging.path).filter { $0.hasPrefix(".upload-") }
            #expect(left.isEmpty)

            // Past the limit, refused while it arrives, and nothing is kept.
            let over = try RawConnection(port: port, timeout: 120)
            await over.send(
                Array(
                    ("POST /api/v1/orders/\(id)/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n\(coordinator.first(name: .authorization).map { "Authorization: \($0)" } ?? "")\r\n"
                        + "Content-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n").utf8))
            let chunk = [UInt8](repeating: 0x30, count: 1 << 20)
            let framed = Array(String(chunk.count, radix: 16).utf8) + [13, 10] + chunk + [13, 10]
            await over.send(Array(String(head.count, radix: 16).utf8) + [13, 10] + head + [13, 10])
            for _ in 0...(app.config.uploadLimitBytes >> 20) { await over.send(framed) }
            let refused = await over.answer()
            #expect(refused.hasPrefix("HTTP/1.1 413"), "\(refused.prefix(300))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: staging.path).filter { $0.hasPrefix(".upload-") }.isEmpty)
            await app.server.shutdown()
        }
    }

    @Test(arguments: TestDatabase.all) func exportsAreAudited(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let id = try await app.createOrder(headers: coordinator)
            for format in ["csv", "pdf"] {
                let response = try await app.testing().sendRequest(
                    .GET, "api/v1/orders/\(id)/builds/B1001/bom?format=\(format)", headers: coordinator)
                #expect(response.status == .ok)
            }
            var upload = coordinator
            let (headers, drawing) = DocumentsTests.multipart(kind: "DRAWING", file: ("d.pdf", "application/pdf", DocumentsTests.pdf))
            for (name, value) in headers { upload.replaceOrAdd(name: name, value: value) }
            let document = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/documents", headers: upload, body: drawing)
            let documentID = try #require(try document.json["id"]?.string)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/documents/\(documentID)", headers: coordinator).status == .ok)

            let admin = try await app.signIn(.admin)
            let entries = try await app.testing().sendRequest(.GET, "api/v1/audit?action=EXPORT", headers: admin).json["items"]?.array ?? []
            let exports = entries.map {
                "\($0["resourceType"]?.string ?? "") \($0["newValue"]?["export"]?.string ?? "") \($0["newValue"]?["format"]?.string ?? "")"
            }
            #expect(exports.sorted() == ["build bom csv", "build bom pdf", "document document "])
            #expect(entries.allSatisfy { $0["userId"]?.string != nil })
        }
    }
}
