import CleanStationCore
import CleanStationS3
import Crypto
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

// One file: every way an insider tampers with the records (ADR 009), each
// against the same verification, in one serialized suite.

/// Records no one can rewrite unseen (issue 17, ADR 009): each test tampers
/// as an insider holding the database would (a trigger dropped or disabled,
/// an entry edited and the whole chain recomputed, the end cut off and the
/// head moved back, a column flipped, a record rewritten and re-hashed), and
/// expects `audit verify` to name the problem.
@Suite(.serialized) struct RecordIntegrityTests {
    /// Digests and MACs are stored as lower-case hexadecimal, two digits a byte: the records already written hash so.
    @Test func digestsAndTokensAreWrittenAsBefore() {
        #expect(SHA256.hash(data: Data("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Data([0x00, 0x0f, 0xa0, 0xff]).hex == "000fa0ff")
        #expect(Data().hex.isEmpty)
        // Tokens and the session cookie's check: the URL's alphabet, no padding, as the cookies already given out.
        #expect(Data([0xfb, 0xff]).base64URLEncodedString() == "-_8")
        #expect(Data("any carnal pleas".utf8).base64URLEncodedString() == "YW55IGNhcm5hbCBwbGVhcw")
        for count in 0..<40 {
            let bytes = Data((0..<count).map { _ in UInt8.random(in: 0...255) })
            let foundation = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(bytes.base64URLEncodedString() == foundation)
        }
    }

    /// An app whose audit file and checkpoints live in a scratch folder, checkpointing every few entries.
    static func withCheckpointingApp(
        _ database: TestDatabase, every: Int = 3, _ body: (Application, String) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cs-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await withTestApp(
            database,
            adjust: {
                $0.auditLogPath = folder + "/audit.log"
                $0.auditCheckpointEvery = every
            }
        ) { app in try await body(app, folder) }
    }

    /// Lets the database's triggers be bypassed, as its owner could.
    static func withoutTriggers(_ app: Application, on table: String, _ work: (any SQLDatabase) async throws -> Void) async throws {
        let sql = app.db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("ALTER TABLE \(ident: table) DISABLE TRIGGER USER").run()
            try await work(sql)
            try await sql.raw("ALTER TABLE \(ident: table) ENABLE TRIGGER USER").run()
        } else {
            let triggers = try await sql.raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = \(bind: table)")
                .all()
            for trigger in triggers {
                try await sql.raw("DROP TRIGGER \(ident: try trigger.decode(column: "name", as: String.self))").run()
            }
            try await work(sql)
            for trigger in triggers { try await sql.raw("\(unsafeRaw: try trigger.decode(column: "sql", as: String.self))").run() }
        }
    }

    /// Rewrites every entry from `seq` on with a recomputed SHA-256 chain, as a 40-line script would, and moves the head.
    static func recomputeChain(from seq: Int64, _ app: Application, edit: (inout AuditRecord) -> Void) async throws {
        try await withoutTriggers(app, on: "audit_log") { sql in
            let rows = try await sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log").orderBy("seq").all()
            var records = try rows.map(AuditRecord.init(row:))
            var previous = AuditLog.genesisHash
            for index in records.indices {
                if records[index].seq >= seq {
                    if records[index].seq == seq { edit(&records[index]) }
                    records[index].prevHash = previous
                    records[index].hash = records[index].computedHash()
                    try await sql.update("audit_log").set("prev_hash", to: records[index].prevHash).set("hash", to: records[index].hash)
                        .set("client_address", to: records[index].clientAddress).where("seq", .equal, records[index].seq).run()
                }
                previous = records[index].hash
            }
            try await sql.raw("UPDATE audit_head SET seq = \(bind: records.last!.seq), hash = \(bind: previous)").run()
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEditWithTheWholeChainRecomputedIsFound(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let admin = try await app.signIn(.admin)
            for _ in 0..<3 { _ = try await app.signIn(.qcPerson) }
            #expect(try await AuditTrail.verify(app).intact)
            try await Self.recomputeChain(from: 4, app) { $0.clientAddress = "10.9.9.9" }
            let result = try await AuditTrail.verify(app)
            #expect(!result.intact)
            #expect(result.firstBroken == 4)
            #expect(result.reason == "entry 4: its seal does not match its hash (edited, and the chain recomputed?)")
            let api = try await app.testing().sendRequest(.GET, "api/v1/audit/verify", headers: admin)
            #expect(try api.json["intact"] == false)
        }
    }

    /// An entry as the application's role could insert one: the database takes it only as the next link, sealed
    /// (so neither a gap nor a jump ahead that would stop every later append); without the key its seal is false.
    @Test(arguments: TestDatabase.all)
    func anEntryAddedBehindTheApplicationIsFound(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signIn(.admin)
            let sql = app.db as! any SQLDatabase
            let head = try await AuditLog.lockHead(on: sql)
            func forged(seq: Int64, prevHash: String, mac: String?) -> AuditRecord {
                var record = AuditRecord(
                    seq: seq, at: AuditLog.timestamp(Date()), event: AuditEvent(action: "DELETE", resourceType: "user", resourceID: "x"),
                    actor: .system, prevHash: prevHash)
                record.keyID = mac.map { _ in "k1" }
                record.mac = mac
                return record
            }
            let mac = String(repeating: "0", count: 64)
            for refused in [
                forged(seq: head.seq + 1, prevHash: head.hash, mac: nil), forged(seq: head.seq + 2, prevHash: head.hash, mac: mac),
                forged(seq: 9_000_000_000, prevHash: head.hash, mac: mac),
                forged(seq: head.seq + 1, prevHash: AuditLog.genesisHash, mac: mac),
            ] {
                await #expect(throws: (any Error).self, "entry \(refused.seq), sealed: \(refused.mac != nil)") {
                    try await sql.insert(into: "audit_log").columns(AuditRecord.columns).values(refused.values.map { SQLBind($0) }).run()
                }
            }
            #expect(try await AuditTrail.verify(app).intact, "nothing refused was kept")
            let next = forged(seq: head.seq + 1, prevHash: head.hash, mac: mac)
            try await sql.insert(into: "audit_log").columns(AuditRecord.columns).values(next.values.map { SQLBind($0) }).run()
            let moved = try await AuditLog.lockHead(on: sql)
            #expect(moved.seq == next.seq && moved.hash == next.hash, "the database moved the head itself")
            let result = try await AuditTrail.verify(app)
            #expect(result.firstBroken == next.seq)
            #expect(result.reason?.hasSuffix("its seal does not match its hash (edited, and the chain recomputed?)") == true, "\(result)")
            _ = try await app.signIn(.qcPerson)
            #expect(try await AuditTrail.verify(app).firstBroken == next.seq, "the application appends after it; the forgery stays named")
        }
    }

    /// The owner's move without the key: every seal removed, an entry edited and the chain recomputed.
    /// Migration 019 sealed every row written before it, so a row without a seal is a forgery.
    @Test(arguments: TestDatabase.all)
    func strippedSealsAreFound(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for _ in 0..<3 { _ = try await app.signIn(.qcPerson) }
            try await Self.withoutTriggers(app, on: "audit_log") { sql in
                if sql.dialect.name == "postgresql" { try await sql.raw("ALTER TABLE audit_log DROP CONSTRAINT audit_log_sealed").run() }
                try await sql.raw("UPDATE audit_log SET key_id = NULL, mac = NULL").run()
            }
            try await Self.recomputeChain(from: 2, app) { $0.clientAddress = "10.9.9.9" }
            let result = try await AuditTrail.verify(app)
            #expect(result.firstBroken == 1)
            #expect(result.reason == "entry 1 has no seal: it was written behind the application")
        }
    }

    /// What migration 019 found was sealed as it stood, entries and signed results alike; what is written after is sealed as written.
    @Test(arguments: TestDatabase.all)
    func theMigrationSealsTheRecordsWrittenBeforeIt(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody())
            _ = try await client.sign(people.qc, "B1001", "pre-qc")
            // Back to before 019: no seals, and the head moved by the application, as then.
            try await SealRecords().revert(on: app.db)
            let sql = app.db as! any SQLDatabase
            let head = try await sql.raw("SELECT seq, hash FROM audit_head").first()!
            let legacy = AuditRecord(
                seq: try head.decode(column: "seq", as: Int64.self) + 1, at: AuditLog.timestamp(Date()),
                event: AuditEvent(action: "UPDATE", resourceType: "user", resourceID: "legacy"), actor: .system,
                prevHash: try head.decode(column: "hash", as: String.self))
            let columns = AuditRecord.columns.filter { $0 != "key_id" && $0 != "mac" }
            try await sql.insert(into: "audit_log").columns(columns).values(legacy.values.prefix(columns.count).map { SQLBind($0) }).run()
            try await sql.raw("UPDATE audit_head SET seq = \(bind: legacy.seq), hash = \(bind: legacy.hash)").run()

            try await SealRecords().prepare(on: app.db)
            let result = try await AuditTrail.verify(app)
            #expect(result.intact, "\(result)")
            #expect(result.results == 1)
            _ = try await client.sign(people.qc, "B1002", "pre-qc")
            #expect(try await AuditTrail.verify(app).intact)
            #expect(try await client.move(people.qc, "READY_FOR_PRODUCTION").status == .ok, "the sealed PASS results are believed")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTailCutOffWithTheHeadMovedBackIsFoundByTheCheckpoint(database: TestDatabase) async throws {
        try await Self.withCheckpointingApp(database) { app, folder in
            for _ in 0..<6 { _ = try await app.signIn(.qcPerson) }
            try await app.auditFileExporter?.catchUp()
            let checkpoints = try String(contentsOfFile: folder + "/audit-checkpoints.jsonl", encoding: .utf8)
            #expect(!checkpoints.isEmpty, "a checkpoint after three entries")
            let before = try await AuditTrail.verify(app)
            #expect(before.intact)
            let checkpoint = try #require(before.checkpoint)
            // Delete the last entries and move the head back: the chain alone still holds.
            try await Self.withoutTriggers(app, on: "audit_log") { sql in
                try await sql.raw("DELETE FROM audit_log WHERE seq > \(bind: checkpoint - 2)").run()
                let last = try await sql.raw("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()!
                try await sql.raw(
                    "UPDATE audit_head SET seq = \(bind: try last.decode(column: "seq", as: Int64.self)), hash = \(bind: try last.decode(column: "hash", as: String.self))"
                ).run()
            }
            let result = try await AuditTrail.verify(app)
            #expect(!result.intact)
            #expect(result.reason?.contains("but the checkpoint of") == true, "\(result)")
            // The exporter may checkpoint a later entry while the cut is made; whichever it saw, the count is from there.
            let reason = result.reason ?? ""
            let seen = try #require(reason.firstMatch(of: /saw entry (\d+): (\d+) entries were removed from the end$/), "\(result)")
            #expect(Int64(seen.1)! >= checkpoint)
            #expect(Int64(seen.2)! == Int64(seen.1)! - (checkpoint - 2), "\(result)")

            // The application goes on appending past the cut: no checkpoint vouches for the shortened chain, and the cut stays named.
            let lines = try String(contentsOfFile: folder + "/audit-checkpoints.jsonl", encoding: .utf8).split(separator: "\n").count
            for _ in 0..<8 { _ = try await app.signIn(.qcPerson) }
            try await app.auditFileExporter?.catchUp()
            #expect(try String(contentsOfFile: folder + "/audit-checkpoints.jsonl", encoding: .utf8).split(separator: "\n").count == lines)
            await #expect(throws: AuditTrail.CheckpointError.self) { try await AuditTrail.checkpoint(app) }
            let later = try await AuditTrail.verify(app)
            #expect(later.reason?.contains("differs from the checkpoint of") == true, "\(later)")

            // After a point-in-time restore the operator accepts the loss, once the chain holds on its own; the acceptance is audited.
            #expect(try await AuditTrail.verify(app, checkpoints: false).intact)
            let accepted = try #require(try await AuditTrail.checkpoint(app, acceptingRestore: true))
            let now = try await AuditTrail.verify(app)
            #expect(now.intact, "\(now)")
            #expect(now.checkpoint == accepted)
            let entries = try await app.testing().sendRequest(
                .GET, "api/v1/audit?action=AUDIT_RESTORE_ACCEPTED", headers: try await app.signIn(.admin)
            ).json
            #expect(entries["items"]?.array.count == 1)
            await #expect(throws: AuditTrail.CheckpointError.self, "nothing more to accept") {
                try await AuditTrail.checkpoint(app, acceptingRestore: true)
            }

            // Truncating the whole log, the head back at the start, is the same cut.
            try await Self.withoutTriggers(app, on: "audit_log") { sql in
                try await sql.raw("DELETE FROM audit_log").run()
                try await sql.raw("UPDATE audit_head SET seq = 0, hash = \(bind: AuditLog.genesisHash)").run()
            }
            let empty = try await AuditTrail.verify(app)
            #expect(empty.reason?.hasSuffix("entries were removed from the end") == true, "\(empty)")
        }
    }

    /// The newest entries, which no checkpoint covers yet, cut off: the audit file's last line, sealed as the
    /// application wrote it, vouches for them; and the exporter stops rather than write a second history after it.
    @Test(arguments: TestDatabase.all)
    func aCutNoCheckpointCoversIsFoundByTheAuditFile(database: TestDatabase) async throws {
        try await Self.withCheckpointingApp(database, every: 1_000) { app, folder in
            for _ in 0..<3 { _ = try await app.signIn(.qcPerson) }
            try await app.auditFileExporter?.catchUp()
            #expect(!FileManager.default.fileExists(atPath: folder + "/audit-checkpoints.jsonl"), "no checkpoint yet")
            #expect(try await AuditTrail.verify(app).intact)
            try await Self.withoutTriggers(app, on: "audit_log") { sql in
                try await sql.raw("DELETE FROM audit_log WHERE seq > (SELECT seq - 2 FROM audit_head)").run()
                try await sql.raw(
                    "UPDATE audit_head SET seq = (SELECT max(seq) FROM audit_log), hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)"
                ).run()
            }
            #expect(try await AuditTrail.verify(app).reason?.hasSuffix("2 entries were removed from the end") == true)
            let lines = try String(contentsOfFile: folder + "/audit.log", encoding: .utf8)
            _ = try await app.signIn(.qcPerson)
            _ = try await app.signIn(.qcPerson)
            _ = try await app.signIn(.qcPerson)
            try await app.auditFileExporter?.catchUp()
            #expect(try String(contentsOfFile: folder + "/audit.log", encoding: .utf8) == lines, "the file keeps the history it had")
            #expect(try await AuditTrail.verify(app).reason?.contains("differs from the checkpoint of") == true)
        }
    }

    /// A correction (a FAIL signed after a PASS) back-dated or deleted, so that the PASS looks like the latest again,
    /// or a PASS moved to another build by its column: the builds' sealed SIGN entries still say which result is the
    /// latest, so the lifecycle finds no PASS, and `verify` names the row.
    @Test(arguments: TestDatabase.all)
    func aCorrectionDeletedOrBackDatedOrAResultMovedIsFound(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody())
            // Each build moves on its own (issue 16): ask for the build whose records were tampered with.
            func move(_ build: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(client.orderID)/builds/\(build)/status", headers: people.qc,
                    body: body(["status": "READY_FOR_PRODUCTION"]))
            }
            for build in ["B1001", "B1002"] { #expect(try await client.sign(people.qc, build, "pre-qc").status == .created) }
            let correction = try await client.sign(people.qc, "B1001", "pre-qc", failing: "pre-qc.holes")
            #expect(try correction.json["outcome"] == "FAIL", "\(correction.body.string)")
            #expect(try await move("B1001").status == .conflict)

            try await Self.withoutTriggers(app, on: "checklist_results") { sql in
                try await sql.raw("UPDATE checklist_results SET signed_at = \(bind: Date(timeIntervalSince1970: 0)) WHERE outcome = 'FAIL'")
                    .run()
            }
            #expect(
                try await move("B1001").status == .conflict, "back-dated, the FAIL is still the latest")
            #expect(try await AuditTrail.verify(app).reason?.contains("its signing time column says") == true)

            try await Self.withoutTriggers(app, on: "checklist_results") { sql in
                try await sql.raw("DELETE FROM checklist_results WHERE outcome = 'FAIL'").run()
            }
            #expect(try await move("B1001").status == .conflict, "deleted, its entry is still the latest")
            let deleted = try await AuditTrail.verify(app)
            #expect(deleted.reason?.hasPrefix("entry ") == true && deleted.reason?.hasSuffix("which is missing") == true, "\(deleted)")

            // The B1002 PASS moved to B1001 by its column: B1001's latest entry is still the FAIL's, B1002 has none believed.
            try await Self.withoutTriggers(app, on: "checklist_results") { sql in
                try await sql.raw("UPDATE checklist_results SET build_number = 'B1001' WHERE build_number = 'B1002'").run()
            }
            #expect(try await move("B1002").status == .conflict)
            #expect(try await AuditTrail.verify(app).reason?.contains("its build column says B1001, its signed record B1002") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDeletedOrMovedResultIsFound(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody())
            _ = try await client.sign(people.qc, "B1001", "pre-qc")
            _ = try await client.sign(people.qc, "B1002", "pre-qc", failing: "pre-qc.holes")
            // The B1001 PASS, moved to B1002 by its column: not believed, so B1002 still has no PASS.
            try await Self.withoutTriggers(app, on: "checklist_results") { sql in
                try await sql.raw("UPDATE checklist_results SET build_number = 'B1002' WHERE outcome = 'PASS'").run()
            }
            #expect(try await AuditTrail.verify(app).reason?.contains("its build column says B1002, its signed record B1001") == true)
            #expect(try await client.move(people.qc, "READY_FOR_PRODUCTION").status == .conflict)
            try await Self.withoutTriggers(app, on: "checklist_results") { sql in
                try await sql.raw("UPDATE checklist_results SET build_number = 'B1001' WHERE outcome = 'PASS'").run()
                try await sql.raw("DELETE FROM checklist_results WHERE outcome = 'FAIL'").run()
            }
            let result = try await AuditTrail.verify(app)
            #expect(result.reason?.hasPrefix("entry ") == true && result.reason?.hasSuffix("which is missing") == true, "\(result)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFlippedOutcomeIsNeitherBelievedNorHidden(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody())
            for build in ["B1001", "B1002"] {
                #expect(try await client.sign(people.qc, build, "pre-qc", failing: "pre-qc.holes").json["outcome"] == "FAIL")
            }
            // The insider's UPDATE: the column now says PASS for B1001.
            try await Self.withoutTriggers(app, on: "checklist_results") { sql in
                try await sql.raw("UPDATE checklist_results SET outcome = 'PASS' WHERE build_number = 'B1001'").run()
            }
            let result = try await AuditTrail.verify(app)
            #expect(result.reason?.hasSuffix("its outcome column says PASS, its signed record FAIL") == true, "\(result)")
            // The lifecycle, the API and the certificate read the signed record, not the column.
            try await Self.withoutTriggers(app, on: "checklist_results") { sql in
                try await sql.raw("UPDATE checklist_results SET outcome = 'PASS'").run()
            }
            #expect(try await client.move(people.qc, "READY_FOR_PRODUCTION").status == .conflict)
            let shown = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(client.orderID)/builds/B1001/checklists/pre-qc/results", headers: people.qc
            ).json
            #expect(shown.array.first?["outcome"] == "FAIL")

            // Rewriting the record itself and its SHA-256: the seal no longer holds, and the result counts as none.
            try await Self.withoutTriggers(app, on: "checklist_results") { sql in
                try await sql.raw("UPDATE checklist_results SET outcome = 'FAIL' WHERE build_number = 'B1001'").run()
                let row = try await sql.raw("SELECT id, record FROM checklist_results WHERE build_number = 'B1002'").first()!
                let forged = try row.decode(column: "record", as: String.self).replacingOccurrences(of: "\"FAIL\"", with: "\"PASS\"")
                try await sql.raw(
                    "UPDATE checklist_results SET record = \(bind: forged), sha256 = \(bind: SHA256.hash(data: Data(forged.utf8)).hex) WHERE build_number = 'B1002'"
                ).run()
            }
            let rewritten = try await AuditTrail.verify(app)
            #expect(rewritten.reason?.contains("its seal does not match its SHA-256") == true, "\(rewritten)")
            let certificate = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(client.orderID)/builds/B1002/checklists/pre-qc/certificate", headers: people.qc)
            #expect(try pdfText(of: certificate).contains("NOT VERIFIED"))
        }
    }

    /// With S3, checkpoints go to the bucket too, locked against deletion: losing the local file loses nothing.
    @Test(.enabled(if: S3StorageTests.endpoint != nil))
    func checkpointsInTheBucketCatchACutWhenTheFileIsGone() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cs-audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let settings = try S3StorageTests.settings()
        try await withTestApp(
            .sqlite,
            adjust: {
                $0.auditLogPath = folder + "/audit.log"
                $0.objectStore = settings
                $0.auditCheckpointLockDays = 1
                $0.auditCheckpointEvery = 2
            }
        ) { app in
            for _ in 0..<3 { _ = try await app.signIn(.qcPerson) }
            try await app.auditFileExporter?.catchUp()
            let written = try #require(try await AuditTrail.checkpoint(app))
            try FileManager.default.removeItem(atPath: folder + "/audit-checkpoints.jsonl")
            let storage = S3Client(settings: settings, http: app.http.client.shared)
            let keys = try await storage.keys(prefix: S3Checkpoints.prefix)
            #expect(keys.contains { $0.hasSuffix(String(format: "-%020lld.json", written)) })
            let verified = try await AuditTrail.verify(app)
            #expect(verified.intact)
            #expect(verified.checkpoint == written, "read back from the bucket")
            try await Self.withoutTriggers(app, on: "audit_log") { sql in
                try await sql.raw("DELETE FROM audit_log WHERE seq >= \(bind: written)").run()
                try await sql.raw(
                    "UPDATE audit_head SET seq = \(bind: written - 1), hash = (SELECT hash FROM audit_log WHERE seq = \(bind: written - 1))"
                ).run()
            }
            #expect(try await AuditTrail.verify(app).reason?.hasSuffix("entries were removed from the end") == true)

            // Whoever holds the bucket's credentials may put an object newer than the rest, or copy an old checkpoint over a new name.
            let newest = try #require(try await storage.keys(prefix: S3Checkpoints.prefix).max())
            try await storage.put(S3Checkpoints.prefix + "99999999T999999.999Z-x.json", body: Data("{}".utf8), headers: [:])
            // Said, and passed over: they hide nothing (the locked checkpoints are still there) and cannot make verify fail for years.
            let planted = try await AuditTrail.verify(app)
            #expect(planted.reason?.hasSuffix("entries were removed from the end") == true, "\(planted)")
            #expect(planted.warnings.contains { $0.hasSuffix("is not a sealed checkpoint: it was not written by the application") })
            try await storage.put(
                S3Checkpoints.prefix + "99999999T999999.999Z-y.json", body: try await storage.get(newest), headers: [:])
            #expect(try await AuditTrail.verify(app).warnings.contains { $0.hasSuffix("copied there") })
        }
    }

    @Test func theSealIsKeyedAndRotates() {
        let old = RecordSeal(keyID: "k1", key: Data(repeating: 1, count: 32))
        let mark = old.seal(RecordSeal.auditEntry(seq: 7, hash: "ab"))
        let rotated = RecordSeal(keyID: "k2", key: Data(repeating: 2, count: 32), olderKeys: ["k1": Data(repeating: 1, count: 32)])
        #expect(rotated.check(RecordSeal.auditEntry(seq: 7, hash: "ab"), keyID: mark.keyID, mac: mark.mac) == .valid)
        #expect(rotated.seal("x").keyID == "k2")
        #expect(rotated.check(RecordSeal.auditEntry(seq: 8, hash: "ab"), keyID: mark.keyID, mac: mark.mac) == .invalid)
        #expect(
            rotated.check(RecordSeal.checklistResult(id: "7", sha256: "ab"), keyID: mark.keyID, mac: mark.mac) == .invalid,
            "a seal of one kind does not pass for another")
        let stranger = RecordSeal(keyID: "k1", key: Data(repeating: 9, count: 32))
        #expect(stranger.check(RecordSeal.auditEntry(seq: 7, hash: "ab"), keyID: mark.keyID, mac: mark.mac) == .invalid)
        #expect(RecordSeal(keyID: "k3", key: Data(repeating: 3, count: 32)).check("x", keyID: "k1", mac: mark.mac) == .unknownKey("k1"))
    }
}
