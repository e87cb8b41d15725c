import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct ServiceOrdersTests {
    @Test(arguments: TestDatabase.all)
    func requestsAreOwnedAndDecidedOnce(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let service = try await app.signIn(.serviceDepartment)
            let otherService = try await app.signIn(.serviceDepartment)
            let procurement = try await app.signIn(.procurementSpecialist)
            let item = { (id: String, quantity: Int) in
                JSONValue.object([JSONMember("id", .string(id)), JSONMember("quantity", .number(Double(quantity)))])
            }

            let invalid = try await app.testing().sendRequest(
                .POST, "api/v1/service-orders", headers: service,
                body: body(["items": .array([item("T2-CTRL-EDR1", 1), item("NOPE", 1), item("T2-CTRL-EDR1", 0)])]))
            #expect(invalid.status == .unprocessableEntity)
            #expect(
                Set(try invalid.json["error"]?["details"]?.array.compactMap { $0["field"]?.string } ?? []) == [
                    "items[1].id", "items[2].id", "items[2].quantity",
                ])

            let coordinator = try await app.signIn(.productionCoordinator)
            let created = try await app.testing().sendRequest(
                .POST, "api/v1/service-orders", headers: service,
                body: body(["items": .array([item("T2-CTRL-EDR1", 2)]), "note": "Ward 3"]))
            #expect(created.status == .created)
            #expect(try created.json["status"] == "PENDING")
            #expect(try created.json["items"]?.array.first?["name"] == "Control box, 1 E-Drain basin")
            let id = try #require(try created.json["id"]?.string)

            // Procurement and the coordinators hear of it (issue 18); the one who asked does not.
            func titles(_ headers: HTTPHeaders) async throws -> [String] {
                try await app.testing().sendRequest(.GET, "api/v1/notifications", headers: headers).json["items"]?.array
                    .compactMap { $0["title"]?.string } ?? []
            }
            let heard = try await titles(procurement)
            #expect(
                heard.count == 1 && heard[0].hasPrefix("Service request from ") && heard[0].hasSuffix(": 2 parts of 1 kind"), "\(heard)")
            #expect(try await titles(coordinator) == heard)
            #expect(try await titles(service).isEmpty)

            #expect(try await app.testing().sendRequest(.GET, "api/v1/service-orders", headers: service).json.array.count == 1)
            #expect(try await app.testing().sendRequest(.GET, "api/v1/service-orders", headers: otherService).json.array.isEmpty)
            #expect(
                try await app.testing().sendRequest(.GET, "api/v1/service-orders?status=PENDING", headers: procurement).json.array.count
                    == 1)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/service-orders/\(id)/approve", headers: service).status == .forbidden)

            let noReason = try await app.testing().sendRequest(
                .POST, "api/v1/service-orders/\(id)/reject", headers: procurement, body: body(["reason": " "]))
            #expect(noReason.status == .unprocessableEntity)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/service-orders/\(id)/approve", headers: procurement).json["status"]
                    == "APPROVED")
            #expect(
                try await app.testing().sendRequest(
                    .POST, "api/v1/service-orders/\(id)/reject", headers: procurement, body: body(["reason": "late"])
                ).status == .conflict)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/service-orders/\(id)/fulfil", headers: procurement).json["status"]
                    == "FULFILLED")
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/service-orders/\(id)/fulfil", headers: procurement).status == .conflict)
        }
    }
}
