import CleanStationCore
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `demo`, `audit verify`, `backup`, `restore`, `user create` and `serve`, run as processes on
/// a SQLite file of their own.
@Suite struct ServerCommandsTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cleanstation-cli-\(UUID().uuidString)")

    var environment: [String: String] {
        ["SQLITE_PATH": directory.appendingPathComponent("cleanstation.sqlite").path, "PASSWORD_HASH_COST": "4", "LOG_LEVEL": "warning"]
    }

    /// Demo accounts and made-up orders never reach a production database (issue 17).
    @Test func demoRefusesProduction() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        for arguments in [["demo"], ["demo", "--orders", "10"]] {
            let refused = try BOMCommandTests.run(arguments, environment: environment.merging(["ENVIRONMENT": "production"]) { $1 })
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("never added to a production database"), "\(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("cleanstation.sqlite").path))
    }

    @Test func demoThenAuditVerifyThenATamperedByte() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try BOMCommandTests.run(["demo"], environment: environment)
        #expect(demo.status == 0, "\(demo.stderr)")
        let logins = demo.stdout.split(separator: "\n").filter { $0.contains("@demo.torvan.test") }
        #expect(logins.count == 6)
        let again = try BOMCommandTests.run(["demo"], environment: environment)
        #expect(again.stdout.contains("has users already"))

        let intact = try BOMCommandTests.run(["audit", "verify"], environment: environment)
        #expect(intact.status == 0, "\(intact.stderr)")
        #expect(intact.stdout.contains("intact"))

        let file = directory.appendingPathComponent("cleanstation.sqlite")
        var bytes = try Data(contentsOf: file)
        let marker = Data(#""poNumber":"PO-DEMO-1001""#.utf8)
        let range = try #require(bytes.range(of: marker))
        bytes[range.upperBound - 2] ^= 0x01
        try bytes.write(to: file)
        let broken = try BOMCommandTests.run(["audit", "verify"], environment: environment)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("the records do not hold: entry 7: its content does not match its hash"), "\(broken.stderr)")
    }

    /// `dhr export` writes a build's record with the configured key; `dhr verify` checks it offline with the public half
    /// alone (issue 18), and exits 1 naming what changed after one byte of the PDF or the manifest changes.
    @Test func dhrExportThenVerifyOfflineThenAChangedByte() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let privateKey = directory.appendingPathComponent("private.pem")
        let publicKey = directory.appendingPathComponent("public.pem")
        for arguments in [
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privateKey.path],
            ["pkey", "-in", privateKey.path, "-pubout", "-out", publicKey.path],
        ] {
            let openssl = try Process.run(URL(fileURLWithPath: "/usr/bin/openssl"), arguments: arguments)
            openssl.waitUntilExit()
            #expect(openssl.terminationStatus == 0)
        }
        var signing = environment
        signing["JWT_PRIVATE_KEY"] = try String(contentsOf: privateKey, encoding: .utf8)
        #expect(try BOMCommandTests.run(["demo"], environment: signing).status == 0)
        let export = try BOMCommandTests.run(["dhr", "export", "B1001-1", "--out", directory.path], environment: signing)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("B1001-1 has not shipped: made now, not filed"))
        let manifest = directory.appendingPathComponent("B1001-1-device-history.json")
        let pdf = directory.appendingPathComponent("B1001-1-device-history.pdf")
        func verify() throws -> BOMCommandTests.Outcome {
            try BOMCommandTests.run(["dhr", "verify", manifest.path, "--public-key", publicKey.path], environment: ["JWT_PUBLIC_KEY": ""])
        }
        let intact = try verify()
        #expect(intact.status == 0, "\(intact.stderr)")
        #expect(intact.stdout.contains("the device history record of B1001-1 is intact: signature, PDF,"), "\(intact.stdout)")

        var bytes = try Data(contentsOf: pdf)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: pdf)
        let changedPDF = try verify()
        #expect(changedPDF.status == 1)
        #expect(changedPDF.stderr.contains("the PDF does not match the SHA-256 the manifest names"), "\(changedPDF.stderr)")
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: pdf)

        let text = try String(contentsOf: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "B1001-1", with: "B1001-2").write(to: manifest, atomically: true, encoding: .utf8)
        let changedManifest = try verify()
        #expect(changedManifest.status == 1)
        #expect(changedManifest.stderr.contains("the signature does not hold"), "\(changedManifest.stderr)")

        let keyless = try BOMCommandTests.run(["dhr", "verify", manifest.path], environment: ["JWT_PUBLIC_KEY": ""])
        #expect(keyless.status == 2)
        #expect(keyless.stderr.contains("no public key: give --public-key FILE or set JWT_PUBLIC_KEY"), "\(keyless.stderr)")
    }

    /// The operator's recovery (issue 17): a one-time password that passes the policy, a second factor removed,
    /// both audited (the chain still verifies); an unknown e-mail is one line and exit 1.
    @Test func anOperatorResetsAPasswordAndASecondFactor() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try BOMCommandTests.run(["demo"], environment: environment)
        let email = try #require(
            demo.stdout.split(separator: "\n").first { $0.contains("qc.person@demo.torvan.test") }?.split(separator: " ")[1])
        let reset = try BOMCommandTests.run(
            ["user", "reset-password", "--email", String(email)], environment: environment.merging(["LOG_LEVEL": "info"]) { $1 })
        #expect(reset.status == 0, "\(reset.stderr)")
        // stdout is the command's own two lines: its logs go to stderr.
        #expect(reset.stdout.split(separator: "\n").count == 2, "\(reset.stdout)")
        let temporary = try #require(reset.stdout.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        #expect(PasswordPolicy.problem(with: temporary) == nil)
        #expect(reset.stdout.contains("they choose their own at the next sign-in"))
        let mfa = try BOMCommandTests.run(["user", "reset-mfa", "--email", String(email)], environment: environment)
        #expect(mfa.status == 0, "\(mfa.stderr)")
        let unknown = try BOMCommandTests.run(["user", "reset-password", "--email", "nobody@demo.torvan.test"], environment: environment)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no active user has the e-mail nobody@demo.torvan.test"), "\(unknown.stderr)")
        let verified = try BOMCommandTests.run(["audit", "verify"], environment: environment)
        #expect(verified.status == 0, "\(verified.stderr)")
        // What the database now holds: the flag set, and both resets in the audit trail under the command line's name.
        let query = Process()
        let out = Pipe()
        query.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        query.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute("SELECT must_change_password FROM users WHERE email = ?", (sys.argv[2],)).fetchone()[0])
            for action, agent in db.execute("SELECT action, user_agent FROM audit_log WHERE action LIKE '%_RESET' ORDER BY seq"):
                print(action, agent)
            """,
            directory.appendingPathComponent("cleanstation.sqlite").path, String(email),
        ]
        query.standardOutput = out
        try query.run()
        query.waitUntilExit()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "1")
        #expect(lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["PASSWORD_RESET", "MFA_RESET"])
        #expect(lines.dropFirst().allSatisfy { $0.contains("cleanstation user reset-") && $0.contains("(uid ") })
    }

    /// An insider with the database file but not the key, as a script would (ADR 009): the end cut off and the head
    /// moved back, then every seal removed. `audit verify` exits 1 naming each; no checkpoint is written over the cut.
    @Test func anInsidersCutAndStrippedSealsFailAuditVerify() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = environment
        environment["AUDIT_LOG_PATH"] = directory.appendingPathComponent("audit.log").path
        #expect(try BOMCommandTests.run(["demo"], environment: environment).status == 0)
        let checkpoint = try BOMCommandTests.run(["audit", "checkpoint"], environment: environment)
        #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
        #expect(checkpoint.stdout.hasPrefix("checkpoint written at entry "))

        func tamper(_ statements: String) throws {
            let script = """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                for name, in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                    db.execute('DROP TRIGGER "%s"' % name)
                db.executescript(sys.argv[2])
                db.commit()
                """
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            python.arguments = ["python3", "-c", script, directory.appendingPathComponent("cleanstation.sqlite").path, statements]
            try python.run()
            python.waitUntilExit()
            #expect(python.terminationStatus == 0)
        }
        try tamper(
            """
            DELETE FROM audit_log WHERE seq > (SELECT seq - 3 FROM audit_head);
            UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_log), hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1);
            """)
        let cut = try BOMCommandTests.run(["audit", "verify"], environment: environment)
        #expect(cut.status == 1)
        #expect(cut.stderr.contains("3 entries were removed from the end"), "\(cut.stderr)")
        let refused = try BOMCommandTests.run(["audit", "checkpoint"], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the chain no longer holds the checkpoint"), "\(refused.stderr)")

        try tamper("UPDATE audit_log SET key_id = NULL, mac = NULL;")
        let stripped = try BOMCommandTests.run(["audit", "verify", "--no-checkpoint"], environment: environment)
        #expect(stripped.status == 1)
        #expect(stripped.stderr.contains("entry 1 has no seal: it was written behind the application"), "\(stripped.stderr)")
    }

    /// `backup` of the demo database, then `restore` into a new file: the
    /// counts and the audit chain are verified; restoring over data is refused.
    @Test func backupAndRestoreThroughTheCommandLine() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try BOMCommandTests.run(["demo"], environment: environment).status == 0)
        let backup = directory.appendingPathComponent("backup.sqlite").path
        let made = try BOMCommandTests.run(["backup", backup], environment: environment)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("backed up"))
        #expect(FileManager.default.fileExists(atPath: backup + ".manifest.json"))

        var restored = environment
        restored["SQLITE_PATH"] = directory.appendingPathComponent("restored.sqlite").path
        let restore = try BOMCommandTests.run(["restore", backup], environment: restored)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.stdout.contains("counts match the manifest and the audit chain is intact"))
        let again = try BOMCommandTests.run(["restore", backup], environment: restored)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds a database"))
        let missing = try BOMCommandTests.run(["restore", directory.appendingPathComponent("nothing.sqlite").path], environment: restored)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("manifest.json is missing"))
    }

    /// Data at scale for load tests: orders over every status with a valid
    /// audit chain, and accounts for virtual users with one printed password.
    @Test func demoAtScaleKeepsTheAuditChain() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let made = try BOMCommandTests.run(["demo", "--orders", "30", "--load-users", "4"], environment: environment)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("added 30 orders"))
        #expect(made.stdout.contains("and 4 load users"))
        #expect(made.stdout.split(separator: "\n").filter { $0.contains("@load.torvan.test") }.count == 4)
        let verified = try BOMCommandTests.run(["audit", "verify"], environment: environment)
        #expect(verified.status == 0, "\(verified.stderr)")
        // The checklists signed on the way (issue 18's reports read them), each sealed and entered in the chain.
        let signed = verified.stdout.firstMatch(of: /; (\d+) signed checklist records/).flatMap { Int($0.1) } ?? 0
        #expect(signed > 30, "\(verified.stdout)")
    }

    @Test func userCreateReadsThePasswordFromStdin() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = [
            "user", "create", "--email", "Kim@Torvan.test", "--role", "QC_PERSON", "--full-name", "Kim Lee", "--initials", "KL",
            "--password-stdin",
        ]
        let created = try BOMCommandTests.run(arguments, environment: environment, stdin: "Strong-Enough-99!\n")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("kim@torvan.test"))
        let weak = try BOMCommandTests.run(arguments, environment: environment, stdin: "weak\n")
        #expect(weak.status != 0)
        #expect(weak.stderr.contains("password"))
    }

    @Test func serveAnswersOverRealHTTP() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = environment
        environment["LOG_LEVEL"] = "info"
        let server = try BOMCommandTests.start(["serve", "--port", "0"], environment: environment)
        defer { server.process.terminate(); server.process.waitUntilExit() }
        let started = try JSONParser.parse(Data(try server.waitForLine(containing: "Server started on").utf8))
        #expect(started["service"]?.string == "cleanstation", "the log is JSON lines")
        let message = try #require(started["message"]?.string)
        let port = try #require(message.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/api/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(try JSONParser.parse(data)["status"] == "ok")
        let (_, ready) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/api/ready")!)
        #expect((ready as? HTTPURLResponse)?.statusCode == 200)
    }

    @Test func migrateAppliesAndRevertsOnlyWhenConfirmed() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let applied = try BOMCommandTests.run(["migrate"], environment: environment)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("applied"))
        #expect(try BOMCommandTests.run(["migrate"], environment: environment).stdout.contains("up to date"))
        let unconfirmed = try BOMCommandTests.run(["migrate", "--revert"], environment: environment)
        #expect(unconfirmed.status == 1)
        #expect(unconfirmed.stderr.contains("--yes"))
        let reverted = try BOMCommandTests.run(["migrate", "--revert", "--yes"], environment: environment)
        #expect(reverted.status == 0, "\(reverted.stderr)")
        #expect(try BOMCommandTests.run(["migrate"], environment: environment).stdout.contains("applied"))
    }

    @Test func productionWithoutItsSecretsDoesNotStart() throws {
        let outcome = try BOMCommandTests.run(["serve"], environment: ["ENVIRONMENT": "production"])
        #expect(outcome.status == 2)
        for name in ["DATABASE_URL", "JWT_PRIVATE_KEY", "JWT_PUBLIC_KEY", "ENCRYPTION_KEY", "AUDIT_SIGNING_KEY"] {
            #expect(outcome.stderr.contains(name), "\(outcome.stderr)")
        }
    }
}
