import CleanStationCore
import CleanStationTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// Where-used (issue 18): the builds whose BOM holds a part, from the index written with each BOM.
@Suite struct TraceabilityTests {
    static let part = "T-OA-BINRAIL-24-KIT"

    @Test(arguments: TestDatabase.all)
    func aRecallListIsEveryBuildThatHoldsThePartAsItsBOMSaysNow(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let qc = try await app.signIn(.qcPerson)
            let first = try await app.createOrder(headers: coordinator, po: "PO-TRACE-1", builds: ["B5001", "B5002"])
            // A customer's name as someone might type it to run a formula in the spreadsheet that opens the recall list.
            guard case .object(let members) = orderBody(po: "PO-TRACE-2", builds: ["B5101"]) else { return }
            let formula = JSONValue.object(members.map { $0.key == "customerName" ? JSONMember("customerName", "=HYPERLINK(1)") : $0 })
            #expect(
                try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(formula)).status == .created)
            let ask = { (query: String) in try await app.testing().sendRequest(.GET, "api/v1/where-used?\(query)", headers: qc) }

            let found = try await ask("part=\(Self.part.lowercased())").json
            #expect(found["part"] == .string(Self.part), "typed in lower case, as on a label")
            #expect(found["builds"]?.array.map { $0["buildNumber"] } == ["B5001", "B5002", "B5101"])
            #expect(found["builds"]?.array.map { $0["quantity"] } == [2, 2, 2], "the BOM's quantity")
            #expect(found["builds"]?.array.first?["shippedOn"] == .null && found["truncated"] == false)
            #expect(try await ask("part=NO-SUCH-PART").json["builds"] == [])

            // The BOM changes with the configuration, and the index with it, in its transaction.
            let sink = try #require(orderBody(po: "PO-TRACE-1", builds: ["B5001", "B5002"])["builds"]?.array.last)
            let without = JSONValue.object(sink.members.map { $0.key == "accessories" ? JSONMember("accessories", []) : $0 })
            let changed = try await app.testing().sendRequest(
                .PUT, "api/v1/orders/\(first)/builds/B5002/configuration", headers: coordinator, body: body(without))
            #expect(changed.status == .ok, "\(changed.body.string)")
            #expect(try await ask("part=\(Self.part)").json["builds"]?.array.map { $0["buildNumber"] } == ["B5001", "B5101"])

            // With ship dates, only the builds shipped in them (a shipment written as the shipping route writes one).
            let shipment = Shipment()
            shipment.id = UUID()
            shipment.$order.id = try #require(UUID(uuidString: first))
            (shipment.shippedOn, shipment.carrier, shipment.trackingNumber) = ("2026-11-30", "DHL Freight", "T-1")
            shipment.$createdBy.id = try #require(try await User.query(on: app.db).filter(\.$role == .productionCoordinator).first()?.id)
            shipment.createdAt = Date()
            try await shipment.create(on: app.db)
            let shipped = ShipmentBuild()
            (shipped.$shipment.id, shipped.buildNumber) = (try shipment.requireID(), "B5001")
            try await shipped.create(on: app.db)
            let november = try await ask("part=\(Self.part)&shippedFrom=2026-11-01&shippedTo=2026-11-30").json
            #expect(november["builds"]?.array.map { [$0["buildNumber"], $0["shippedOn"]] } == [["B5001", "2026-11-30"]])
            #expect(try await ask("part=\(Self.part)&shippedFrom=2026-12-01").json["builds"] == [])

            // Every bad value at its parameter.
            let bad = try await ask("shippedFrom=30/11/2026&shippedTo=2026-11-01")
            #expect(bad.status == .unprocessableEntity)
            #expect(try bad.json["error"]?["details"]?.array.compactMap { $0["field"]?.string } == ["part", "shippedFrom"])
            let backwards = try await ask("part=\(Self.part)&shippedFrom=2026-12-01&shippedTo=2026-11-01")
            #expect(try backwards.json["error"]?["details"]?.array.first?["field"] == "shippedTo")

            // The CSV: the same list, its export audited.
            let csv = try await app.testing().sendRequest(.GET, "api/v1/where-used/csv?part=\(Self.part)", headers: qc)
            #expect(csv.status == .ok && csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let rows = csv.body.string.split(separator: "\r\n")
            #expect(rows.first == "PO number,Customer,Build,Status,Quantity,Shipped on,Lot")
            #expect(rows.dropFirst().map { $0.split(separator: ",")[2] } == ["B5001", "B5101"])
            #expect(rows[1].hasSuffix(",2,2026-11-30,"), "no lot: the part is not lot-tracked")
            #expect(rows[2].hasPrefix("PO-TRACE-2,'=HYPERLINK(1),B5101,"), "typed text is not a formula: \(rows[2])")
            #expect(try await QRPagesTests.exports(app).contains("part \(Self.part) where-used"))
        }
    }

    /// The builds stored before the index existed are found too: the migration fills it from their BOMs.
    @Test func theMigrationIndexesTheBOMsAlreadyStored() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            _ = try await app.createOrder(headers: coordinator, po: "PO-TRACE-4", builds: ["B5301", "B5302"])
            let indexed = try await BuildPart.query(on: app.db).count()
            #expect(indexed > 20, "every part and assembly of two BOMs: \(indexed)")
            try await BuildPart.query(on: app.db).delete()
            try await CreateBuildParts.fill(on: app.db)
            #expect(try await BuildPart.query(on: app.db).count() == indexed)
            #expect(try await BuildPart.query(on: app.db).filter(\.$partID == Self.part).all().map(\.quantity) == [2, 2])
        }
    }

    @Test func thePageFindsTheBuildsAndOffersTheirCSV() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            _ = try await app.createOrder(headers: coordinator, po: "PO-TRACE-3", builds: ["B5201"])
            var qc = try await WebClient.signIn(app, .qcPerson)
            let empty = try await qc.get("/where-used")
            #expect(empty.status == .ok && empty.body.string.contains("Part or assembly number") && !empty.body.string.contains("<table"))
            let page = try await qc.get("/where-used?part=\(Self.part)")
            let html = page.body.string
            #expect(page.status == .ok && html.contains(">B5201</a>") && html.contains("PO-TRACE-3") && html.contains("Not shipped"))
            #expect(SiteURLTests.broken(html, at: "where-used").isEmpty, "\(SiteURLTests.broken(html, at: "where-used"))")
            let csv = try #require(SiteURLTests.addresses(html).first { $0.value.hasPrefix("/where-used/csv") }?.value)
            let download = try await qc.get(csv.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(download.status == .ok && download.body.string.contains("PO-TRACE-3,"))
            let held = try await qc.get("/where-used?part=NO-SUCH-PART").body.string
            #expect(held.contains("No build holds it.") && !held.contains("<tbody>"))
            let lot = try await qc.get("/where-used?part=\(Self.part)&lot=L-NONE").body.string
            #expect(lot.contains("No build took lot L-NONE of it."))
            let wrong = try await qc.get("/where-used?part=\(Self.part)&shippedFrom=tomorrow")
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("must be a date as YYYY-MM-DD"))
            #expect(wrong.body.string.contains(#"value="tomorrow""#), "what was typed stays")
            // From the catalogue item's page, for who sees orders.
            #expect(try await qc.get("/catalog/items/\(Self.part)").body.string.contains("Builds that hold it"))
            var service = try await WebClient.signIn(app, .serviceDepartment)
            #expect(try await !service.get("/catalog/items/\(Self.part)").body.string.contains("Builds that hold it"))
            #expect(try await service.get("/where-used?part=\(Self.part)").status == .forbidden)
        }
    }

    /// A part number with a `+` (the catalogue has `6.65E+11`) keeps it in the page's links: a `+` left bare in a
    /// query is read as a space.
    @Test func aPartNumberWithAPlusKeepsItInTheLinks() async throws {
        #expect(SiteURL.whereUsed.with(parameters: [("part", "6.65E+11")]) == "/where-used?part=6.65E%2B11")
        try await withTestApp(.sqlite) { app in
            var qc = try await WebClient.signIn(app, .qcPerson)
            let html = try await qc.get("/where-used?part=6.65E%2B11").body.string
            #expect(html.contains("<code>6.65E+11</code>"), "the part as asked")
        }
    }

    /// A sub-assembly counts its parents: two of a kit holding three of a part is six of the part.
    @Test func aNestedQuantityIsMultipliedByItsParents() {
        let part = BOMItem(id: "P", name: nil, kind: .part, quantity: 3, inCatalog: true)
        let kit = BOMItem(id: "K", name: nil, kind: .assembly, quantity: 2, inCatalog: true, children: [part])
        let rows = BuildPart.rows(of: BOMDocument(buildNumber: "B1", items: [kit], lines: [], warnings: []), build: UUID())
        #expect(rows.map { "\($0.partID)×\($0.quantity)" } == ["K×2", "P×6"])
    }
}
