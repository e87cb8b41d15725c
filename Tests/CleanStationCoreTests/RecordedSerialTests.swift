import Testing

@testable import CleanStationCore

/// The serial numbers of a signed record (issue 18): the SERIAL items' answers only, per basin, blanks left out.
@Suite struct RecordedSerialTests {
    @Test func theSerialItemsAnswersPerBasinAndNothingElse() throws {
        let template = try #require(ChecklistTemplate.seedsV2.first { $0.kind == .eolTest })
        let serial = try #require(template.sections.flatMap(\.items).first { $0.answerType == .serial && $0.perBasin })
        let other = try #require(template.sections.flatMap(\.items).first { $0.answerType != .serial })
        let record = JSONValue.object([
            JSONMember(
                "answers",
                .array([
                    .object([JSONMember("itemId", .string("\(serial.id).b2")), JSONMember("value", "ts-0042")]),
                    .object([JSONMember("itemId", .string("\(serial.id).b1")), JSONMember("value", "  ")]),
                    .object([JSONMember("itemId", .string(other.id)), JSONMember("value", "not a serial")]),
                    .object([JSONMember("itemId", "unknown.item"), JSONMember("value", "X")]),
                ]))
        ])
        #expect(
            template.serials(in: record) == [RecordedSerial(itemID: "\(serial.id).b2", label: "\(serial.text) (basin 2)", value: "ts-0042")]
        )
        #expect(RecordedSerial.key(" ts-0042\n") == "TS-0042")
    }
}
