import CleanStationCore
import Fluent
import Foundation
import SQLKit

/// One status change of a build (or, before issue 16, of its whole order:
/// `buildNumber` is nil): who, when, from, to, why; the checklists it
/// restarted when a disposition said so; whether an administrator forced it.
final class OrderHistoryEntry: Model, @unchecked Sendable {
    static let schema = "order_history"

    @ID(key: .id) var id: UUID?
    @Parent(key: "order_id") var order: Order
    @Field(key: "at") var at: Date
    @Parent(key: "user_id") var user: User
    @OptionalEnum(key: "from_status") var fromStatus: OrderStatus?
    @Enum(key: "to_status") var toStatus: OrderStatus
    @Field(key: "note") var note: String
    @OptionalField(key: "build_number") var buildNumber: String?
    /// Comma-separated checklist kinds, when the move named them itself (`Lifecycle.Move.restarts`).
    @OptionalField(key: "restarts") var restarts: String?
    @Field(key: "override") var override: Bool
    /// How long the build stayed in `fromStatus`: seconds since its move before, nil on its first (the cycle-time
    /// report). Measured by the database as the move is inserted, when not given (migration 031).
    @OptionalField(key: "stay_seconds") var staySeconds: Double?

    init() {}

    init(
        orderID: UUID, at: Date, userID: UUID, from: OrderStatus?, to: OrderStatus, note: String, buildNumber: String? = nil,
        restarts: Set<ChecklistKind>? = nil, override: Bool = false, staySeconds: Double? = nil
    ) {
        self.staySeconds = staySeconds
        self.buildNumber = buildNumber
        self.restarts = restarts.map { kinds in ChecklistKind.allCases.filter(kinds.contains).map(\.rawValue).joined(separator: ",") }
        self.override = override
        self.$order.id = orderID
        self.at = at
        self.$user.id = userID
        self.fromStatus = from
        self.toStatus = to
        self.note = note
    }
}

extension OrderHistoryEntry {
    var move: Lifecycle.Move {
        Lifecycle.Move(
            at: at, from: fromStatus, to: toStatus,
            restarts: restarts.map { Set($0.split(separator: ",").compactMap { ChecklistKind(rawValue: String($0)) }) })
    }
}

extension OrderHistoryEntry {
    /// Every column, for `init(row:)` (`PlainReadsTests` checks them against the model's fields).
    static let columns = [
        "id", "order_id", "at", "user_id", "from_status", "to_status", "note", "build_number", "restarts", "override", "stay_seconds",
    ]

    /// A move read with plain SQL: Fluent's reading by reflection cost the order's pages a few hundred
    /// microseconds a query (issue 20).
    convenience init(row: any SQLRow) throws {
        self.init()
        id = try row.decode(column: "id", as: UUID.self)
        $id.exists = true
        $order.id = try row.decode(column: "order_id", as: UUID.self)
        at = try row.decode(column: "at", as: Date.self)
        $user.id = try row.decode(column: "user_id", as: UUID.self)
        fromStatus = try row.optionalCode("from_status")
        toStatus = try row.code("to_status")
        note = try row.decode(column: "note", as: String.self)
        buildNumber = try row.decode(column: "build_number", as: String?.self)
        restarts = try row.decode(column: "restarts", as: String?.self)
        override = try row.decode(column: "override", as: Bool.self)
        staySeconds = try row.decode(column: "stay_seconds", as: Double?.self)
    }

    /// The moves of one order, in plain SQL.
    static func of(order orderID: UUID, on database: any Database) async throws -> [OrderHistoryEntry] {
        try await (database as! any SQLDatabase).raw("SELECT \(columns: columns) FROM order_history WHERE order_id = \(bind: orderID)")
            .all()
            .map(OrderHistoryEntry.init(row:))
    }
}
