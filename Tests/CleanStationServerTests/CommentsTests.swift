import CleanStationCore
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite(.serialized) struct CommentsTests {
    @Test(arguments: TestDatabase.all) func commentsAreListedOldestFirstWithTheirAuthorAndAudited(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try await app.createOrder(headers: coordinator)
            let qc = try await app.signIn(.qcPerson)
            let first = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(orderID)/comments", headers: coordinator,
                body: body(["text": "  Customer asked for a 2-week earlier date. "]))
            #expect(first.status == .created, "\(first.body.string)")
            _ = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(orderID)/comments", headers: qc, body: body(["text": "Drawing rev B is on the order."]))
            let list = try await app.testing().sendRequest(.GET, "api/v1/orders/\(orderID)/comments", headers: qc).json.array
            #expect(list.map { $0["text"]?.string } == ["Customer asked for a 2-week earlier date.", "Drawing rev B is on the order."])
            #expect(list.map { $0["author"]?.string } == ["Test PRODUCTION_COORDINATOR", "Test QC_PERSON"])
            let admin = try await app.signIn(.admin)
            let audit = try await app.testing().sendRequest(.GET, "api/v1/audit?resourceType=order_comment", headers: admin).json
            #expect(audit["total"] == 2)
        }
    }

    @Test func anEmptyOrLongCommentIsRefusedAndTheServiceDepartmentMayNotComment() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try await app.createOrder(headers: coordinator)
            for text in ["   ", String(repeating: "x", count: 2_001)] {
                let refused = try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(orderID)/comments", headers: coordinator, body: body(["text": .string(text)]))
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.json["error"]?["details"]?.array.first?["field"] == "text")
            }
            let service = try await app.signIn(.serviceDepartment)
            let hidden = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(orderID)/comments", headers: service, body: body(["text": "hello"]))
            #expect(hidden.status == .notFound, "order ids do not leak to the service department")
            let missing = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(UUID())/comments", headers: coordinator, body: body(["text": "hello"]))
            #expect(missing.status == .notFound)
            #expect(try await OrderComment.query(on: app.db).count() == 0, "nothing half-saved")
        }
    }
}
