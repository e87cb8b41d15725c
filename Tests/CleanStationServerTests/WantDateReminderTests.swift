import CleanStationCore
import CleanStationTestSupport
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// Want dates (issue 16): orders at risk and overdue are marked in the lists,
/// and the coordinators get one reminder a day, however many instances ask.
@Suite struct WantDateReminderTests {
    @Test(arguments: TestDatabase.all)
    func oneReminderADayEvenWhenInstancesRace(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            _ = try await app.createOrder(headers: coordinator, po: "PO-DUE-1", builds: ["B3301"])
            let soon = OrderRequest.today(Date().addingTimeInterval(2 * 86_400))
            var order = orderBody(po: "PO-DUE-2", builds: ["B3302"])
            order = .object(order.members.map { $0.key == "wantDate" ? JSONMember("wantDate", .string(soon)) : $0 })
            #expect(try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(order)).status == .created)

            // Thirty days on, the first order is due soon and the second overdue.
            let later = OrderRequest.today(Date().addingTimeInterval(29 * 86_400))
            let sent = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 { group.addTask { try await DueDates.remind(on: app.db, today: later, mail: nil) } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(sent.filter { $0 }.count == 1, "one reminder, whoever asks")
            let notes = try await app.testing().sendRequest(.GET, "api/v1/notifications", headers: coordinator).json
            let titles = (notes["items"]?.array ?? []).compactMap { $0["title"]?.string }.filter { $0.hasPrefix("Want dates") }
            #expect(titles == ["Want dates: 1 order(s) overdue, 1 due within 3 days"])
            #expect(try await DueDates.remind(on: app.db, today: later, mail: nil) == false, "not twice the same day")
        }
    }

    @Test func theListsMarkOrdersDueSoon() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            var order = orderBody(po: "PO-DUE-3", builds: ["B3401"])
            let soon = OrderRequest.today(Date().addingTimeInterval(86_400))
            order = .object(order.members.map { $0.key == "wantDate" ? JSONMember("wantDate", .string(soon)) : $0 })
            #expect(try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(order)).status == .created)
            _ = try await app.createOrder(headers: coordinator, po: "PO-DUE-4", builds: ["B3402"])
            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let page = try await buyer.get("/procurement").body.string
            #expect(page.components(separatedBy: "Due soon").count - 1 == 1, "only the order due tomorrow")
        }
    }
}
