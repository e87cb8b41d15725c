import CleanStationCore
import Foundation
import SQLKit
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
            // Production sees every request (PRD §3.6), and decides none.
            #expect(try await app.testing().sendRequest(.GET, "api/v1/service-orders", headers: coordinator).json.array.count == 1)
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/service-orders/\(id)/approve", headers: coordinator).status
                    == .forbidden)
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

    /// Procurement may approve part of what was asked (issue 18; PRD §3.6): each line at most its quantity, a line
    /// not named in full, and the request keeps what was asked beside what was approved.
    @Test(arguments: TestDatabase.all)
    func procurementApprovesPartOfTheQuantities(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let service = try await app.signIn(.serviceDepartment)
            let procurement = try await app.signIn(.procurementSpecialist)
            let line = { (id: String, quantity: Int) in
                JSONValue.object([JSONMember("id", .string(id)), JSONMember("quantity", .number(Double(quantity)))])
            }
            let created = try await app.testing().sendRequest(
                .POST, "api/v1/service-orders", headers: service,
                body: body(["items": .array([line("T2-CTRL-EDR1", 3), line("T-OA-BINRAIL-24-KIT", 2)])]))
            let id = try #require(try created.json["id"]?.string)
            #expect(try created.json["items"]?.array.map { $0["approved"] } == [.null, .null], "nothing approved yet")
            let approve = { (items: [JSONValue], verdict: String) in
                try await app.testing().sendRequest(
                    .POST, "api/v1/service-orders/\(id)/\(verdict)", headers: procurement,
                    body: body(["items": .array(items), "reason": "stock"]))
            }
            func fields(_ response: TestingHTTPResponse) throws -> [String] {
                try response.json["error"]?["details"]?.array.compactMap { $0["field"]?.string } ?? []
            }
            let tooMany = try await approve([line("T2-CTRL-EDR1", 4), line("NOPE", 1)], "approve")
            #expect(try tooMany.status == .unprocessableEntity && fields(tooMany) == ["items[0].quantity", "items[1].id"])
            let none = try await approve([line("T2-CTRL-EDR1", 0), line("T-OA-BINRAIL-24-KIT", 0)], "approve")
            #expect(try none.status == .unprocessableEntity && fields(none) == ["items"], "approving nothing is a rejection")
            let rejected = try await approve([line("T2-CTRL-EDR1", 1)], "reject")
            #expect(try rejected.status == .unprocessableEntity && fields(rejected) == ["items"], "only an approval gives quantities")
            #expect(try await ServiceOrder.find(UUID(uuidString: id), on: app.db)?.status == .pending, "nothing half-saved")

            let approved = try await approve([line("T2-CTRL-EDR1", 1)], "approve")
            #expect(try approved.status == .ok && approved.json["status"] == "APPROVED")
            #expect(try approved.json["items"]?.array.map { [$0["quantity"], $0["approved"]] } == [[3, 1], [2, 2]])
            let sql = try #require(app.db as? any SQLDatabase)
            let entry = try #require(
                try await sql.raw("SELECT new_value FROM audit_log WHERE resource_type = 'service_order' AND action = 'UPDATE'").first())
            let audited = try JSONParser.parse(try entry.decode(column: "new_value", as: String.self))
            #expect(audited["items"]?.array.map { $0["approved"] } == [1, 2], "the audit entry keeps what was approved")
            #expect(try await approve([line("T2-CTRL-EDR1", 2)], "approve").status == .conflict, "decided once")
            let heard = try await app.testing().sendRequest(.GET, "api/v1/notifications", headers: service).json["items"]?.array
                .compactMap { $0["title"]?.string }
            #expect(heard == ["Your service request: 3 of 5 parts approved"], "the one who asked hears how much")
            let fulfilled = try await app.testing().sendRequest(.POST, "api/v1/service-orders/\(id)/fulfil", headers: procurement)
            #expect(try fulfilled.json["items"]?.array.map { $0["approved"] } == [1, 2], "fulfilling keeps what was approved")
        }
    }
}
