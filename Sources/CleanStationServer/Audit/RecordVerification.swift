import CleanStationCore
import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// Everything `cleanstation audit verify` checks, in order, stopping at the
/// first problem and naming it (ADR 009), all in one snapshot of the database:
/// 1. the chain: contiguous entries, each linked to the one before and
///    hashing to its `hash`;
/// 2. each entry's seal, made with a key the database does not hold; an
///    entry without one is a forgery (migration 019 sealed those before it);
/// 3. `audit_head` at the last entry, seq and hash;
/// 4. the checkpoints kept outside the database, since the last accepted
///    restore: each one's entry is there with the same hash, so an end cut
///    off is found;
/// 5. each signed checklist result: its record hashes to its SHA-256, its
///    seal holds, its columns say what its record says, and its SIGN audit
///    entry names the same SHA-256; and each SIGN entry's result is there.
struct RecordVerification: Content {
    var intact: Bool
    /// What was found but not held against the records: objects in the
    /// bucket's checkpoint prefix that the application did not write.
    var warnings: [String]
    /// Audit entries checked.
    var checked: Int
    var resultsChecked: Int
    /// The newest checkpoint held against the chain.
    var checkpointSeq: Int64?
    /// The first entry that fails, for problems of the chain.
    var firstBroken: Int64?
    var reason: String?

    static func run(on database: any Database, seal: RecordSeal, checkpoints: AuditCheckpoints.Loaded?) async throws -> RecordVerification {
        try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            if sql.dialect.name == "postgresql" { try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run() }
            return try await check(transaction, seal: seal, checkpoints: checkpoints)
        }
    }

    private static func check(
        _ database: any Database, seal: RecordSeal, checkpoints loaded: AuditCheckpoints.Loaded?
    ) async throws
        -> RecordVerification
    {
        let sql = database as! any SQLDatabase
        let held = loaded?.sinceLastAcceptance ?? []
        var report = RecordVerification(
            intact: true, warnings: loaded?.warnings ?? [], checked: 0, resultsChecked: 0, checkpointSeq: held.last?.seq, firstBroken: nil,
            reason: nil)
        func broken(_ seq: Int64?, _ reason: String) -> RecordVerification {
            var failed = report
            failed.intact = false
            failed.firstBroken = seq
            failed.reason = reason
            return failed
        }
        let wanted = Dictionary(held.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        var previous: (seq: Int64, hash: String) = (0, AuditLog.genesisHash)
        var signEntries: [String: (seq: Int64, value: JSONValue?)] = [:]
        while true {
            let rows = try await sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log")
                .where("seq", .greaterThan, previous.seq).orderBy("seq").limit(1_000).all()
            if rows.isEmpty { break }
            for row in rows {
                let record: AuditRecord
                do {
                    record = try AuditRecord(row: row)
                } catch {
                    return broken(previous.seq + 1, "entry \(previous.seq + 1) cannot be read: \(error)")
                }
                if record.seq != previous.seq + 1 { return broken(previous.seq + 1, "entry \(previous.seq + 1) is missing") }
                if record.prevHash != previous.hash {
                    return broken(record.seq, "entry \(record.seq): its previous hash does not match entry \(previous.seq)")
                }
                if record.computedHash() != record.hash {
                    return broken(record.seq, "entry \(record.seq): its content does not match its hash")
                }
                switch seal.check(RecordSeal.auditEntry(seq: record.seq, hash: record.hash), keyID: record.keyID, mac: record.mac) {
                case .valid: break
                case .missing: return broken(record.seq, "entry \(record.seq) has no seal: it was written behind the application")
                case .unknownKey(let keyID):
                    return broken(record.seq, "entry \(record.seq) is sealed with key \(keyID), which is not among the keys configured")
                case .invalid:
                    return broken(record.seq, "entry \(record.seq): its seal does not match its hash (edited, and the chain recomputed?)")
                }
                if let checkpoint = wanted[record.seq], checkpoint.hash != record.hash {
                    return broken(record.seq, "entry \(record.seq) differs from the checkpoint of \(checkpoint.at)")
                }
                if record.action == "SIGN", ["build", "checklist_result"].contains(record.resourceType) {
                    // Filed under the build (the result's id in the entry), or, before, under the result.
                    let value = record.newValue.flatMap { try? JSONParser.parse(Data($0.utf8)) }
                    if let id = value?["resultId"]?.string ?? (record.resourceType == "checklist_result" ? record.resourceID : nil) {
                        signEntries[id] = (record.seq, value)
                    }
                }
                previous = (record.seq, record.hash)
                report.checked += 1
            }
        }
        guard let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first() else {
            return broken(nil, "audit_head is missing")
        }
        let headSeq = try head.decode(column: "seq", as: Int64.self)
        let headHash = try head.decode(column: "hash", as: String.self)
        if headSeq != previous.seq || headHash != previous.hash {
            return broken(previous.seq + 1, "audit_head is at entry \(headSeq), but the chain ends at entry \(previous.seq)")
        }
        if let beyond = held.filter({ $0.seq > previous.seq }).max(by: { $0.seq < $1.seq }) {
            return broken(
                previous.seq + 1,
                "the chain ends at entry \(previous.seq), but the checkpoint of \(beyond.at) saw entry \(beyond.seq): "
                    + "\(beyond.seq - previous.seq) entries were removed from the end")
        }

        // Step 5: the signed checklist results against their records, seals and SIGN entries.
        let results = try await ChecklistResult.query(on: database).sort(\.$signedAt).sort(\.$id).all()
        var seen: Set<String> = []
        for result in results {
            let id = result.id!.uuidString.lowercased()
            seen.insert(id)
            let name = "result \(id) (\(result.buildNumber) \(result.kind.rawValue))"
            let record: JSONValue
            switch result.signedRecord(checkedWith: seal) {
            case .failure(let problem): return broken(nil, "\(name): \(problem)")
            case .success(let value): record = value
            }
            guard let entry = signEntries[id] else { return broken(nil, "\(name) has no SIGN entry in the audit trail") }
            guard entry.value?["sha256"]?.string == result.sha256, entry.value?["outcome"]?.string == record["outcome"]?.string else {
                return broken(entry.seq, "\(name) differs from its SIGN entry \(entry.seq) in the audit trail")
            }
            report.resultsChecked += 1
        }
        if let (id, entry) = signEntries.filter({ !seen.contains($0.key) }).min(by: { $0.value.seq < $1.value.seq }) {
            return broken(entry.seq, "entry \(entry.seq) records the signing of result \(id), which is missing")
        }
        return report
    }
}

extension ChecklistResult {
    /// The record as signed, when the row can be believed: the record hashes
    /// to its SHA-256, the seal over both holds, and every column the
    /// lifecycle reads (outcome, build, kind, order, template, signer, time,
    /// what it supersedes) says what the record says. Otherwise why not.
    func signedRecord(checkedWith seal: RecordSeal) -> Result<JSONValue, Problem> {
        let id = self.id?.uuidString.lowercased() ?? ""
        guard SHA256.hash(data: Data(record.utf8)).hex == sha256 else { return .failure("its record does not match its SHA-256") }
        switch seal.check(RecordSeal.checklistResult(id: id, sha256: sha256), keyID: keyID, mac: mac) {
        case .valid: break
        case .missing: return .failure("it has no seal: it was written behind the application")
        case .unknownKey(let keyID): return .failure("it is sealed with key \(keyID), which is not among the keys configured")
        case .invalid: return .failure("its seal does not match its SHA-256 (record rewritten and re-hashed?)")
        }
        guard let signed = try? JSONParser.parse(Data(record.utf8)) else { return .failure("its record is not JSON") }
        let columns: [(String, String, String?)] = [
            ("id", id, signed["id"]?.string),
            ("outcome", outcome.rawValue, signed["outcome"]?.string),
            ("build", buildNumber, signed["buildNumber"]?.string),
            ("kind", kind.rawValue, signed["kind"]?.string),
            ("signer", $signer.id.uuidString.lowercased(), signed["signature"]?["userId"]?.string),
            ("order", $order.id.uuidString.lowercased(), signed["orderId"]?.string),
            ("template", $template.id.uuidString.lowercased(), signed["templateId"]?.string),
            ("supersedes", supersedesID?.uuidString.lowercased() ?? "nothing", signed["supersedes"]?.string ?? "nothing"),
        ]
        for (column, stored, recorded) in columns where stored != recorded {
            return .failure(Problem("its \(column) column says \(stored), its signed record \(recorded ?? "nothing")"))
        }
        // Milliseconds in the record; the column keeps what the database keeps.
        guard let text = signed["signature"]?["signedAt"]?.string, let time = AuditLog.date(text),
            abs(time.timeIntervalSince(signedAt)) < 0.002
        else {
            return .failure(Problem("its signing time column says \(AuditLog.timestamp(signedAt)), its signed record something else"))
        }
        return .success(signed)
    }

    struct Problem: Error, ExpressibleByStringInterpolation, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
        init(stringLiteral value: String) { description = value }
    }

    /// The outcomes as signed, by result id: read from each record that can
    /// be believed (`signedRecord(checkedWith:)`). Anything else counts as no
    /// result: a rewritten column, or a row added behind the application,
    /// is never believed.
    static func signedOutcomes(_ results: [ChecklistResult], on database: any Database) throws -> [UUID: ChecklistEvaluation.Outcome] {
        let seal = try database.recordSeal
        var outcomes: [UUID: ChecklistEvaluation.Outcome] = [:]
        for result in results {
            guard let id = result.id, case .success(let record) = result.signedRecord(checkedWith: seal),
                let outcome = record["outcome"]?.string.flatMap(ChecklistEvaluation.Outcome.init(rawValue:))
            else { continue }
            outcomes[id] = outcome
        }
        return outcomes
    }
}
