import Foundation

/// Each build of an order on its own path (issue 16): the order's status is
/// derived from its builds', and which signed results still count after a
/// build went back is decided by the moves that restarted them.
extension OrderStatus {
    /// Where the status stands along the flow, `nil` for CANCELLED, which is off it.
    public var stage: Int? {
        switch self {
        case .orderCreated: 0
        case .partsSent: 1
        case .readyForPreQC: 2
        case .readyForProduction: 3
        case .testingComplete: 4
        case .packagingComplete: 5
        case .readyForFinalQC: 6
        case .readyForShip: 7
        case .shipped: 8
        case .cancelled: nil
        }
    }

    /// How the floor says it.
    public var words: String {
        switch self {
        case .orderCreated: "Order created"
        case .partsSent: "Parts sent"
        case .readyForPreQC: "Ready for Pre-QC"
        case .readyForProduction: "Ready for production"
        case .testingComplete: "Testing complete"
        case .packagingComplete: "Packaging complete"
        case .readyForFinalQC: "Ready for Final QC"
        case .readyForShip: "Ready to ship"
        case .shipped: "Shipped"
        case .cancelled: "Cancelled"
        }
    }
}

extension Lifecycle {
    /// The order's status: its least advanced build that is not cancelled;
    /// CANCELLED when every build is (or when it has none).
    public static func orderStatus(of builds: [OrderStatus]) -> OrderStatus {
        builds.filter { $0 != .cancelled }.min { $0.stage! < $1.stage! } ?? .cancelled
    }

    /// The most advanced build that is not cancelled: an order is edited as
    /// a whole only while every build is ORDER_CREATED.
    public static func furthest(of builds: [OrderStatus]) -> OrderStatus {
        builds.filter { $0 != .cancelled }.max { $0.stage! < $1.stage! } ?? .cancelled
    }

    /// How many builds stand in each status, in the flow's order, for lists and dashboards.
    public static func breakdown(of builds: [OrderStatus]) -> [(status: OrderStatus, count: Int)] {
        OrderStatus.allCases.compactMap { status in
            let count = builds.filter { $0 == status }.count
            return count == 0 ? nil : (status, count)
        }
    }

    /// The breakdown as the order's row keeps it for the lists
    /// (`READY_FOR_SHIP:2,READY_FOR_FINAL_QC:1`), nil while every build stands together.
    public static func breakdownText(of builds: [OrderStatus]) -> String? {
        let parts = breakdown(of: builds)
        return parts.count > 1 ? parts.map { "\($0.status.rawValue):\($0.count)" }.joined(separator: ",") : nil
    }

    /// The breakdown from the order's row: `text`, or every build at the order's status.
    public static func breakdown(text: String?, status: OrderStatus, builds: Int) -> [(status: OrderStatus, count: Int)] {
        guard let text else { return builds == 0 ? [] : [(status, builds)] }
        return text.split(separator: ",").compactMap { part in
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let status = OrderStatus(rawValue: String(pieces[0])), let count = Int(pieces[1]) else { return nil }
            return (status, count)
        }
    }

    /// One move of a build (or, before issue 16, of its whole order).
    public struct Move: Sendable, Hashable {
        public var at: Date
        public var from: OrderStatus?
        public var to: OrderStatus
        /// The checklists it restarts, when the move says so itself (a
        /// disposition's rework scope); otherwise `restarted(from:to:)`.
        public var restarts: Set<ChecklistKind>?

        public init(at: Date, from: OrderStatus?, to: OrderStatus, restarts: Set<ChecklistKind>? = nil) {
            self.at = at
            self.from = from
            self.to = to
            self.restarts = restarts
        }

        public var restarted: Set<ChecklistKind> { restarts ?? Lifecycle.restarted(from: from, to: to) }
    }

    /// A move back along the flow restarts every checklist recorded between
    /// where the build lands and where it was: those must be signed again.
    /// A move forward, a cancellation and an un-cancellation restart none.
    public static func restarted(from: OrderStatus?, to: OrderStatus) -> Set<ChecklistKind> {
        guard let from = from?.stage, let to = to.stage, to < from else { return [] }
        return Set(ChecklistKind.allCases.filter { (to...from).contains(OrderPolicy.recordingStatus($0).stage!) })
    }

    /// Since when a build's results of `kind` count: the latest move that
    /// restarted the kind, or the beginning.
    public static func roundStart(_ kind: ChecklistKind, moves: [Move]) -> Date {
        moves.filter { $0.restarted.contains(kind) }.map(\.at).max() ?? .distantPast
    }
}

/// Where an order stands against its want date (issue 16): overdue once the
/// date has passed, at risk within three days of it, until it ships.
public enum WantDate {
    public enum Standing: String, Sendable, Hashable {
        case atRisk = "AT_RISK"
        case overdue = "OVERDUE"

        public var words: String {
            switch self {
            case .atRisk: "Due soon"
            case .overdue: "Overdue"
            }
        }
    }

    /// Days before the want date from which an order is at risk.
    public static let riskDays = 3

    /// `wantDate` and `today` as `YYYY-MM-DD`; nil when on track, shipped or cancelled.
    public static func standing(_ wantDate: String, today: String, status: OrderStatus) -> Standing? {
        guard status != .shipped, status != .cancelled else { return nil }
        if wantDate < today { return .overdue }
        return wantDate <= riskHorizon(today) ? .atRisk : nil
    }

    /// The last want date that is at risk today.
    public static func riskHorizon(_ today: String) -> String {
        day(today, plus: riskDays)
    }

    /// The calendar day `days` after `day` (both `YYYY-MM-DD`); `day` itself when it is not a calendar day
    /// (`OrderRequest.isCalendarDate`) or the answer would not have four digits of year.
    public static func day(_ day: String, plus days: Int) -> String {
        guard let start = PlantTime.daysSince1970(day) else { return day }
        let (year, month, date) = PlantTime.civil(start + days)
        return (0...9_999).contains(year) ? PlantTime.text(year, month, date) : day
    }
}
