import Foundation

/// The numbers a production manager asks for (issue 18): first-pass yield,
/// the items that fail most, cycle time per stage, work in progress, on-time
/// delivery and QC workload. The arithmetic is here, on rows the database
/// has counted; who may read them too.
public enum Reports {
    /// Who reads the reports: the coordinator, QC and an administrator.
    public static let readers: Set<Role> = [.productionCoordinator, .qcPerson, .admin]

    /// How far back a report looks, in whole months, this one included.
    public static let defaultMonths = 6
    public static let monthRange = 1...24

    /// A calendar month on the plant's clock: its name and the instant it starts.
    public struct Month: Sendable, Hashable {
        /// `YYYY-MM`.
        public var name: String
        public var start: Date
    }

    /// `count` months up to the one `date` falls in on the plant's clock (`PlantTime.zone`), oldest first: a
    /// result signed at 22:00 on the 30th of November in Toronto counts in November, though it is December in UTC.
    public static func months(endingAt date: Date, count: Int, in zone: TimeZone = PlantTime.zone) -> [Month] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month], from: date)
        let index = parts.year! * 12 + parts.month! - 1
        return (0..<count).reversed().map { back in
            let month = index - back
            let (year, number) = (month / 12, month % 12 + 1)
            return Month(
                name: String(format: "%04d-%02d", year, number),
                start: calendar.date(from: DateComponents(year: year, month: number, day: 1))!)
        }
    }

    /// A percentile of values, interpolated between the two nearest ranks (as PostgreSQL's `percentile_cont`).
    public static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = fraction * Double(sorted.count - 1)
        let low = Int(rank.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
    }

    /// First-pass yield of one checklist in one month: of the builds whose first result of it was signed that month, how many passed.
    public struct Yield: Sendable, Hashable {
        public var kind: ChecklistKind
        public var month: String
        public var passed: Int
        public var total: Int

        public init(kind: ChecklistKind, month: String, passed: Int, total: Int) {
            self.kind = kind
            self.month = month
            self.passed = passed
            self.total = total
        }

        /// Percent, one decimal; nil with nothing signed.
        public var percent: Double? { total == 0 ? nil : (Double(passed) * 1_000 / Double(total)).rounded() / 10 }
    }

    /// Every checklist × every month, zero where nothing was signed, from counts by kind, month and outcome.
    public static func yields(_ counts: [(kind: ChecklistKind, month: String, passed: Bool, count: Int)], months: [String]) -> [Yield] {
        var cells: [String: Yield] = [:]
        for kind in ChecklistKind.allCases {
            for month in months { cells["\(kind.rawValue) \(month)"] = Yield(kind: kind, month: month, passed: 0, total: 0) }
        }
        for count in counts {
            guard var cell = cells["\(count.kind.rawValue) \(count.month)"] else { continue }
            cell.total += count.count
            if count.passed { cell.passed += count.count }
            cells["\(count.kind.rawValue) \(count.month)"] = cell
        }
        return ChecklistKind.allCases.flatMap { kind in months.map { cells["\(kind.rawValue) \($0)"]! } }
    }

    /// One line of a Pareto: an item, how often it failed, and the share of all failures up to and including it.
    public struct ParetoLine: Sendable, Hashable {
        public var item: String
        public var failures: Int
        /// Percent, one decimal.
        public var cumulativePercent: Double
    }

    /// The items that fail most, most first (ties by name), at most `top`; the shares are of every failure counted.
    public static func pareto(_ failures: [String: Int], top: Int = 10) -> [ParetoLine] {
        let total = failures.values.reduce(0, +)
        guard total > 0 else { return [] }
        var running = 0
        return failures.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(top).map { item, count in
            running += count
            return ParetoLine(item: item, failures: count, cumulativePercent: (Double(running) * 1_000 / Double(total)).rounded() / 10)
        }
    }

    /// How long builds stayed in one status, in hours.
    public struct Stage: Sendable, Hashable {
        public var status: OrderStatus
        /// How many stays were measured (a build through the status twice stays twice).
        public var stays: Int
        public var medianHours: Double
        public var p90Hours: Double

        public init(status: OrderStatus, stays: Int, medianHours: Double, p90Hours: Double) {
            self.status = status
            self.stays = stays
            self.medianHours = medianHours
            self.p90Hours = p90Hours
        }
    }

    /// The stages from durations in seconds, in the lifecycle's order.
    public static func stages(_ seconds: [OrderStatus: [Double]]) -> [Stage] {
        OrderStatus.allCases.compactMap { status in
            guard let values = seconds[status], let median = percentile(values, 0.5), let p90 = percentile(values, 0.9) else { return nil }
            return Stage(status: status, stays: values.count, medianHours: hours(median), p90Hours: hours(p90))
        }
    }

    /// Seconds as hours, one decimal.
    public static func hours(_ seconds: Double) -> Double { (seconds / 360).rounded() / 10 }
}
