import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct NotificationsTests {
    /// A page's sign-in counts the bell's unread notifications in its own round trip; the API's does not.
    @Test(arguments: TestDatabase.all)
    func aPagesSignInCountsTheBell(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let browser = try await WebClient.signIn(app, .procurementSpecialist)
            _ = try await app.createOrder(headers: coordinator)
            let cookie = try #require(browser.cookies[WebSession.sessionCookie])
            let sessionID = try #require(app.webSession.sessionID(from: cookie))
            let page = Request(application: app, on: app.eventLoopGroup.next())
            try await page.signIn(sessionID: sessionID, userID: nil, unread: true)
            #expect(page.storage[UnreadKey.self] == 1, "the new order's BOMs wait for procurement")
            let api = Request(application: app, on: app.eventLoopGroup.next())
            try await api.signIn(sessionID: sessionID, userID: nil)
            #expect(api.storage[UnreadKey.self] == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func whoActsNextIsNotified(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let procurement = try await app.signIn(.procurementSpecialist)
            let qc = try await app.signIn(.qcPerson)
            let id = try await app.createOrder(headers: coordinator)
            let inbox = try await app.testing().sendRequest(.GET, "api/v1/notifications", headers: procurement).json
            #expect(inbox["unread"] == 1)
            #expect(inbox["items"]?.array.first?["title"] == "PO-2026-0042: BOMs to review")
            #expect(inbox["items"]?.array.first?["orderId"]?.string == id)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/notifications", headers: qc).json["unread"] == 0)

            for build in ["B1001", "B1002"] {
                _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/\(build)/bom/approve", headers: procurement)
            }
            for status in ["PARTS_SENT", "READY_FOR_PRE_QC"] {
                _ = try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(id)/status", headers: procurement, body: body(["status": .string(status)]))
            }
            let qcInbox = try await app.testing().sendRequest(.GET, "api/v1/notifications", headers: qc).json
            #expect(qcInbox["items"]?.array.map { $0["title"]?.string ?? "" } == ["PO-2026-0042 is Ready for Pre-QC"])
            let notification = try #require(qcInbox["items"]?.array.first?["id"]?.string)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/notifications/\(notification)/read", headers: procurement).status
                    == .notFound)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/notifications/\(notification)/read", headers: qc).status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/notifications", headers: qc).json["unread"] == 0)
        }
    }
}
