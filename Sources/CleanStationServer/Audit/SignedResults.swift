import CleanStationCore
import Fluent
import Foundation
import SQLKit

/// Which signed checklist result of a build counts, as the order's
/// lifecycle and pages see it (ADR 009). The audit trail's `SIGN` entries,
/// sealed and chained, say which results were signed for a build, of which
/// kind, in which order and when; a result row only supplies the outcome,
/// and only when it can be believed (`ChecklistResult.signedRecord`) and is
/// the one its entry names. So a later result deleted, back-dated or moved
/// to another build does not bring an earlier PASS back: its entry is still
/// the latest, and without its row the build has no result.
struct SignedResults {
    struct Signing: Sendable {
        var seq: Int64
        var at: Date
        var build: String
        var kind: ChecklistKind
        var resultID: String?
        /// Nil when the result cannot be believed: it counts as no result.
        var outcome: ChecklistEvaluation.Outcome?
    }

    var signings: [Signing]

    /// The signings of these builds, in chain order. Results signed before
    /// their entries named the build (version 019 and earlier) are found
    /// through their own rows.
    static func of(builds: [String], on database: any Database) async throws -> SignedResults {
        guard !builds.isEmpty else { return SignedResults(signings: []) }
        let seal = try database.recordSeal
        let sql = database as! any SQLDatabase
        // The builds' results are read once, at the same time as the entries: for the entries that
        // name them, and to find the results signed before build-level entries (legacy, below).
        // A result whose row no longer names one of these builds is not found: it counts as unsigned.
        async let resultsRead = ChecklistResult.of(builds: builds, on: database)
        let entries = try await sql.raw(
            """
            SELECT \(columns: AuditRecord.columns) FROM audit_log
            WHERE action = 'SIGN' AND resource_type = 'build' AND resource_id IN (\(binds: builds)) ORDER BY seq
            """
        ).all().map(AuditRecord.init(row:))
        let rows = Dictionary(
            try await resultsRead.map { ($0.id!.uuidString.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var signed: [(entry: AuditRecord, value: JSONValue?)] = entries.map { entry in
            let believed = entry.computedHash() == entry.hash && entry.sealHolds(seal)
            return (entry, believed ? entry.newValue.flatMap { try? JSONParser.parse(Data($0.utf8)) } : nil)
        }
        let named = Set(signed.compactMap { $0.value?["resultId"]?.string })
        let legacy = rows.keys.filter { !named.contains($0) }.sorted()
        if !legacy.isEmpty {
            for entry in try await sql.raw(
                """
                SELECT \(columns: AuditRecord.columns) FROM audit_log
                WHERE action = 'SIGN' AND resource_type = 'checklist_result' AND resource_id IN (\(binds: legacy))
                """
            ).all().map(AuditRecord.init(row:)) {
                guard entry.computedHash() == entry.hash, entry.sealHolds(seal),
                    var value = entry.newValue.flatMap({ try? JSONParser.parse(Data($0.utf8)) })
                else { continue }
                value = .object(value.members + [JSONMember("resultId", .string(entry.resourceID ?? ""))])
                signed.append((entry, value))
            }
            signed.sort { $0.entry.seq < $1.entry.seq }
        }
        var signings: [Signing] = []
        for (entry, value) in signed {
            let at = AuditLog.date(entry.at) ?? .distantPast
            guard let value, let build = value["buildNumber"]?.string,
                let kind = value["kind"]?.string.flatMap(ChecklistKind.init(rawValue:))
            else {
                // An entry that cannot be believed: which checklist it signed is unknown, so none of the build's counts.
                signings += ChecklistKind.allCases.map {
                    Signing(seq: entry.seq, at: at, build: entry.resourceID ?? "", kind: $0, resultID: nil, outcome: nil)
                }
                continue
            }
            var outcome: ChecklistEvaluation.Outcome?
            if let id = value["resultId"]?.string, let row = rows[id], row.sha256 == value["sha256"]?.string,
                case .success(let record) = row.signedRecord(checkedWith: seal), record["buildNumber"]?.string == build,
                record["kind"]?.string == kind.rawValue
            {
                outcome = record["outcome"]?.string.flatMap(ChecklistEvaluation.Outcome.init(rawValue:))
            }
            signings.append(
                Signing(seq: entry.seq, at: at, build: build, kind: kind, resultID: value["resultId"]?.string, outcome: outcome))
        }
        return SignedResults(signings: signings)
    }

    /// The latest signing of one build for one kind, signed at or after `since`.
    func latest(_ kind: ChecklistKind, of build: String, since: Date) -> Signing? {
        signings.last { $0.kind == kind && $0.build == build && $0.at >= since }
    }

    /// The latest signing of each build for one kind, signed at or after `since`.
    func latest(_ kind: ChecklistKind, since: Date = .distantPast) -> [String: Signing] {
        var latest: [String: Signing] = [:]
        for signing in signings where signing.kind == kind && signing.at >= since {
            latest[signing.build] = signing
        }
        return latest
    }
}
