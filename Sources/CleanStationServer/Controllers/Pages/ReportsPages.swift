import CleanStationCore
import Vapor

/// The reports for people (issue 18): each a chart and the table of the
/// same numbers, with its CSV, over the months chosen.
enum ReportsPages {
    struct View: Encodable {
        struct Section: Encodable {
            var id: String
            var title: String
            var summary: String
            /// The chart, as SVG markup (`SVGChart`).
            var chart: String
            var header: [String]
            var rows: [[Cell]]
            var csv: String
        }

        struct Cell: Encodable {
            var text: String
            var href: String
            var numeric: Bool
        }

        struct Choice: Encodable {
            var value: Int
            var selected: Bool
        }

        var months: Int
        var choices: [Choice]
        var period: String
        var sections: [Section]
    }

    static func show(_ request: Request) async throws -> Response {
        let months = try ReportsController.months(request)
        let (report, at) = try await ReportsController.cached(request, months: months)
        var page = view(report, months: months)
        page.period += " · counted \(PlantTime.minute(AuditLog.timestamp(at))), at most a minute ago"
        return try await Chrome.render(request, "reports", title: "Reports", page, section: SiteURL.reports.path)
    }

    static func view(_ report: ReportsController.View, months: Int) -> View {
        func csv(_ name: ReportsController.Report) -> String {
            SiteURL.reportCSV(.value(name.rawValue)).with(parameters: [("months", String(months))])
        }
        func cell(_ text: String, href: String = "", numeric: Bool = false) -> View.Cell {
            View.Cell(text: text, href: href, numeric: numeric)
        }
        func percent(_ value: Double?) -> String { value.map { JSONSerializer.format($0) + "%" } ?? "—" }
        func sentence(_ words: String) -> String { words.prefix(1).uppercased() + words.dropFirst() }
        func hours(_ value: Double) -> String { JSONSerializer.format(value) + " h" }

        let kinds = ChecklistKind.allCases
        let overall = kinds.map { kind -> (ChecklistKind, Int, Int) in
            let cells = report.firstPassYield.filter { $0.checklist == kind }
            return (kind, cells.map(\.passed).reduce(0, +), cells.map(\.total).reduce(0, +))
        }
        let yieldSection = View.Section(
            id: "first-pass-yield", title: "First-pass yield",
            summary: "Of the builds whose first result of a checklist was signed in the month, the share that passed the first time.",
            chart: SVGChart.bars(
                overall.filter { $0.2 > 0 }.map { kind, passed, total in
                    SVGChart.Bar(
                        label: sentence(kind.words), value: Double(passed) * 100 / Double(total),
                        text: "\(passed) of \(total) (\(percent((Double(passed) * 1_000 / Double(total)).rounded() / 10)))")
                }, title: "First-pass yield per checklist over the months", maximum: 100),
            header: ["Checklist"] + report.months,
            rows: kinds.map { kind in
                [cell(sentence(kind.words))]
                    + report.months.map { month in
                        let line = report.firstPassYield.first { $0.checklist == kind && $0.month == month }
                        return cell(
                            line.map { $0.total == 0 ? "—" : "\(percent($0.percent)) (\($0.passed)/\($0.total))" } ?? "—", numeric: true)
                    }
            }, csv: csv(.firstPassYield))
        let paretoSection = View.Section(
            id: "failing-items", title: "Items that fail most",
            summary:
                "From the nonconformances opened in the months (\(report.failures) failed items in all), most first, with the running share.",
            chart: SVGChart.bars(
                report.failingItems.map {
                    SVGChart.Bar(
                        label: String($0.item.prefix(34)), value: Double($0.failures),
                        text: "\($0.failures) · \(percent($0.cumulativePercent)) so far")
                },
                title: "The items that fail most"),
            header: ["Item", "Failures", "Cumulative share"],
            rows: report.failingItems.map {
                [cell($0.item), cell(String($0.failures), numeric: true), cell(percent($0.cumulativePercent), numeric: true)]
            },
            csv: csv(.pareto))
        let cycleSection = View.Section(
            id: "cycle-time", title: "Cycle time per stage",
            summary:
                "How long builds stayed in each status they left in the months, from the move in to the move out: the bar is the median, the line the 90th percentile.",
            chart: SVGChart.bars(
                report.cycleTimes.map {
                    SVGChart.Bar(
                        label: sentence($0.status.words), value: $0.medianHours,
                        text: "median \(hours($0.medianHours)) · p90 \(hours($0.p90Hours))", marker: $0.p90Hours)
                }, title: "Median and 90th percentile hours per status"),
            header: ["Status", "Stays", "Median", "90th percentile"],
            rows: report.cycleTimes.map {
                [
                    cell($0.status.words), cell(String($0.stays), numeric: true), cell(hours($0.medianHours), numeric: true),
                    cell(hours($0.p90Hours), numeric: true),
                ]
            }, csv: csv(.cycleTime))
        let wipSection = View.Section(
            id: "work-in-progress", title: "Work in progress", summary: "Builds in each status now, shipped and cancelled left out.",
            chart: SVGChart.bars(
                report.workInProgress.map {
                    SVGChart.Bar(
                        label: sentence($0.status.words), value: Double($0.builds),
                        text: String($0.builds))
                }, title: "Builds per status now"),
            header: ["Status", "Builds"],
            rows: report.workInProgress.map { [cell($0.status.words), cell(String($0.builds), numeric: true)] },
            csv: csv(.workInProgress))
        let onTimeSection = View.Section(
            id: "on-time-delivery", title: "On-time delivery",
            summary: "Builds shipped in each month, and the share shipped on or before their order's want date.",
            chart: SVGChart.bars(
                report.onTimeDelivery.map {
                    SVGChart.Bar(
                        label: $0.month, value: $0.percent ?? 0,
                        text: $0.shipped == 0 ? "nothing shipped" : "\($0.onTime) of \($0.shipped) (\(percent($0.percent)))")
                }, title: "Share of builds shipped on time per month", maximum: 100),
            header: ["Month", "On time", "Shipped", "Share"],
            rows: report.onTimeDelivery.map {
                [
                    cell($0.month), cell(String($0.onTime), numeric: true), cell(String($0.shipped), numeric: true),
                    cell(percent($0.percent), numeric: true),
                ]
            }, csv: csv(.onTime))
        let overdueSection = View.Section(
            id: "overdue", title: "Overdue orders",
            summary: report.overdueCount == 0
                ? "No order is past its want date."
                : "\(report.overdueCount >= 1_000 ? "1,000 or more" : String(report.overdueCount)) orders not shipped are past their want date; the 50 latest to be due first.",
            chart: "", header: ["PO number", "Customer", "Want date", "Status"],
            rows: report.overdue.map {
                [
                    cell($0.poNumber, href: SiteURL.order(.value($0.orderId)).path), cell($0.customerName), cell($0.wantDate),
                    cell($0.status.words),
                ]
            }, csv: csv(.overdue))
        let workloadSection = View.Section(
            id: "qc-workload", title: "QC workload", summary: "Pre-QC and Final QC results each inspector signed in the months.",
            chart: SVGChart.bars(
                report.qcWorkload.map {
                    SVGChart.Bar(
                        label: String($0.inspector.prefix(34)), value: Double($0.preQC + $0.finalQC),
                        text: "Pre-QC \($0.preQC) · Final QC \($0.finalQC)")
                }, title: "Results signed per inspector"),
            header: ["Inspector", "Pre-QC", "Final QC"],
            rows: report.qcWorkload.map {
                [cell($0.inspector), cell(String($0.preQC), numeric: true), cell(String($0.finalQC), numeric: true)]
            },
            csv: csv(.qcWorkload))
        return View(
            months: months, choices: [1, 3, 6, 12, 24].map { View.Choice(value: $0, selected: $0 == months) },
            period: "\(report.months.first ?? "") to \(report.months.last ?? "")",
            sections: [yieldSection, paretoSection, cycleSection, wipSection, onTimeSection, overdueSection, workloadSection])
    }
}
