import CleanStationCore
import CleanStationTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// The service department's pages (issue 20): a cart that keeps its parts, the catalogue by category.
@Suite struct ServicePagesTests {
    @Test(arguments: TestDatabase.all)
    func theServiceCartKeepsItsPartsAcrossSearchesAndSignIns(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var service = try await WebClient.signIn(app, .serviceDepartment)
            let person = try #require(try await User.query(on: app.db).filter(\.$role == .serviceDepartment).first())
            let search = try await service.get("/service?q=T-OA").body.string
            let parts = search.matches(of: /name="items\.([^"]+)"/).map { String($0.output.1) }
            try #require(parts.count >= 2)
            let (first, second) = (parts[0], parts[1])

            // Nothing typed, or a wrong quantity: the results stay, with what was typed and the error on its field.
            let empty = try await service.post("/service/cart", [("q", "T-OA"), ("items.\(first)", "")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains(#"name="items.\#(first)""#), "the results are still there")
            #expect(empty.body.string.contains("Enter a quantity for at least one part."))
            #expect(!empty.body.string.contains("must have 2 to 100 characters"))
            let typed = try await service.post("/service/cart", [("q", "T-OA"), ("items.\(first)", "-2")])
            #expect(typed.status == .unprocessableEntity)
            #expect(typed.body.string.contains(#"value="-2""#) && typed.body.string.contains("must be a whole number from 0 to 1000"))

            // Added from two searches, the cart keeps both.
            let added = try await service.post("/service/cart", [("q", "T-OA"), ("items.\(first)", "2")])
            #expect(added.status == .seeOther && added.headers.first(name: .location) == "/service?q=T-OA#cart")
            _ = try await service.get("/service?q=\(second)")
            #expect(try await service.post("/service/cart", [("q", second), ("items.\(second)", "1")]).status == .seeOther)
            let cart = try await service.get("/service").body.string
            #expect(cart.contains(#"name="cart.\#(first)" value="2""#) && cart.contains(#"name="cart.\#(second)" value="1""#))

            // Twenty adds of one part at once leave one line of it.
            let client = service
            let adds = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        var copy = client
                        return try await copy.post("/service/cart", [("q", "T-OA"), ("items.\(first)", "4")]).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(adds == Array(repeating: 303, count: 20), "every add is taken")
            #expect(try await ServiceCartLine.query(on: app.db).filter(\.$itemID == first).count() == 1)

            // Another session, the next day: the cart is still there; 0 removes a line.
            var again = try await WebClient.signIn(app, email: person.email)
            #expect(try await again.get("/service").body.string.contains(#"name="cart.\#(first)" value="4""#))
            #expect(
                try await again.post("/service/cart/update", [("cart.\(first)", "0"), ("cart.\(second)", "3")]).status == .seeOther)
            let saved = try await again.get("/service").body.string
            #expect(!saved.contains(#"name="cart.\#(first)""#) && saved.contains(#"name="cart.\#(second)" value="3""#))

            // Sending it: one request with the quantities as typed, and the cart empties, together.
            // Sent twenty times at once (a double tap, a flaky network): one request, the others find the cart empty.
            let sender = again
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        var copy = sender
                        return try await copy.post("/service/requests", [("cart.\(second)", "5"), ("note", "For the Lakeside sink")])
                            .status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 303 }.count == 1 && statuses.filter { $0 == 422 }.count == 19, "\(statuses)")
            let order = try #require(try await ServiceOrder.query(on: app.db).first())
            #expect(try JSONParser.parse(order.items) == .array([.object([JSONMember("id", .string(second)), JSONMember("quantity", 5)])]))
            #expect(try await ServiceCartLine.query(on: app.db).count() == 0)
            // Saving quantities from a tab opened before the send puts nothing back.
            #expect(try await again.post("/service/cart/update", [("cart.\(second)", "7")]).status == .seeOther)
            #expect(try await ServiceCartLine.query(on: app.db).count() == 0, "a line already sent is not put back")
            let nothing = try await again.post("/service/requests", [("note", "again")])
            #expect(nothing.status == .unprocessableEntity && nothing.body.string.contains("add parts to your cart first"))
            #expect(try await ServiceOrder.query(on: app.db).count() == 1)

            var buyer = try await WebClient.signIn(app, .procurementSpecialist)
            let requests = try await buyer.get("/service").body.string
            let requestID = try #require(requests.firstMatch(of: /action="\/service\/requests\/([^\/]+)\/approve"/)?.output.1)
            // Each line's quantity to approve, the quantity asked for to begin with, labelled for who cannot see the list.
            #expect(requests.contains(#"name="items[0].quantity" type="number" inputmode="numeric" min="0" max="5" value="5""#))
            #expect(requests.contains(#"<input type="hidden" name="items[0].id" value="\#(second)">"#))
            let blank = try await buyer.post(
                "/service/requests/\(requestID)/approve", [("items[0].id", second), ("items[0].quantity", "")])
            #expect(blank.headers[.setCookie].contains { $0.contains(Flash.encode("enter a whole number: 0 approves none of \(second)")) })
            let tooMany = try await buyer.post(
                "/service/requests/\(requestID)/approve", [("items[0].id", second), ("items[0].quantity", "6")])
            #expect(tooMany.headers[.setCookie].contains { $0.contains(Flash.encode("must be from 0 to 5, the quantity asked for")) })
            let approved = try await buyer.post(
                "/service/requests/\(requestID)/approve", [("items[0].id", second), ("items[0].quantity", "2")])
            #expect(approved.headers[.setCookie].contains { $0.contains(Flash.encode("Request approved.")) })
            #expect(try await buyer.get("/service").body.string.contains("(2 approved)"), "what was asked and what was approved")
        }
    }

    @Test func serviceBrowsesTheCatalogueByCategory() async throws {
        try await withTestApp(.sqlite) { app in
            // The customer's catalogue, whose assemblies carry their categories.
            let imported = try await app.testing().sendRequest(
                .POST, "api/v1/catalog/import", headers: try await app.signIn(.admin), body: try CatalogTests.importBody())
            #expect(imported.status == .ok)
            let catalog = app.catalogStore.snapshot.catalog
            let category = try #require(
                catalog.categories.first { category in catalog.assemblies.values.contains { $0.categoryCode == category.code } })
            let members = Set(catalog.assemblies.values.filter { $0.categoryCode == category.code }.map(\.id))
            var service = try await WebClient.signIn(app, .serviceDepartment)
            let code = category.code.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? category.code
            let page = try await service.get("/service?category=\(code)").body.string
            let listed = page.matches(of: /name="items\.([^"]+)"/).map { String($0.output.1) }
            #expect(!listed.isEmpty && Set(listed).isSubset(of: members), "only the category's assemblies")
            #expect(listed.count == min(50, members.count))
            #expect(page.contains(#"<option value="\#(category.code)" selected>"#))
            // Added from a category, the page comes back to it.
            let added = try await service.post("/service/cart", [("category", category.code), ("items.\(listed[0])", "1")])
            #expect(added.headers.first(name: .location) == "/service?category=\(code)#cart")
            let api = try await app.testing().sendRequest(
                .GET, "api/v1/catalog/search?category=NOPE", headers: try await app.signIn(.serviceDepartment))
            #expect(api.status == .unprocessableEntity)
            #expect(try api.json["error"]?["details"]?.array.first?["field"] == "category")
        }
    }
}
