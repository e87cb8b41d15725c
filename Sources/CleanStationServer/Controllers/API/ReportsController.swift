import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// The reports (issue 18): counted by the database over the months asked
/// (`?months=`, 6 by default, this one included), each also as CSV. Read
/// from the replica when there is one.
enum ReportsController {
    enum Report: String, CaseIterable, Sendable {
        case firstPassYield = "first-pass-yield"
        case pareto = "failing-items"
        case cycleTime = "cycle-time"
        case workInProgress = "work-in-progress"
        case onTime = "on-time-delivery"
        case overdue = "overdue"
        case qcWorkload = "qc-workload"
    }

    struct View: APIResponse {
        struct Yield: Encodable, Sendable {
            var checklist: ChecklistKind
            var month: String
            var passed: Int
            var total: Int
            /// Null with nothing signed.
            var percent: Double?
        }

        struct Failing: Encodable, Sendable {
            var item: String
            var failures: Int
            var cumulativePercent: Double
        }

        struct Stage: Encodable, Sendable {
            var status: OrderStatus
            /// Stays measured: a build sent back and through the status again stays twice.
            var stays: Int
            var medianHours: Double
            var p90Hours: Double
        }

        struct Count: Encodable, Sendable {
            var status: OrderStatus
            var builds: Int
        }

        struct Delivery: Encodable, Sendable {
            var month: String
            var onTime: Int
            var shipped: Int
            var percent: Double?
        }

        struct Late: Encodable, Sendable {
            var orderId: String
            var poNumber: String
            var customerName: String
            var wantDate: String
            var status: OrderStatus
        }

        struct Workload: Encodable, Sendable {
            var inspector: String
            var preQC: Int
            var finalQC: Int
        }

        var months: [String]
        var firstPassYield: [Yield]
        var failingItems: [Failing]
        /// Every failure the nonconformances of the months recorded.
        var failures: Int
        var cycleTimes: [Stage]
        var workInProgress: [Count]
        var onTimeDelivery: [Delivery]
        /// Orders not shipped, past their want date: the first 50, and how many in all (at most 1,000 counted).
        var overdue: [Late]
        var overdueCount: Int
        var qcWorkload: [Workload]

        static let example = View(
            months: ["2026-11", "2026-12"],
            firstPassYield: [Yield(checklist: .finalQC, month: "2026-12", passed: 9, total: 10, percent: 90)],
            failingItems: [Failing(item: "Hi-pot test", failures: 3, cumulativePercent: 60)], failures: 5,
            cycleTimes: [Stage(status: .readyForProduction, stays: 12, medianHours: 20.5, p90Hours: 47)],
            workInProgress: [Count(status: .readyForProduction, builds: 4)],
            onTimeDelivery: [Delivery(month: "2026-12", onTime: 7, shipped: 8, percent: 87.5)],
            overdue: [
                Late(
                    orderId: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b", poNumber: "PO-2026-0042", customerName: "St. Michael's Hospital",
                    wantDate: "2026-12-01", status: .readyForProduction)
            ], overdueCount: 1, qcWorkload: [Workload(inspector: "Quinn Carter (QC)", preQC: 10, finalQC: 8)])
    }

    /// `?months=1…24`, 422 naming the field otherwise.
    static func months(_ request: Request) throws -> Int {
        var errors: [FieldError] = []
        let months = request.boundedQuery("months", default: Reports.defaultMonths, range: Reports.monthRange, &errors)
        guard errors.isEmpty else { throw APIError.validation(errors) }
        return months
    }

    /// `GET /api/v1/reports`.
    static func all(_ request: Request) async throws -> View {
        try await cached(request, months: try months(request)).view
    }

    /// The reports, or only `only` (a CSV's): each is one query, and the others are not run. The reports asked
    /// are asked at once: on PostgreSQL each query takes a connection of the pool, and they run side by side
    /// (at most once a minute an instance, `ReportsCache`); SQLite's one connection takes them in turn.
    static func view(
        months count: Int, on database: any Database, now: Date, zone: TimeZone = PlantTime.zone, only: Report? = nil
    ) async throws -> View {
        let sql = database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        let months = Reports.months(endingAt: now, count: count, in: zone)
        let since = months[0].start
        let wanted = Set(only.map { [$0] } ?? Report.allCases)
        async let yields = wanted.contains(.firstPassYield) ? firstPassYield(sql, months: months) : []
        async let failing = wanted.contains(.pareto) ? failingItems(sql, since: since) : ([], 0)
        async let stays = wanted.contains(.cycleTime) ? cycleTimes(sql, postgres: postgres, since: since) : []
        async let progress = wanted.contains(.workInProgress) ? workInProgress(sql) : []
        async let delivery =
            wanted.contains(.onTime) ? onTime(sql, since: months[0].name + "-01", months: months.map(\.name)) : []
        async let late = wanted.contains(.overdue) ? overdue(sql, today: OrderRequest.today(now)) : ([], 0)
        async let workload = wanted.contains(.qcWorkload) ? qcWorkload(sql, since: since) : []
        let (failingItems, failures) = try await failing
        let (overdue, overdueCount) = try await late
        return View(
            months: months.map(\.name), firstPassYield: try await yields, failingItems: failingItems, failures: failures,
            cycleTimes: try await stays, workInProgress: try await progress, onTimeDelivery: try await delivery, overdue: overdue,
            overdueCount: overdueCount, qcWorkload: try await workload)
    }

    /// The month a result was signed in, on the plant's clock: one CASE over the months' first instants, the same
    /// on both databases, newest first.
    private static func month(of column: String, in months: [Reports.Month]) -> SQLQueryString {
        var expression: SQLQueryString = "CASE"
        for month in months.reversed() {
            expression = expression + " WHEN \(unsafeRaw: column) >= \(bind: month.start) THEN \(bind: month.name)"
        }
        return expression + " END"
    }

    private static func firstPassYield(_ sql: any SQLDatabase, months: [Reports.Month]) async throws -> [View.Yield] {
        // A build's first result of a checklist supersedes nothing.
        let rows = try await sql.raw(
            """
            SELECT kind, month, outcome, COUNT(*) AS n FROM (
                SELECT kind, outcome, \(month(of: "signed_at", in: months)) AS month FROM checklist_results
                WHERE supersedes_id IS NULL AND signed_at >= \(bind: months[0].start)
            ) AS firsts GROUP BY kind, month, outcome
            """
        ).all()
        let counts = try rows.compactMap { row -> (kind: ChecklistKind, month: String, passed: Bool, count: Int)? in
            guard let kind = ChecklistKind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
            return (
                kind, try row.decode(column: "month", as: String.self), try row.decode(column: "outcome", as: String.self) == "PASS",
                try row.decode(column: "n", as: Int.self)
            )
        }
        return Reports.yields(counts, months: months.map(\.name)).map {
            View.Yield(checklist: $0.kind, month: $0.month, passed: $0.passed, total: $0.total, percent: $0.percent)
        }
    }

    /// From the nonconformances opened in the months: each failed item once per report, by its words (the same on every basin).
    private static func failingItems(_ sql: any SQLDatabase, since: Date) async throws -> ([View.Failing], Int) {
        var counts: [String: Int] = [:]
        for row in try await sql.raw("SELECT failed_items FROM nonconformances WHERE opened_at >= \(bind: since)").all() {
            let items = (try? JSONParser.parse(Data(try row.decode(column: "failed_items", as: String.self).utf8)))?.array ?? []
            for item in Set(items.compactMap { $0["text"]?.string ?? $0["itemId"]?.string }) { counts[item, default: 0] += 1 }
        }
        let pareto = Reports.pareto(counts).map {
            View.Failing(item: $0.item, failures: $0.failures, cumulativePercent: $0.cumulativePercent)
        }
        return (pareto, counts.values.reduce(0, +))
    }

    /// How long builds stayed in each status they left in the months: the stays their moves recorded
    /// (`order_history.stay_seconds`), read from the index that holds them.
    private static func cycleTimes(_ sql: any SQLDatabase, postgres: Bool, since: Date) async throws -> [View.Stage] {
        let stages: [Reports.Stage]
        if postgres {
            // One range of the index per status (PostgreSQL 15 has no skip scan): the cost follows the months asked,
            // not the whole history. The statuses are the enum's own words, not input.
            let statuses = OrderStatus.allCases.map { "('\($0.rawValue)')" }.joined(separator: ", ")
            let rows = try await sql.raw(
                """
                SELECT s.stage, x.n, x.seconds FROM (VALUES \(unsafeRaw: statuses)) AS s(stage) CROSS JOIN LATERAL (
                    SELECT COUNT(*) AS n, percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY stay_seconds) AS seconds
                    FROM order_history WHERE from_status = s.stage AND stay_seconds IS NOT NULL AND at >= \(bind: since)
                ) AS x WHERE x.n > 0
                """
            ).all()
            let byStatus = Dictionary(
                try rows.compactMap { row -> (OrderStatus, Reports.Stage)? in
                    guard let status = OrderStatus(rawValue: try row.decode(column: "stage", as: String.self)) else { return nil }
                    let seconds = try row.decode(column: "seconds", as: [Double].self)
                    guard seconds.count == 2 else { return nil }
                    return (
                        status,
                        Reports.Stage(
                            status: status, stays: try row.decode(column: "n", as: Int.self), medianHours: Reports.hours(seconds[0]),
                            p90Hours: Reports.hours(seconds[1]))
                    )
                }, uniquingKeysWith: { first, _ in first })
            stages = OrderStatus.allCases.compactMap { byStatus[$0] }
        } else {
            let rows = try await sql.raw(
                "SELECT from_status AS stage, stay_seconds FROM order_history WHERE stay_seconds IS NOT NULL AND at >= \(bind: since)"
            ).all()
            var seconds: [OrderStatus: [Double]] = [:]
            for row in rows {
                guard let status = OrderStatus(rawValue: try row.decode(column: "stage", as: String.self)) else { continue }
                seconds[status, default: []].append(try row.decode(column: "stay_seconds", as: Double.self))
            }
            stages = Reports.stages(seconds)
        }
        return stages.map { View.Stage(status: $0.status, stays: $0.stays, medianHours: $0.medianHours, p90Hours: $0.p90Hours) }
    }

    private static func workInProgress(_ sql: any SQLDatabase) async throws -> [View.Count] {
        let rows = try await sql.raw(
            "SELECT status, COUNT(*) AS n FROM builds WHERE status NOT IN ('SHIPPED', 'CANCELLED') GROUP BY status"
        )
        .all()
        let counts = Dictionary(
            try rows.map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "n", as: Int.self)) },
            uniquingKeysWith: { first, _ in first })
        return OrderStatus.allCases.filter { ![.shipped, .cancelled].contains($0) }.map {
            View.Count(status: $0, builds: counts[$0.rawValue] ?? 0)
        }
    }

    /// Builds shipped in each month, and how many of them on or before their order's want date.
    private static func onTime(_ sql: any SQLDatabase, since: String, months: [String]) async throws -> [View.Delivery] {
        let rows = try await sql.raw(
            """
            SELECT substr(s.shipped_on, 1, 7) AS month, COUNT(*) AS shipped,
            SUM(CASE WHEN s.shipped_on <= o.want_date THEN 1 ELSE 0 END) AS on_time
            FROM shipments s JOIN shipment_builds sb ON sb.shipment_id = s.id JOIN orders o ON o.id = s.order_id
            WHERE s.shipped_on >= \(bind: since) GROUP BY substr(s.shipped_on, 1, 7)
            """
        ).all()
        let byMonth = Dictionary(
            try rows.map {
                (
                    try $0.decode(column: "month", as: String.self),
                    (try $0.decode(column: "on_time", as: Int.self), try $0.decode(column: "shipped", as: Int.self))
                )
            }, uniquingKeysWith: { first, _ in first })
        return months.map { month in
            let (onTime, shipped) = byMonth[month] ?? (0, 0)
            return View.Delivery(
                month: month, onTime: onTime, shipped: shipped,
                percent: shipped == 0 ? nil : (Double(onTime) * 1_000 / Double(shipped)).rounded() / 10)
        }
    }

    private static func overdue(_ sql: any SQLDatabase, today: String) async throws -> ([View.Late], Int) {
        let open = "status NOT IN ('SHIPPED', 'CANCELLED') AND want_date < "
        let rows = try await sql.raw(
            "SELECT id, po_number, customer_name, want_date, status FROM orders WHERE \(unsafeRaw: open)\(bind: today) ORDER BY want_date, po_number LIMIT 50"
        ).all()
        let late = try rows.map { row in
            View.Late(
                orderId: try row.decode(column: "id", as: UUID.self).uuidString.lowercased(),
                poNumber: try row.decode(column: "po_number", as: String.self),
                customerName: try row.decode(column: "customer_name", as: String.self),
                wantDate: try row.decode(column: "want_date", as: String.self),
                status: try row.decode(column: "status", as: OrderStatus.self))
        }
        let count =
            late.count < 50
            ? late.count
            : try await sql.raw(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM orders WHERE \(unsafeRaw: open)\(bind: today) LIMIT 1000) AS capped"
            ).first()?
            .decode(column: "n", as: Int.self) ?? 0
        return (late, count)
    }

    private static func qcWorkload(_ sql: any SQLDatabase, since: Date) async throws -> [View.Workload] {
        let rows = try await sql.raw(
            """
            SELECT u.full_name, u.initials, r.kind, COUNT(*) AS n FROM checklist_results r JOIN users u ON u.id = r.signer_id
            WHERE r.kind IN ('PRE_QC', 'FINAL_QC') AND r.signed_at >= \(bind: since) GROUP BY u.full_name, u.initials, r.kind
            """
        ).all()
        var workload: [String: View.Workload] = [:]
        for row in rows {
            let name = "\(try row.decode(column: "full_name", as: String.self)) (\(try row.decode(column: "initials", as: String.self)))"
            var line = workload[name] ?? View.Workload(inspector: name, preQC: 0, finalQC: 0)
            let count = try row.decode(column: "n", as: Int.self)
            if try row.decode(column: "kind", as: String.self) == ChecklistKind.preQC.rawValue {
                line.preQC += count
            } else {
                line.finalQC += count
            }
            workload[name] = line
        }
        return workload.values.sorted { ($1.preQC + $1.finalQC, $0.inspector) < ($0.preQC + $0.finalQC, $1.inspector) }
    }
}

extension ReportsController {
    /// `GET /api/v1/reports/{report}/csv`: one report's table, its export audited.
    static func csv(_ request: Request) async throws -> Response {
        guard let report = request.parameters.get("report").flatMap(Report.init(rawValue:)) else { throw APIError.notFound("The report") }
        let months = try months(request)
        let view = try await cached(request, months: months, only: report).view
        var text = ""
        func row(_ fields: [String]) { text += CSV.row(fields) }
        func number(_ value: Double?) -> String { value.map(JSONSerializer.format) ?? "" }
        switch report {
        case .firstPassYield:
            row(["Checklist", "Month", "Passed first time", "Builds", "First-pass yield %"])
            for line in view.firstPassYield {
                row([line.checklist.rawValue, line.month, String(line.passed), String(line.total), number(line.percent)])
            }
        case .pareto:
            row(["Item", "Failures", "Cumulative %"])
            for line in view.failingItems { row([line.item, String(line.failures), number(line.cumulativePercent)]) }
        case .cycleTime:
            row(["Status", "Stays", "Median hours", "90th percentile hours"])
            for line in view.cycleTimes {
                row([line.status.rawValue, String(line.stays), number(line.medianHours), number(line.p90Hours)])
            }
        case .workInProgress:
            row(["Status", "Builds"])
            for line in view.workInProgress { row([line.status.rawValue, String(line.builds)]) }
        case .onTime:
            row(["Month", "Shipped on time", "Shipped", "On time %"])
            for line in view.onTimeDelivery { row([line.month, String(line.onTime), String(line.shipped), number(line.percent)]) }
        case .overdue:
            row(["PO number", "Customer", "Want date", "Status"])
            for line in view.overdue { row([line.poNumber, line.customerName, line.wantDate, line.status.rawValue]) }
        case .qcWorkload:
            row(["Inspector", "Pre-QC signed", "Final QC signed"])
            for line in view.qcWorkload { row([line.inspector, String(line.preQC), String(line.finalQC)]) }
        }
        try await AuditLog.recordExport(
            request, resourceType: "report", resourceID: report.rawValue,
            details: [JSONMember("export", "report"), JSONMember("months", .number(Double(months)))])
        return Response.download(
            Data(text.utf8), type: "text/csv; charset=utf-8", filename: "\(report.rawValue)-\(view.months.last ?? "")-\(months)m.csv")
    }
}
