import Foundation
import Testing

@testable import CleanStationCore

@Suite struct OrderDraftTests {
    func filled() -> OrderDraft {
        var draft = OrderDraft()
        draft.apply(.customer) {
            ["poNumber": "PO-77", "customerName": "St. Mary", "salesPerson": "Dana", "wantDate": "2099-01-01", "language": "EN"][$0]
        }
        draft.apply(.builds) {
            ["sinkFamily": "MDRD", "quantity": "2", "builds[0].buildNumber": "b-1", "builds[1].buildNumber": "B-2"][$0]
        }
        // One post carries every build's fields, as the configuration step's form does.
        draft.apply(.configuration) { name in
            for index in 0..<2 {
                let fields = [
                    "builds[\(index)].model": "T2-B1", "builds[\(index)].width": "30", "builds[\(index)].length": "60",
                    "builds[\(index)].basins[0].type": "E_SINK_DI", "builds[\(index)].basins[0].pTrap": "on",
                ]
                if let value = fields[name] { return value }
            }
            return nil
        }
        return draft
    }

    @Test func aFilledDraftIsTheOrderTheAPITakes() throws {
        let order = try OrderRequest.read(filled().json(), today: "2026-11-29").get()
        #expect(order.poNumber == "PO-77")
        #expect(order.builds.map(\.buildNumber) == ["B-1", "B-2"])
        #expect(order.builds[0].basins.count == 1, "a T2-B1 takes the first basin row only")
        #expect(order.builds[0].basins[0].pTrap)
        #expect(order.builds[0].faucets == [Faucet(type: .diGooseneck, quantity: 1, placement: .center)], "the DI gooseneck default")
    }

    @Test func errorsBelongToTheStepOfTheirField() {
        var draft = filled()
        draft.apply(.customer) { ["customerName": "X", "wantDate": "2020-01-01"][$0] }
        draft.apply(.configuration) {
            ["builds[1].length": "abc", "builds[1].legs.type": "FIXED_HEIGHT", "builds[1].legs.model": "LC1"][$0]
        }
        #expect(draft.errors(for: .customer, today: "2026-11-29").map(\.field) == ["customerName", "wantDate"])
        #expect(draft.errors(for: .builds, today: "2026-11-29").isEmpty)
        #expect(Set(draft.errors(for: .configuration, today: "2026-11-29").map(\.field)) == ["builds[1].length", "builds[1].legs.model"])
        #expect(draft.errors(for: .review, today: "2026-11-29").count == 4)
    }

    @Test func theQuantityResizesTheBuildsAndIsChecked() {
        var draft = filled()
        draft.apply(.builds) { ["quantity": "3"][$0] }
        #expect(draft.builds.count == 3)
        #expect(draft.errors(for: .builds, today: "2026-11-29").map(\.field) == ["builds[2].buildNumber"])
        draft.apply(.builds) { ["quantity": "0"][$0] }
        #expect(draft.builds.count == 3, "a wrong quantity leaves the builds")
        #expect(draft.errors(for: .builds, today: "2026-11-29").map(\.field).first == "quantity")
        draft.apply(.builds) { ["quantity": "1"][$0] }
        #expect(draft.builds.map(\.buildNumber) == ["b-1"])
    }

    @Test func filledFaucetRowsArePackedSoThatErrorsAddressTheirRow() {
        var draft = filled()
        draft.apply(.configuration) {
            [
                "builds[0].faucets[2].type": "WRIST_BLADE", "builds[0].faucets[2].quantity": "1",
                "builds[0].faucets[2].placement": "BETWEEN_2_3",
            ][$0]
        }
        #expect(draft.builds[0].faucets.map(\.type) == ["WRIST_BLADE", "", ""])
        #expect(draft.errors(for: .configuration, today: "2026-11-29").map(\.field) == ["builds[0].faucets[0].placement"])
    }

    @Test func accessoryErrorsNameTheirInput() throws {
        var draft = filled()
        let ids = Accessories.all.prefix(2).map(\.id).sorted()
        draft.apply(.accessories) { ["builds[1].accessories.\(ids[0])": "1", "builds[1].accessories.\(ids[1])": "lots"][$0] }
        #expect(draft.errors(for: .accessories, today: "2026-11-29").map(\.field) == ["builds[1].accessories.\(ids[1])"])
        draft.apply(.accessories) { ["builds[1].accessories.\(ids[1])": "0"][$0] }
        #expect(draft.builds[1].accessories == [:], "a zero or an empty field orders nothing")
    }

    @Test func copyingAConfigurationKeepsTheBuildNumber() {
        var draft = filled()
        draft.apply(.configuration) { ["builds[0].model": "T2-B3", "builds[0].pegboard": "on", "builds[0].pegboard.size": "CUSTOM"][$0] }
        draft.copyConfiguration(from: 0, to: 1)
        #expect(draft.builds[1].model == "T2-B3" && draft.builds[1].pegboard && draft.builds[1].buildNumber == "B-2")
        draft.copyConfiguration(from: 5, to: 1)
        #expect(draft.builds[1].buildNumber == "B-2")
    }

    @Test func customSizesAreObjectsAndWrongNumbersStayText() throws {
        var draft = filled()
        draft.apply(.configuration) {
            ["builds[0].basins[0].size": "CUSTOM", "builds[0].basins[0].size.width": "20", "builds[0].basins[0].size.length": "x"][$0]
        }
        let basin = draft.builds[0].json()["basins"]?.array.first
        #expect(basin?["size"] == .object([JSONMember("width", .number(20)), JSONMember("length", .string("x"))]))
        let fields = Set(draft.errors(for: .configuration, today: "2026-11-29").map(\.field))
        #expect(fields.contains("builds[0].basins[0].size.length") && fields.contains("builds[0].basins[0].size.depth"))
    }
}

@Suite struct OrderDraftEditingTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples")

    @Test(arguments: ["t2-b3-full.json", "t2-b2-pegboard.json"])
    func aStoredOrderComesBackFromItsDraftUnchanged(_ file: String) throws {
        let sink = try SinkConfiguration.read(Data(contentsOf: Self.examples.appendingPathComponent(file))).get()
        let order = OrderRequest(
            poNumber: "PO-EDIT-1", customerName: "St. Mary", projectName: nil, salesPerson: "Dana", wantDate: "2099-01-01",
            language: .fr, notes: "keep", sinkFamily: .mdrd, builds: [sink])
        let draft = OrderDraft(order, editing: "0f0e")
        #expect(draft.editing == "0f0e" && draft.quantity == "1")
        // The wizard lists accessories by id, whatever order they were given in.
        var expected = order
        expected.builds[0].accessories.sort { $0.id < $1.id }
        #expect(try OrderRequest.read(draft.json(), today: "2026-11-29").get() == expected)
    }
}
