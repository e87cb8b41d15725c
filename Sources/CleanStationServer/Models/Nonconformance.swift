import CleanStationCore
import Fluent
import Foundation
import SQLKit

/// A nonconformance report (NCR): opened by a failed Pre-QC, end-of-line
/// test or Final QC on one build, from the signed result it came from.
/// Written once; what happens to it is a `NonconformanceStep`.
final class NonconformanceReport: Model, @unchecked Sendable {
    static let schema = "nonconformances"

    @ID(key: .id) var id: UUID?
    /// `NCR-B1002-1`: the build and how many it has had.
    @Field(key: "number") var number: String
    @Parent(key: "order_id") var order: Order
    @Field(key: "build_number") var buildNumber: String
    @Enum(key: "kind") var kind: ChecklistKind
    @Field(key: "result_id") var resultID: UUID
    /// The failed items as JSON: `[{itemId, text, value, note, photos}]`.
    @Field(key: "failed_items") var failedItems: String
    @Field(key: "description") var description: String
    @Parent(key: "opened_by") var openedBy: User
    @Field(key: "opened_at") var openedAt: Date

    init() {}
}

/// One step of a nonconformance, appended and never changed: its
/// disposition, the second approval of a use-as-is, its closure. A step of
/// each kind at most (unique), so that of two racing decisions one is kept.
final class NonconformanceStep: Model, @unchecked Sendable {
    static let schema = "nonconformance_steps"

    enum Kind: String, Codable, Sendable {
        case disposition = "DISPOSITION"
        case approval = "APPROVAL"
        case closure = "CLOSURE"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "nonconformance_id") var nonconformance: NonconformanceReport
    @Enum(key: "step") var step: Kind
    @OptionalField(key: "disposition") var disposition: String?
    /// Comma-separated checklist kinds of a rework.
    @OptionalField(key: "scope") var scope: String?
    @Field(key: "justification") var justification: String
    /// The result that verified the rework and closed it.
    @OptionalField(key: "result_id") var resultID: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "at") var at: Date

    init() {}

    init(ncrID: UUID, step: Kind, userID: UUID, at: Date, justification: String = "") {
        self.$nonconformance.id = ncrID
        self.step = step
        self.$user.id = userID
        self.at = at
        self.justification = justification
    }

    var decided: Nonconformance.Disposition? {
        switch disposition {
        case "REWORK":
            .rework(scope: Set((scope ?? "").split(separator: ",").compactMap { ChecklistKind(rawValue: String($0)) }))
        case "USE_AS_IS": .useAsIs
        case "SCRAP": .scrap
        case "RETURN_TO_SUPPLIER": .returnToSupplier
        default: nil
        }
    }
}

extension NonconformanceReport {
    /// The Core record of this report from its steps.
    func record(_ steps: [NonconformanceStep]) -> Nonconformance.Record {
        let mine = steps.filter { $0.$nonconformance.id == id }
        let decision = mine.first { $0.step == .disposition }
        return Nonconformance.Record(
            failed: kind, disposition: decision?.decided, decidedBy: decision?.$user.id,
            approvedBy: mine.first { $0.step == .approval }?.$user.id, closed: mine.contains { $0.step == .closure })
    }
}

/// Builds that left together: date, carrier and tracking number.
final class Shipment: Model, @unchecked Sendable {
    static let schema = "shipments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Field(key: "shipped_on") var shippedOn: String
    @Field(key: "carrier") var carrier: String
    @Field(key: "tracking_number") var trackingNumber: String
    @Parent(key: "created_by") var createdBy: User
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One build of a shipment; a build ships once (unique).
final class ShipmentBuild: Model, @unchecked Sendable {
    static let schema = "shipment_builds"

    @ID(key: .id) var id: UUID?
    @Parent(key: "shipment_id") var shipment: Shipment
    @Field(key: "build_number") var buildNumber: String

    init() {}
}

// Plain SQL for the builds' records that every order page reads (issue 20), as `OrderHistoryEntry.of(order:on:)`.
extension NonconformanceReport {
    /// Every column (`PlainReadsTests` checks them against the model's fields).
    static let columns = [
        "id", "number", "order_id", "build_number", "kind", "result_id", "failed_items", "description", "opened_by", "opened_at",
    ]

    /// The reports of these builds, oldest first.
    static func of(builds: [String], on database: any Database) async throws -> [NonconformanceReport] {
        guard !builds.isEmpty else { return [] }
        return try await reports("build_number IN (\(binds: builds)) ORDER BY opened_at", on: database)
    }

    /// The reports of one order, newest first (the API's order detail).
    static func of(order orderID: UUID, on database: any Database) async throws -> [NonconformanceReport] {
        try await reports("order_id = \(bind: orderID) ORDER BY opened_at DESC, number", on: database)
    }

    private static func reports(_ condition: SQLQueryString, on database: any Database) async throws -> [NonconformanceReport] {
        try await (database as! any SQLDatabase).raw("SELECT \(columns: columns) FROM nonconformances WHERE " + condition).all().map {
            row in
            let report = NonconformanceReport()
            report.id = try row.decode(column: "id", as: UUID.self)
            report.$id.exists = true
            report.number = try row.decode(column: "number", as: String.self)
            report.$order.id = try row.decode(column: "order_id", as: UUID.self)
            report.buildNumber = try row.decode(column: "build_number", as: String.self)
            report.kind = try row.code("kind")
            report.resultID = try row.decode(column: "result_id", as: UUID.self)
            report.failedItems = try row.decode(column: "failed_items", as: String.self)
            report.description = try row.decode(column: "description", as: String.self)
            report.$openedBy.id = try row.decode(column: "opened_by", as: UUID.self)
            report.openedAt = try row.decode(column: "opened_at", as: Date.self)
            return report
        }
    }
}

extension NonconformanceStep {
    /// Every column (`PlainReadsTests` checks them against the model's fields).
    static let columns = ["id", "nonconformance_id", "step", "disposition", "scope", "justification", "result_id", "user_id", "at"]

    /// The steps of these reports.
    static func of(reports: [UUID], on database: any Database) async throws -> [NonconformanceStep] {
        guard !reports.isEmpty else { return [] }
        return try await (database as! any SQLDatabase).raw(
            "SELECT \(columns: columns) FROM nonconformance_steps WHERE nonconformance_id IN (\(binds: reports))"
        ).all().map { row in
            let step = NonconformanceStep()
            step.id = try row.decode(column: "id", as: UUID.self)
            step.$id.exists = true
            step.$nonconformance.id = try row.decode(column: "nonconformance_id", as: UUID.self)
            step.step = try row.code("step")
            step.disposition = try row.decode(column: "disposition", as: String?.self)
            step.scope = try row.decode(column: "scope", as: String?.self)
            step.justification = try row.decode(column: "justification", as: String.self)
            step.resultID = try row.decode(column: "result_id", as: UUID?.self)
            step.$user.id = try row.decode(column: "user_id", as: UUID.self)
            step.at = try row.decode(column: "at", as: Date.self)
            return step
        }
    }
}
