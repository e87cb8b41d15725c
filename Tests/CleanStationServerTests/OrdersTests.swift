import CleanStationCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct OrdersTests {
    @Test(arguments: TestDatabase.all)
    func createListShowAndTheBOM(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let created = try await app.testing().sendRequest(
                .POST, "api/v1/orders", headers: coordinator, body: body(orderBody(po: "po-2026-0042")))
            #expect(created.status == .created, "\(created.body.string)")
            let order = try created.json
            #expect(order["poNumber"] == "PO-2026-0042")
            #expect(order["status"] == "ORDER_CREATED")
            #expect(order["builds"]?.array.count == 2)
            #expect(order["history"]?.array.first?["to"] == "ORDER_CREATED")
            let id = try #require(order["id"]?.string)

            let list = try await app.testing().sendRequest(
                .GET, "api/v1/orders?q=b1002&status=ORDER_CREATED&limit=10", headers: coordinator)
            #expect(try list.json["total"] == 1)
            #expect(try list.json["items"]?.array.first?["buildNumbers"] == ["B1001", "B1002"])
            let none = try await app.testing().sendRequest(.GET, "api/v1/orders?q=nothing-like-it", headers: coordinator)
            #expect(try none.json["total"] == 0)
            let wantDate = try #require(order["wantDate"]?.string)
            for (range, total) in [("wantFrom=\(wantDate)&wantTo=\(wantDate)", 1), ("wantFrom=2999-01-01", 0), ("wantTo=2000-01-01", 0)] {
                let dated = try await app.testing().sendRequest(.GET, "api/v1/orders?\(range)", headers: coordinator)
                #expect(try dated.json["total"] == .number(Double(total)), "\(range)")
            }
            let bad = try await app.testing().sendRequest(
                .GET, "api/v1/orders?limit=500&sort=colour&status=DONE&wantFrom=tomorrow", headers: coordinator)
            #expect(bad.status == .unprocessableEntity)
            #expect(
                Set(try bad.json["error"]?["details"]?.array.compactMap { $0["field"]?.string } ?? []) == [
                    "limit", "sort", "status", "wantFrom",
                ])

            let bom = try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)/builds/b1001/bom", headers: coordinator)
            #expect(bom.status == .ok)
            let document = try JSONDecoder().decode(BOMDocument.self, from: Data(bom.body.string.utf8))
            #expect(document.buildNumber == "B1001")
            #expect(document.items.first?.id == "T2-BODY-48-60-HA")
            let csv = try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)/builds/B1001/bom?format=csv", headers: coordinator)
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.body.string.hasPrefix("level,itemNumber,id,name,quantity,kind,options\r\n1,709.82,T2-BODY-48-60-HA,"))
            // The CSV carries what the JSON has: item numbers, the custom part's series, the pegboard's colour.
            #expect(csv.body.string.contains("\r\n1,720.215.001,T2-ADW-BASIN-26X20X9,"))
            #expect(csv.body.string.contains("\r\n1,708.77,T-OA-PB-COLOR,") && csv.body.string.contains(",color=GREEN\r\n"))
            let missing = try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)/builds/B9999/bom", headers: coordinator)
            #expect(missing.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func invalidOrdersNameEveryFieldAndStoreNothing(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            var broken = orderBody().setting([.key("wantDate")], to: "2020-01-01").setting([.key("customerName")], to: "X")
            broken = broken.setting([.key("builds"), .index(0), .key("basins"), .index(1), .key("size")], to: "40X20X8")
            broken = broken.setting([.key("builds"), .index(1), .key("buildNumber")], to: "B1001")
            let response = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(broken))
            #expect(response.status == .unprocessableEntity)
            #expect(response.errorCode == "VALIDATION_ERROR")
            let fields = try response.json["error"]?["details"]?.array.compactMap { $0["field"]?.string } ?? []
            #expect(Set(fields) == ["wantDate", "customerName", "builds[0].basins[1].size", "builds[1].buildNumber"])
            let list = try await app.testing().sendRequest(.GET, "api/v1/orders", headers: coordinator)
            #expect(try list.json["total"] == 0)

            let family = try await app.testing().sendRequest(
                .POST, "api/v1/orders", headers: coordinator, body: body(orderBody().setting([.key("sinkFamily")], to: "INSTROSINK")))
            #expect(family.status == .unprocessableEntity)
            #expect(try family.json["error"]?["details"]?.array.first?["message"]?.string?.contains("not yet supported") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func takenNumbersAreConflictsEvenWhenRacing(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let first = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            #expect(first.status == .created)
            let samePO = try await app.testing().sendRequest(
                .POST, "api/v1/orders", headers: coordinator, body: body(orderBody(builds: ["B2001"])))
            #expect(samePO.status == .conflict)
            #expect(samePO.errorCode == "RESOURCE_CONFLICT")
            let sameBuild = try await app.testing().sendRequest(
                .POST, "api/v1/orders", headers: coordinator, body: body(orderBody(po: "PO-OTHER", builds: ["B3001", "B1002"])))
            #expect(sameBuild.status == .conflict)
            #expect(try sameBuild.json["error"]?["message"]?.string?.contains("B1002") == true)

            let tester = try app.testing()
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await tester.sendRequest(
                            .POST, "api/v1/orders", headers: coordinator, body: body(orderBody(po: "PO-RACE", builds: ["R\(index)"]))
                        ).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 5)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theLifecycleToReadyForPreQC(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let procurement = try await app.signIn(.procurementSpecialist)
            let assembler = try await app.signIn(.assembler)
            let id = try await app.createOrder(headers: coordinator)
            func move(_ headers: HTTPHeaders, _ status: String, note: String? = nil) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(id)/status", headers: headers,
                    body: body(["status": .string(status), "note": note.map { .string($0) } ?? .null]))
            }
            let early = try await move(procurement, "PARTS_SENT")
            #expect(early.status == .conflict)
            #expect(early.errorCode == "INVALID_TRANSITION")
            #expect(try early.json["error"]?["message"]?.string?.contains("BOM must be approved") == true)

            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/B1001/bom/approve", headers: assembler).status
                    == .forbidden)
            let edited = try await app.testing().sendRequest(
                .PATCH, "api/v1/orders/\(id)", headers: coordinator, body: body(["customerName": "St. Mary's Hospital"]))
            #expect(try edited.json["customerName"] == "St. Mary's Hospital")
            for build in ["B1001", "B1002"] {
                let approved = try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(id)/builds/\(build)/bom/approve", headers: procurement)
                #expect(approved.status == .ok)
            }
            #expect(try await move(assembler, "PARTS_SENT").status == .forbidden)
            #expect(try await move(procurement, "READY_FOR_SHIP").status == .conflict)
            #expect(try await move(procurement, "PARTS_SENT").status == .ok)
            let frozen = try await app.testing().sendRequest(
                .PATCH, "api/v1/orders/\(id)", headers: coordinator, body: body(["customerName": "Another hospital"]))
            #expect(frozen.status == .conflict, "only the header changes after ORDER_CREATED")
            let header = try await app.testing().sendRequest(
                .PATCH, "api/v1/orders/\(id)", headers: coordinator, body: body(["notes": "late"]))
            #expect(try header.json["notes"] == "late")
            let ready = try await move(procurement, "READY_FOR_PRE_QC")
            #expect(ready.status == .ok)
            #expect(
                try ready.json["history"]?.array.map { $0["to"]?.string ?? "" } == [
                    "ORDER_CREATED", "PARTS_SENT", "PARTS_SENT", "READY_FOR_PRE_QC", "READY_FOR_PRE_QC",
                ],
                "each build moves on its own")
            // Each move records how long its build stayed in the status it left: the cycle-time report's stays.
            let moves = try await OrderHistoryEntry.query(on: app.db).all().filter { $0.buildNumber != nil }
            #expect(moves.filter { $0.toStatus == .partsSent }.map(\.staySeconds) == [nil, nil], "a build's first move ends no stay")
            for build in ["B1001", "B1002"] {
                let sent = try #require(moves.first { $0.buildNumber == build && $0.toStatus == .partsSent })
                let ready = try #require(moves.first { $0.buildNumber == build && $0.toStatus == .readyForPreQC })
                let stay = try #require(ready.staySeconds)
                #expect(abs(stay - ready.at.timeIntervalSince(sent.at)) < 0.001 && stay > 0, "\(build): \(stay)")
            }
            let cycle = try await ReportsController.view(months: 1, on: app.db, now: Date(), only: .cycleTime).cycleTimes
            #expect(cycle.map(\.status) == [.partsSent] && cycle.first?.stays == 2)
            let qc = try await app.signIn(.qcPerson)
            let noPreQC = try await move(qc, "READY_FOR_PRODUCTION")
            #expect(noPreQC.status == .conflict)
            #expect(try noPreQC.json["error"]?["message"]?.string?.contains("Pre-QC") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func twoIdenticalTransitionsOneWins(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let procurement = try await app.signIn(.procurementSpecialist)
            let id = try await app.createOrder(headers: coordinator)
            for build in ["B1001", "B1002"] {
                _ = try await app.testing().sendRequest(.POST, "api/v1/orders/\(id)/builds/\(build)/bom/approve", headers: procurement)
            }
            let tester = try app.testing()
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await tester.sendRequest(
                            .POST, "api/v1/orders/\(id)/status", headers: procurement, body: body(["status": "PARTS_SENT"])
                        ).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 409, 409, 409])
            let order = try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)", headers: procurement)
            #expect(try order.json["history"]?.array.count == 3, "created, then one move of each build")
        }
    }

    @Test func cancellingNeedsAnAdminAndAReason() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let admin = try await app.signIn(.admin)
            let id = try await app.createOrder(headers: coordinator)
            let byCoordinator = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(id)/status", headers: coordinator, body: body(["status": "CANCELLED", "note": "no"]))
            #expect(byCoordinator.status == .forbidden)
            let noReason = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(id)/status", headers: admin, body: body(["status": "CANCELLED"]))
            #expect(noReason.status == .unprocessableEntity)
            let cancelled = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(id)/status", headers: admin, body: body(["status": "CANCELLED", "note": "PO withdrawn"]))
            #expect(try cancelled.json["status"] == "CANCELLED")
        }
    }

    @Test func previewReturnsTheBOMAndStoresNothing() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let configuration = orderBody()["builds"]!.array[0].setting([.key("language")], to: "FR")
            let preview = try await app.testing().sendRequest(.POST, "api/v1/bom/preview", headers: coordinator, body: body(configuration))
            #expect(preview.status == .ok)
            #expect(try preview.json["items"]?.array.contains { $0["id"] == "T2-STD-MANUAL-FR-KIT" } == true)
            let invalid = try await app.testing().sendRequest(
                .POST, "api/v1/bom/preview", headers: coordinator, body: body(configuration.setting([.key("width")], to: 0)))
            #expect(try invalid.json["error"]?["details"]?.array.first?["field"] == "width")
        }
    }
}

@Suite struct OrderListIndexTests {
    @Test(arguments: TestDatabase.all)
    func theListReadsTheBuildNumbersKeptOnTheOrderAndCountsOnlyWhenItMust(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            for number in 1...3 {
                let created = try await app.testing().sendRequest(
                    .POST, "api/v1/orders", headers: coordinator,
                    body: body(orderBody(po: "PO-LIST-\(number)", builds: ["L\(number)-B", "L\(number)-A"])))
                #expect(created.status == .created)
            }
            let sorted = try await app.testing().sendRequest(
                .GET, "api/v1/orders?sort=poNumber&order=asc&limit=2&page=2", headers: coordinator)
            #expect(try sorted.json["total"] == 3, "a later page counts")
            #expect(try sorted.json["totalExact"] == true)
            #expect(try sorted.json["items"]?.array.first?["buildNumbers"] == ["L3-B", "L3-A"], "in the order given, not sorted")
            let short = try await app.testing().sendRequest(.GET, "api/v1/orders?q=po-list-2", headers: coordinator)
            #expect(try short.json["total"] == 1)

            // An edit of the builds rewrites them.
            let id = try #require(try short.json["items"]?.array.first?["id"]?.string)
            // The list reads its rows with SQLKit, the detail with Fluent: the same header.
            let detail = try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)", headers: coordinator).json
            let listed = try #require(try short.json["items"]?.array.first)
            for key in [
                "id", "poNumber", "customerName", "projectName", "salesPerson", "wantDate", "language", "notes", "sinkFamily", "status",
                "createdAt", "updatedAt",
            ] {
                #expect(listed[key] != nil && listed[key] == detail[key], "\(key)")
            }
            let edited = try await app.testing().sendRequest(
                .PATCH, "api/v1/orders/\(id)", headers: coordinator,
                body: body(["builds": orderBody(builds: ["L2-NEW"])["builds"]!]))
            #expect(edited.status == .ok, "\(edited.body.string)")
            let after = try await app.testing().sendRequest(.GET, "api/v1/orders?q=l2-new", headers: coordinator)
            #expect(try after.json["items"]?.array.first?["buildNumbers"] == ["L2-NEW"])

            // The migration fills orders made before it, in position order.
            try await AddOrderBuildNumbers().revert(on: app.db)
            try await AddOrderBuildNumbers().prepare(on: app.db)
            let filled = try await Order.query(on: app.db).sort(\.$poNumber).all().map(\.buildNumbers)
            #expect(filled == ["L1-B,L1-A", "L2-NEW", "L3-B,L3-A"])
        }
    }

    /// Counting stops past the cap: a search that matches a fifth of the
    /// orders must not count them all for every page.
    @Test(arguments: TestDatabase.all)
    func theCountStopsAtItsCapAndSaysSo(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            for number in 1...3 {
                let created = try await app.testing().sendRequest(
                    .POST, "api/v1/orders", headers: coordinator, body: body(orderBody(po: "PO-CAP-\(number)", builds: ["C\(number)"])))
                #expect(created.status == .created)
            }
            let sql = app.db as! any SQLDatabase
            let created = SQLBinaryExpression(left: SQLColumn("status"), op: SQLBinaryOperator.equal, right: SQLBind("ORDER_CREATED"))
            let shipped = SQLBinaryExpression(left: SQLColumn("status"), op: SQLBinaryOperator.equal, right: SQLBind("SHIPPED"))
            let counts = [
                try await sql.cappedCount(of: "orders", where: [], from: 0, ahead: 2),
                try await sql.cappedCount(of: "orders", where: [], from: 1, ahead: 2),
                try await sql.cappedCount(of: "orders", where: [created], from: 0, ahead: 10),
                try await sql.cappedCount(of: "orders", where: [created, shipped], from: 0, ahead: 10),
            ]
            #expect(counts.map(\.count) == [2, 3, 3, 0])
            #expect(counts.map(\.exact) == [false, true, true, true])
        }
    }
}
