import CleanStationCore
import CleanStationTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// The reports (issue 18) against a fixture of known counts and durations, on both databases.
@Suite struct ReportsTests {
    /// 2026-12-15 12:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_797_336_000)

    static func day(_ text: String, hour: Double = 12) -> Date {
        Date(timeIntervalSince1970: (try! Date.ISO8601FormatStyle().parse(text + "T00:00:00Z")).timeIntervalSince1970 + hour * 3_600)
    }

    /// Three builds of one order: their first results, a correction, two nonconformances, moves with known hours, two shipments.
    static func fixture(_ app: Application) async throws -> (order: UUID, qc: UUID) {
        let coordinator = try await app.signIn(.productionCoordinator)
        _ = try await app.signIn(.qcPerson)
        let order = try #require(
            UUID(uuidString: try await app.createOrder(headers: coordinator, po: "PO-REPORT-1", builds: ["R1", "R2", "R3"])))
        let qc = try #require(try await User.query(on: app.db).filter(\.$role == .qcPerson).first()?.requireID())
        let templates = Dictionary(
            try await ChecklistTemplateRecord.query(on: app.db).all().map { ($0.kind, try $0.requireID()) },
            uniquingKeysWith: { first, _ in first })
        func result(
            _ build: String, _ kind: ChecklistKind, _ outcome: ChecklistEvaluation.Outcome, _ at: Date, supersedes: UUID? = nil
        ) async throws
            -> UUID
        {
            let row = ChecklistResult()
            row.id = UUID()
            row.$order.id = order
            row.buildNumber = build
            row.$template.id = templates[kind]!
            row.kind = kind
            row.outcome = outcome
            row.record = "{}"
            row.sha256 = "fixture"
            row.$signer.id = qc
            row.signedAt = at
            row.supersedesID = supersedes
            row.keyID = "fixture"
            row.mac = "fixture"
            try await row.create(on: app.db)
            return row.id!
        }
        _ = try await result("R1", .preQC, .pass, day("2026-12-01"))
        _ = try await result("R1", .finalQC, .pass, day("2026-12-02"))
        let failed = try await result("R2", .finalQC, .fail, day("2026-12-03"))
        _ = try await result("R2", .finalQC, .pass, day("2026-12-04"), supersedes: failed)
        let november = try await result("R3", .finalQC, .pass, day("2026-11-10"))
        _ = try await result("R3", .finalQC, .pass, day("2026-09-10"))  // before the months asked: not counted
        for (number, items, result) in [
            ("NCR-R2-1", #"[{"itemId":"final-qc.hi-pot","text":"Hi-pot test"},{"itemId":"final-qc.leak","text":"Leak test"}]"#, failed),
            ("NCR-R3-1", #"[{"itemId":"final-qc.hi-pot","text":"Hi-pot test"}]"#, november),
        ] {
            let report = NonconformanceReport()
            report.id = UUID()
            report.number = number
            report.$order.id = order
            report.buildNumber = String(number.dropFirst(4).prefix(2))
            report.kind = .finalQC
            report.resultID = result
            report.failedItems = items
            report.description = "fixture"
            report.$openedBy.id = qc
            report.openedAt = day("2026-12-03")
            try await report.create(on: app.db)
        }
        // R1: 10 h in production, 2 h in testing complete; R2: 20 h in production. Each stay is measured as the move is inserted.
        let start = day("2026-12-01", hour: 8)
        for (build, moves) in [
            ("R1", [(OrderStatus.readyForProduction, 0.0), (.testingComplete, 10), (.packagingComplete, 12)]),
            ("R2", [(.readyForProduction, 0), (.testingComplete, 20)]),
        ] {
            var from = OrderStatus.orderCreated
            for (status, hours) in moves {
                try await OrderHistoryEntry(
                    orderID: order, at: start.addingTimeInterval(hours * 3_600), userID: qc, from: from, to: status, note: "",
                    buildNumber: build
                ).create(on: app.db)
                from = status
            }
        }
        // Want date 2026-12-04: R1 shipped late on the 5th, R3 on time on the 3rd.
        try await (app.db as! any SQLDatabase).raw("UPDATE orders SET want_date = '2026-12-04' WHERE id = \(bind: order)").run()
        for (build, on) in [("R1", "2026-12-05"), ("R3", "2026-12-03")] {
            let shipment = Shipment()
            shipment.id = UUID()
            shipment.$order.id = order
            shipment.shippedOn = on
            shipment.carrier = "DHL"
            shipment.trackingNumber = build
            shipment.$createdBy.id = qc
            shipment.createdAt = day(on)
            try await shipment.create(on: app.db)
            let line = ShipmentBuild()
            line.id = UUID()
            line.$shipment.id = shipment.id!
            line.buildNumber = build
            try await line.create(on: app.db)
        }
        return (order, qc)
    }

    @Test(arguments: TestDatabase.all)
    func theFiguresMatchAFixtureOfKnownCountsAndDurations(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (order, _) = try await Self.fixture(app)
            let view = try await ReportsController.view(months: 2, on: app.db, now: Self.now)
            #expect(view.months == ["2026-11", "2026-12"])
            let finalQC = view.firstPassYield.filter { $0.checklist == .finalQC }
            #expect(finalQC.map(\.month) == ["2026-11", "2026-12"])
            #expect(finalQC.map(\.passed) == [1, 1] && finalQC.map(\.total) == [1, 2], "the correction is not a first result")
            #expect(finalQC.map(\.percent) == [100, 50])
            #expect(view.firstPassYield.first { $0.checklist == .preQC && $0.month == "2026-12" }?.total == 1)
            #expect(view.firstPassYield.first { $0.checklist == .production }?.percent == nil)

            #expect(view.failures == 3)
            #expect(view.failingItems.map(\.item) == ["Hi-pot test", "Leak test"])
            #expect(view.failingItems.map(\.failures) == [2, 1])
            #expect(view.failingItems.map(\.cumulativePercent) == [66.7, 100])

            #expect(view.cycleTimes.map(\.status) == [.readyForProduction, .testingComplete])
            let production = try #require(view.cycleTimes.first)
            #expect(production.stays == 2 && production.medianHours == 15 && production.p90Hours == 19)
            #expect(view.cycleTimes.last?.medianHours == 2)

            #expect(view.workInProgress.first { $0.status == .orderCreated }?.builds == 3)
            #expect(view.onTimeDelivery.map(\.shipped) == [0, 2] && view.onTimeDelivery.last?.onTime == 1)
            #expect(view.onTimeDelivery.last?.percent == 50 && view.onTimeDelivery.first?.percent == nil)
            #expect(view.overdue.map(\.orderId) == [order.uuidString.lowercased()] && view.overdueCount == 1)
            #expect(view.qcWorkload.count == 1 && view.qcWorkload.first?.preQC == 1 && view.qcWorkload.first?.finalQC == 4)
        }
    }

    /// Moves recorded before their stays were stored get them from migration 031, as the report measured them before:
    /// from each build's move before. Both report migrations revert and apply again.
    @Test(arguments: TestDatabase.all)
    func theMigrationMeasuresTheStaysOfEarlierMoves(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await Self.fixture(app)
            let before = try await ReportsController.view(months: 2, on: app.db, now: Self.now, only: .cycleTime).cycleTimes
            for migration in [StoreStays(), CoverTheResultsReports()] as [any AsyncMigration] {
                try await migration.revert(on: app.db)
                try await migration.prepare(on: app.db)
            }
            let stays = try await OrderHistoryEntry.query(on: app.db).filter(\.$buildNumber == "R1").sort(\.$at).all().map(\.staySeconds)
            #expect(stays == [nil, 36_000, 7_200])
            let after = try await ReportsController.view(months: 2, on: app.db, now: Self.now, only: .cycleTime).cycleTimes
            #expect(after.map(\.status) == before.map(\.status) && after.map(\.medianHours) == [15, 2])
            #expect(after.map(\.p90Hours) == before.map(\.p90Hours) && after.map(\.stays) == [2, 1])
            let yields = try await ReportsController.view(months: 2, on: app.db, now: Self.now, only: .firstPassYield).firstPassYield
            #expect(yields.filter { $0.checklist == .finalQC }.map(\.total) == [1, 2], "the results' index, made again, answers alike")
        }
    }

    /// A stay counts in the months it ended in: one that began before them counts, one that ended before them does not.
    @Test(arguments: TestDatabase.all)
    func aStayCountsInTheMonthItEnded(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (order, qc) = try await Self.fixture(app)
            for (from, to, at) in [
                (OrderStatus.orderCreated, OrderStatus.partsSent, Self.day("2026-10-01")),
                (.partsSent, .readyForPreQC, Self.day("2026-10-20")),
                (.readyForPreQC, .readyForProduction, Self.day("2026-11-02")),
            ] {
                try await OrderHistoryEntry(orderID: order, at: at, userID: qc, from: from, to: to, note: "", buildNumber: "R3")
                    .create(on: app.db)
            }
            let stages = try await ReportsController.view(months: 2, on: app.db, now: Self.now, only: .cycleTime).cycleTimes
            #expect(!stages.contains { $0.status == .partsSent }, "ended on 20 October, before November")
            let preQC = try #require(stages.first { $0.status == .readyForPreQC })
            #expect(preQC.stays == 1 && preQC.medianHours == 13 * 24, "20 October to 2 November, ended in November")
        }
    }

    /// Months are the plant's: a Final QC signed at 21:00 on 30 November in Toronto counts in November, though it is
    /// 1 December in UTC.
    @Test(arguments: TestDatabase.all)
    func aMonthIsTheOneOnThePlantsClock(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (order, qc) = try await Self.fixture(app)
            let template = try #require(
                try await ChecklistTemplateRecord.query(on: app.db).filter(\.$kind == .finalQC).first()?.requireID())
            let row = ChecklistResult()
            row.id = UUID()
            row.$order.id = order
            row.buildNumber = "R4"
            row.$template.id = template
            row.kind = .finalQC
            row.outcome = .fail
            row.record = "{}"
            row.sha256 = "fixture"
            row.$signer.id = qc
            row.signedAt = Self.day("2026-12-01", hour: 2)
            row.keyID = "fixture"
            row.mac = "fixture"
            try await row.create(on: app.db)
            let toronto = try #require(TimeZone(identifier: "America/Toronto"))
            let plant = try await ReportsController.view(months: 2, on: app.db, now: Self.now, zone: toronto, only: .firstPassYield)
            let utc = try await ReportsController.view(
                months: 2, on: app.db, now: Self.now, zone: TimeZone(identifier: "UTC")!, only: .firstPassYield)
            func finalQC(_ view: ReportsController.View) -> [Int] { view.firstPassYield.filter { $0.checklist == .finalQC }.map(\.total) }
            #expect(finalQC(plant) == [2, 2])
            #expect(finalQC(utc) == [1, 3])
            #expect(plant.failingItems.isEmpty && plant.cycleTimes.isEmpty, "only the report asked for is counted")
        }
    }

    /// The page and the CSVs over HTTP, for the roles that read them; the charts say their values in words.
    @Test func thePageDrawsEachReportAndOffersItsCSV() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await Self.fixture(app)
            var qc = try await WebClient.signIn(app, .qcPerson)
            let page = try await qc.get("/reports?months=24")
            #expect(page.status == .ok)
            let html = page.body.string
            for id in ReportsController.Report.allCases.map(\.rawValue) { #expect(html.contains(#"id="\#(id)""#), "\(id)") }
            #expect(
                html.contains(#"<svg class="chart" role="img""#)
                    && html.contains("<title>First-pass yield per checklist over the months</title>"))
            #expect(html.contains("Hi-pot test") && html.contains("2 · 66.7% so far"))
            #expect(html.contains("median 15 h · p90 19 h"))
            #expect(html.contains("PO-REPORT-1"))
            #expect(SiteURLTests.broken(html, at: "reports").isEmpty, "\(SiteURLTests.broken(html, at: "reports"))")
            let csv = try #require(SiteURLTests.addresses(html).first { $0.value.hasPrefix("/reports/failing-items/csv") }?.value)
            let download = try await qc.get(csv.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(download.status == .ok)
            #expect(download.body.string == "Item,Failures,Cumulative %\r\nHi-pot test,2,66.7\r\nLeak test,1,100\r\n")
            #expect(try await qc.get("/reports?months=99").status == .unprocessableEntity)
            var assembler = try await WebClient.signIn(app, .assembler)
            #expect(try await assembler.get("/reports").status == .forbidden)

            let coordinator = try await app.signIn(.productionCoordinator)
            let api = try await app.testing().sendRequest(.GET, "api/v1/reports?months=24", headers: coordinator)
            #expect(api.status == .ok)
            #expect(try api.json["failingItems"]?.array.first?["item"] == "Hi-pot test")
            let missing = try await app.testing().sendRequest(.GET, "api/v1/reports/nothing/csv", headers: coordinator)
            #expect(missing.status == .notFound)
        }
    }
}
