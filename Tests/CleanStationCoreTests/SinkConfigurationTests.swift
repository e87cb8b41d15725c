import CleanStationCore
import Foundation
import Testing

@Suite struct SinkConfigurationTests {
    let example = Fixtures.specExample

    @Test func readsTheSpecificationExample() throws {
        let sink = try SinkConfiguration.valid(example)
        #expect(sink.model == .t2B2)
        #expect(sink.pegboard == Pegboard(type: .perforated, color: .green, size: .sameAsSink))
        #expect(sink.basins[1].size == .custom(width: 26, length: 20, depth: 9))
        #expect(sink.basins[1].basinLight)
        #expect(sink.accessories == [AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 2)])
    }

    @Test func writesWhatItReads() throws {
        let sink = try SinkConfiguration.valid(example)
        #expect(try SinkConfiguration.valid(sink.jsonValue) == sink)
        #expect(JSONSerializer.string(sink.jsonValue, style: .canonical) == JSONSerializer.string(example, style: .canonical))
    }

    @Test func pegboardMayBeNullOrAbsentAndColorNull() throws {
        #expect(try SinkConfiguration.valid(example.setting([.key("pegboard")], to: .null)).pegboard == nil)
        #expect(try SinkConfiguration.valid(example.setting([.key("pegboard")], to: nil)).pegboard == nil)
        let colourless = try SinkConfiguration.valid(example.setting([.key("pegboard"), .key("color")], to: .null))
        #expect(colourless.pegboard?.color == nil)
        let custom = try SinkConfiguration.valid(
            example.setting([.key("pegboard"), .key("size")], to: .object([JSONMember("width", 50), JSONMember("length", 36.5)])))
        #expect(custom.pegboard?.size == .custom(width: 50, length: 36.5))
    }

    @Test func aDIBasinWithoutFaucetsGetsOneDIGooseneckAtTheCentre() throws {
        let di = example.setting([.key("basins"), .index(0), .key("type")], to: "E_SINK_DI")
        for faucets in [JSONValue.array([]), nil] {
            let sink = try SinkConfiguration.valid(di.setting([.key("faucets")], to: faucets))
            #expect(sink.faucets == [Faucet(type: .diGooseneck, quantity: 1, placement: .center)])
        }
        #expect(try SinkConfiguration.valid(di).faucets.map(\.type) == [.wristBlade])
        #expect(try SinkConfiguration.valid(example.setting([.key("faucets")], to: [])).faucets.isEmpty)
    }

    /// Each rule of bom-rules.md §2, with the field its error must name.
    @Test(
        arguments: [
            ([.key("basins")], JSONValue.array([]), "basins", "has 2 basins, not 0"),
            ([.key("model")], "T2-B3", "basins", "has 3 basins, not 2"),
            ([.key("length")], 47.9, "length", "from 48 to 120"),
            ([.key("length")], 120.5, "length", "from 48 to 120"),
            ([.key("width")], 0, "width", "greater than 0"),
            ([.key("width")], -1, "width", "greater than 0"),
            (
                [.key("legs")], .object([JSONMember("type", "FIXED_HEIGHT"), JSONMember("model", "LC1")]), "legs.model",
                "height-adjustable only"
            ),
            (
                [.key("pegboard"), .key("size")], .object([JSONMember("width", 0), JSONMember("length", 36)]), "pegboard.size.width",
                "greater than 0"
            ),
            (
                [.key("pegboard"), .key("size")], .object([JSONMember("width", 50), JSONMember("length", -1)]), "pegboard.size.length",
                "greater than 0"
            ),
            ([.key("basins"), .index(1), .key("size"), .key("width")], 0, "basins[1].size.width", "greater than 0"),
            ([.key("basins"), .index(1), .key("size"), .key("length")], -2, "basins[1].size.length", "greater than 0"),
            ([.key("basins"), .index(1), .key("size"), .key("depth")], 0, "basins[1].size.depth", "greater than 0"),
            ([.key("faucets"), .index(0), .key("quantity")], 3, "faucets", "at most 2 faucets"),
            ([.key("faucets"), .index(0), .key("quantity")], 0, "faucets[0].quantity", "at least 1"),
            ([.key("faucets"), .index(0), .key("quantity")], 1.5, "faucets[0].quantity", "whole number"),
            ([.key("faucets"), .index(0), .key("placement")], "BETWEEN_2_3", "faucets[0].placement", "at least 3 basins"),
            ([.key("sprayers"), .index(0), .key("quantity")], 3, "sprayers[0].quantity", "1 or 2"),
            ([.key("sprayers"), .index(0), .key("quantity")], 0, "sprayers[0].quantity", "1 or 2"),
            ([.key("accessories"), .index(0), .key("id")], "T-OA-FOO", "accessories[0].id", "not in the accessory list"),
            ([.key("accessories"), .index(0), .key("id")], "T2-BODY-48-60-HA", "accessories[0].id", "not in the accessory list"),
            ([.key("accessories"), .index(0), .key("quantity")], 0, "accessories[0].quantity", "at least 1"),
            ([.key("model")], "T2-B4", "model", "is not one of T2-B1, T2-B2, T2-B3"),
            ([.key("feet")], "WHEELS", "feet", "is not one of"),
            ([.key("legs"), .key("model")], "DL99", "legs.model", "is not one of"),
            ([.key("pegboard"), .key("type")], "MESH", "pegboard.type", "is not one of"),
            ([.key("pegboard"), .key("color")], "PINK", "pegboard.color", "is not one of"),
            ([.key("pegboard"), .key("size")], "SMALL", "pegboard.size", "SAME_AS_SINK"),
            ([.key("workflowDirection")], "UP", "workflowDirection", "is not one of"),
            ([.key("basins"), .index(0), .key("type")], "E_TUB", "basins[0].type", "is not one of"),
            ([.key("basins"), .index(0), .key("size")], "40X20X8", "basins[0].size", "custom size"),
            ([.key("faucets"), .index(0), .key("type")], "TAP", "faucets[0].type", "is not one of"),
            ([.key("sprayers"), .index(0), .key("location")], "UP", "sprayers[0].location", "is not one of"),
            ([.key("colour")], "blue", "colour", "not a known field"),
            ([.key("basins"), .index(0), .key("drain")], true, "basins[0].drain", "not a known field"),
            ([.key("legs"), .key("height")], 30, "legs.height", "not a known field"),
            ([.key("basins"), .index(0), .key("pTrap")], "yes", "basins[0].pTrap", "true or false"),
            ([.key("width")], "30", "width", "must be a number"),
            ([.key("basins")], .object([]), "basins", "must be an array"),
            ([.key("buildNumber")], "B 1001", "buildNumber", "letters, digits or '-'"),
            ([.key("buildNumber")], .string(String(repeating: "B", count: 33)), "buildNumber", "1 to 32"),
            ([.key("buildNumber")], nil, "buildNumber", "is required"),
            ([.key("feet")], nil, "feet", "is required"),
            ([.key("basins"), .index(0), .key("size")], nil, "basins[0].size", "is required"),
        ] as [([JSONPath.Component], JSONValue?, String, String?)])
    func eachRuleNamesItsField(path: [JSONPath.Component], value: JSONValue?, field: String, message: String?) {
        let errors = SinkConfiguration.errors(example.setting(path, to: value))
        #expect(errors.map(\.field) == [field], "\(errors)")
        if let message {
            #expect(errors.first?.message.contains(message) == true, "\(errors)")
        }
    }

    @Test func placementsFollowTheBasinCount() {
        let oneBasin = example.setting([.key("model")], to: "T2-B1").setting(
            [.key("basins")], to: .array([example["basins"]!.array[0]]))
        let errors = SinkConfiguration.errors(oneBasin)
        #expect(errors.map(\.field) == ["faucets[0].placement"])
        let threeBasins = example.setting([.key("model")], to: "T2-B3").setting(
            [.key("basins")], to: .array(Array(repeating: example["basins"]!.array[0], count: 3)))
        for placement in ["CENTER", "BETWEEN_1_2", "BETWEEN_2_3"] {
            #expect(
                SinkConfiguration.errors(threeBasins.setting([.key("faucets"), .index(0), .key("placement")], to: .string(placement)))
                    .isEmpty)
        }
    }

    @Test func faucetLimitIsThreeOnlyForThreeBasins() {
        let threeBasins = example.setting([.key("model")], to: "T2-B3").setting(
            [.key("basins")], to: .array(Array(repeating: example["basins"]!.array[0], count: 3)))
        #expect(SinkConfiguration.errors(threeBasins.setting([.key("faucets"), .index(0), .key("quantity")], to: 3)).isEmpty)
        #expect(
            SinkConfiguration.errors(threeBasins.setting([.key("faucets"), .index(0), .key("quantity")], to: 4)).map(\.field) == ["faucets"]
        )
        let twoFaucetLines = example.setting(
            [.key("faucets")],
            to: [
                .object([JSONMember("type", "WRIST_BLADE"), JSONMember("quantity", 1), JSONMember("placement", "CENTER")]),
                .object([JSONMember("type", "PRE_RINSE"), JSONMember("quantity", 2), JSONMember("placement", "CENTER")]),
            ])
        #expect(SinkConfiguration.errors(twoFaucetLines).map(\.field) == ["faucets"])
    }

    @Test func sprayerTotalIsAtMostTwo() {
        let sprayer = JSONValue.object([JSONMember("type", "AIR_GUN_TURRET"), JSONMember("quantity", 1), JSONMember("location", "LEFT")])
        #expect(SinkConfiguration.errors(example.setting([.key("sprayers")], to: [sprayer, sprayer])).isEmpty)
        let errors = SinkConfiguration.errors(example.setting([.key("sprayers")], to: [sprayer, sprayer, sprayer]))
        #expect(errors.map(\.field) == ["sprayers"])
    }

    @Test func lengthBoundsAreInclusive() {
        for length in [48.0, 60.5, 120] {
            #expect(SinkConfiguration.errors(example.setting([.key("length")], to: .number(length))).isEmpty)
        }
    }

    @Test func lc1IsFineWhenHeightAdjustable() throws {
        let sink = try SinkConfiguration.valid(example.setting([.key("legs"), .key("model")], to: "LC1"))
        #expect(sink.legs == Legs(type: .heightAdjustable, model: .lc1))
    }

    @Test func reportsEveryErrorAtOnceUnderTheGivenPrefix() {
        let broken = example.setting([.key("width")], to: 0).setting([.key("feet")], to: "WHEELS")
            .setting([.key("basins"), .index(1), .key("size"), .key("depth")], to: -1).setting([.key("extra")], to: 1)
        guard case .failure(let failure) = SinkConfiguration.read(broken, at: JSONPath.root.key("builds").index(0)) else {
            Issue.record("expected errors")
            return
        }
        #expect(
            Set(failure.errors.map(\.field))
                == ["builds[0].width", "builds[0].feet", "builds[0].basins[1].size.depth", "builds[0].extra"])
    }

    @Test func rejectsDuplicateMembersAndNonObjects() {
        let duplicated = JSONValue.object(
            (example.members) + [JSONMember("width", 31)])
        #expect(SinkConfiguration.errors(duplicated).map(\.field) == ["width"])
        #expect(SinkConfiguration.errors([1, 2]).map(\.message) == ["must be an object, not an array"])
    }

    @Test func aTextThatIsNotJSONIsOneErrorWithItsPosition() {
        guard case .failure(let failure) = SinkConfiguration.read(Data(#"{"model": "T2-B2","#.utf8)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.errors.count == 1)
        #expect(failure.errors[0].message.contains("not valid JSON"))
        #expect(failure.errors[0].message.contains("line 1"))
    }

    @Test func decodableGoesThroughTheSameRules() throws {
        let data = JSONSerializer.data(example.setting([.key("width")], to: 0))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SinkConfiguration.self, from: data) }
        let sink = try JSONDecoder().decode(SinkConfiguration.self, from: JSONSerializer.data(example))
        #expect(try JSONDecoder().decode(SinkConfiguration.self, from: JSONEncoder().encode(sink)) == sink)
    }

    @Test func valuesBuiltInCodeAreCheckedByTheSameRules() {
        var sink = Fixtures.sink()
        #expect(sink.validationErrors().isEmpty)
        sink.legs = Legs(type: .fixedHeight, model: .lc1)
        sink.basins.append(sink.basins[0])
        #expect(Set(sink.validationErrors().map(\.field)) == ["legs.model", "basins"])
    }
}
