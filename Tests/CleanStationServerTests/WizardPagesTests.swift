import CleanStationCore
import Fluent
import Foundation
import NIOHTTP1
import Testing
import VaporTesting

@testable import CleanStationServer

/// The order wizard: each step checked, the order created, and edited until its parts are sent.
@Suite struct WizardPagesTests {
    @Test(arguments: TestDatabase.all) func anOrderIsEditedInTheWizardUntilItsPartsAreSent(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let orderID = try await app.createOrder(headers: try await app.signIn(.productionCoordinator))
            var client = try await WebClient.signIn(app, .productionCoordinator)
            #expect(try await client.get("/orders/\(orderID)").body.string.contains("/orders/\(orderID)/edit"))
            let start = try await client.get("/orders/\(orderID)/edit").body.string
            #expect(start.contains(#"value="PO-2026-0042""#) && !start.contains(#"name="poFile""#))
            var draft = try #require(start.firstMatch(of: /name="draft" value="([^"]+)"/)).output.1.description
            func step(_ number: Int, _ fields: [(String, String)], go: String = "next") async throws -> TestingHTTPResponse {
                let response = try await client.post("/orders/new", [("draft", draft), ("step", String(number)), ("go", go)] + fields)
                if let match = response.body.string.firstMatch(of: /name="draft" value="([^"]+)"/) { draft = String(match.output.1) }
                return response
            }
            let two = try await step(1, [("customerName", "St. Mary's Hospital")])
            #expect(two.body.string.contains(#"value="B1002""#) && !two.body.string.contains(#"name="sinkFamily""#))
            let configuration = try await step(2, [("quantity", "1"), ("builds[0].buildNumber", "B1001")])
            #expect(configuration.body.string.contains(#"name="builds[0].width" value="30""#), "the stored configuration is in the form")
            _ = try await step(3, [])
            let back = try await step(4, [], go: "back")
            #expect(back.body.string.contains("<h1>Configuration</h1>"))
            for number in 3...4 { _ = try await step(number, []) }
            let saved = try await step(5, [], go: "create")
            #expect(saved.status == .seeOther, "\(saved.body.string.matches(of: /field-error[^>]*>([^<]+)/).map(\.output.1))")
            let order = try await client.get("/orders/\(orderID)").body.string
            #expect(order.contains("Order PO-2026-0042 saved") && order.contains("St. Mary&#39;s Hospital"))
            #expect(order.contains("Build B1001") && !order.contains("Build B1002"))

            var procurement = try await WebClient.signIn(app, .procurementSpecialist)
            _ = try await procurement.post("/orders/\(orderID)/builds/B1001/approve", [])
            _ = try await procurement.post("/orders/\(orderID)/status", [("status", "PARTS_SENT")])
            #expect(try await client.get("/orders/\(orderID)/edit").status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all) func theWizardChecksEachStepAndCreatesTheOrder(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var client = try await WebClient.signIn(app, .productionCoordinator)
            let start = try await client.get("/orders/new").body.string
            var draft = try #require(start.firstMatch(of: /name="draft" value="([^"]+)"/)).output.1.description
            func step(_ number: Int, _ fields: [(String, String)], go: String = "next") async throws -> TestingHTTPResponse {
                let response = try await client.post(
                    "/orders/new", [("draft", draft), ("step", String(number)), ("go", go)] + fields)
                if let match = response.body.string.firstMatch(of: /name="draft" value="([^"]+)"/) { draft = String(match.output.1) }
                return response
            }
            let bad = try await step(
                1, [("poNumber", "P"), ("customerName", "St. Mary"), ("salesPerson", "Dana"), ("wantDate", "2020-01-01")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains(#"id="f-poNumber-error""#))
            #expect(bad.body.string.contains(#"<p class="field-error" id="f-wantDate-error">"#))
            #expect(bad.body.string.contains(#"value="St. Mary""#), "what was typed stays")
            let one = try await step(1, [("poNumber", "WIZ-0001"), ("wantDate", "2099-01-15")])
            #expect(one.status == .ok)
            #expect(one.body.string.contains("<h1>Family and builds</h1>"))
            let two = try await step(2, [("sinkFamily", "MDRD"), ("quantity", "2"), ("builds[0].buildNumber", "WIZ-1")])
            #expect(two.status == .unprocessableEntity, "the second build needs its number")
            #expect(two.body.string.contains(#"name="builds[1].buildNumber""#))
            _ = try await step(
                2, [("sinkFamily", "MDRD"), ("quantity", "2"), ("builds[0].buildNumber", "WIZ-1"), ("builds[1].buildNumber", "WIZ-2")])
            let sink: [(String, String)] = [
                ("builds[0].model", "T2-B2"), ("builds[0].width", "30"), ("builds[0].length", "60"),
                ("builds[0].legs.type", "FIXED_HEIGHT"),
                ("builds[0].legs.model", "LC1"), ("builds[0].feet", "SEISMIC_FEET"), ("builds[0].workflowDirection", "LEFT_TO_RIGHT"),
                ("builds[0].basins[0].type", "E_SINK_DI"), ("builds[0].basins[0].size", "24X20X8"), ("builds[0].basins[1].type", "E_DRAIN"),
                ("builds[0].basins[1].size", "CUSTOM"), ("builds[0].basins[1].size.width", "20"), ("builds[0].basins[1].size.length", "20"),
                ("builds[0].basins[1].size.depth", "8"), ("builds[0].faucets[0].type", ""), ("builds[0].faucets[2].type", "PRE_RINSE"),
                ("builds[0].faucets[2].quantity", "1"), ("builds[0].faucets[2].placement", "BETWEEN_2_3"),
            ]
            let three = try await step(3, sink)
            #expect(three.status == .unprocessableEntity)
            let html = three.body.string
            #expect(html.contains(#"id="f-builds-0--legs-model-error""#), "LC1 with fixed legs is refused at the leg model")
            #expect(html.contains(#"id="f-builds-0--faucets-0--placement-error""#), "the packed faucet row carries its error")
            let copied = try await step(
                3,
                sink.map { $0.0 == "builds[0].legs.model" ? ($0.0, "DL27") : $0.0.hasSuffix("placement") ? ($0.0, "CENTER") : $0 }
                    + [("copy[1]", "0")], go: "copy:1")
            #expect(copied.body.string.contains(#"id="f-builds-1--length" name="builds[1].length" value="60""#))
            let four = try await step(
                3,
                sink.map { $0.0 == "builds[0].legs.model" ? ($0.0, "DL27") : $0.0.hasSuffix("placement") ? ($0.0, "CENTER") : $0 }
                    + sink.filter { !$0.0.contains("faucets") }.map {
                        ($0.0.replacingOccurrences(of: "builds[0]", with: "builds[1]"), $0.1)
                    }
                    .map { $0.0 == "builds[1].legs.model" ? ($0.0, "DL14") : $0 })
            #expect(four.status == .ok, "\(four.body.string.matches(of: /field-error[^>]*>([^<]+)/).map(\.output.1))")
            let id = try #require(Accessories.all.first?.id)
            let accessoryError = try await step(4, [("builds[0].accessories.\(id)", "-2")])
            #expect(accessoryError.status == .unprocessableEntity)
            #expect(
                accessoryError.body.string.contains(
                    #"id="f-builds-0--accessories-\#(id.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined())-error""#))
            let review = try await step(4, [("builds[0].accessories.\(id)", "2")])
            #expect(review.body.string.contains("<h1>Review</h1>"))
            #expect(review.body.string.matches(of: /class="table tree"/).count == 2)
            let back = try await step(5, [], go: "back")
            #expect(back.body.string.contains(#"name="builds[0].accessories.\#(id)" value="2""#), "the draft survives going back")
            let tampered = try await client.post("/orders/new", [("draft", "x" + draft), ("step", "5"), ("go", "create")])
            #expect(tampered.status == .seeOther && tampered.headers.first(name: .location) == "/orders/new")
            let created = try await step(5, [], go: "create")
            #expect(created.status == .seeOther)
            let location = try #require(created.headers.first(name: .location))
            let order = try await client.get(location).body.string
            #expect(order.contains("Order WIZ-0001 created with 2 build(s)."))
            #expect(order.contains("Build WIZ-1") && order.contains("Build WIZ-2"))
            let again = try await step(5, [], go: "create")
            #expect(again.status == .unprocessableEntity, "the PO number is taken now")
            #expect(again.body.string.contains("WIZ-0001 is already the PO number of another order"))
            #expect(again.body.string.contains("WIZ-2 is already a build of another order"))
        }
    }
}
