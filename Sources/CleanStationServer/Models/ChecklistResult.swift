import CleanStationCore
import Fluent
import Foundation
import SQLKit

/// A signed checklist result: the canonical JSON `record` and its SHA-256.
/// Never updated; a correction is a new result that supersedes it.
final class ChecklistResult: Model, @unchecked Sendable {
    static let schema = "checklist_results"

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Field(key: "build_number") var buildNumber: String
    @Parent(key: "template_id") var template: ChecklistTemplateRecord
    @Enum(key: "kind") var kind: ChecklistKind
    @Enum(key: "outcome") var outcome: ChecklistEvaluation.Outcome
    @Field(key: "record") var record: String
    @Field(key: "sha256") var sha256: String
    @Parent(key: "signer_id") var signer: User
    @Field(key: "signed_at") var signedAt: Date
    @OptionalField(key: "supersedes_id") var supersedesID: UUID?
    /// The seal of `sha256` with the key the database does not hold (ADR 009); nil on results signed before it.
    @OptionalField(key: "key_id") var keyID: String?
    @OptionalField(key: "mac") var mac: String?

    init() {}
}

extension ChecklistResult {
    /// Every column, for `init(row:)` (`PlainReadsTests` checks them against the model's fields).
    static let columns = [
        "id", "order_id", "build_number", "template_id", "kind", "outcome", "record", "sha256", "signer_id", "signed_at",
        "supersedes_id", "key_id", "mac",
    ]

    /// A result read with plain SQL, every column (`signedRecord(checkedWith:)` checks each against the signed record),
    /// as `OrderHistoryEntry.init(row:)`.
    convenience init(row: any SQLRow) throws {
        self.init()
        id = try row.decode(column: "id", as: UUID.self)
        $id.exists = true
        $order.id = try row.decode(column: "order_id", as: UUID.self)
        buildNumber = try row.decode(column: "build_number", as: String.self)
        $template.id = try row.decode(column: "template_id", as: UUID.self)
        kind = try row.code("kind")
        outcome = try row.code("outcome")
        record = try row.decode(column: "record", as: String.self)
        sha256 = try row.decode(column: "sha256", as: String.self)
        $signer.id = try row.decode(column: "signer_id", as: UUID.self)
        signedAt = try row.decode(column: "signed_at", as: Date.self)
        supersedesID = try row.decode(column: "supersedes_id", as: UUID?.self)
        keyID = try row.decode(column: "key_id", as: String?.self)
        mac = try row.decode(column: "mac", as: String?.self)
    }

    /// The results of one checklist of one build, in the order they were signed, in plain SQL.
    static func of(build: String, kind: ChecklistKind, on database: any Database) async throws -> [ChecklistResult] {
        try await (database as! any SQLDatabase).raw(
            """
            SELECT \(columns: columns) FROM checklist_results WHERE build_number = \(bind: build) AND kind = \(bind: kind.rawValue)
            ORDER BY signed_at, id
            """
        ).all().map(ChecklistResult.init(row:))
    }

    /// The results of these builds, in plain SQL.
    static func of(builds: [String], on database: any Database) async throws -> [ChecklistResult] {
        guard !builds.isEmpty else { return [] }
        return try await (database as! any SQLDatabase).raw(
            "SELECT \(columns: columns) FROM checklist_results WHERE build_number IN (\(binds: builds))"
        ).all().map(ChecklistResult.init(row:))
    }
}
