import CleanStationJSON
import Foundation
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5e1, true, false, null], "b": "x\u00e9\ud83d\ude00\n", "c": {}}"#)
        #expect(value["a"] == [1, -25.0, true, false, nil])
        #expect(value["b"] == .string("xé😀\n"))
        #expect(value["c"] == .object([]))
    }

    @Test func keepsDuplicateMembersInOrder() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#)
        #expect(value == .object([JSONMember("a", 1), JSONMember("b", 2), JSONMember("a", 3)]))
    }

    @Test(arguments: [
        (#"{"a": [1, 2,]}"#, 1, 13, "a[2]", "unexpected character ']'"),
        ("{\n  \"parts\": {\n    \"X\": {\"name\": \"Y\"", 3, 22, #"parts.X"#, "unexpected end of file"),
        (#"{"a": tru}"#, 1, 10, "a", "'true' is expected"),
        (#"[01]"#, 1, 3, "[0]", "leading zeros"),
        (#"{"a": 1} x"#, 1, 10, "", "after the end of the document"),
        (#"{"a" 1}"#, 1, 6, "", "':' after the member name"),
        (#"["\x"]"#, 1, 4, "[0]", "invalid escape"),
        ("[\"a\tb\"]", 1, 4, "[0]", "control character"),
        (#"[1e999]"#, 1, 2, "[0]", "out of range"),
        ("", 1, 1, "", "a value is missing"),
    ])
    func reportsWhereTheTextGoesWrong(text: String, line: Int, column: Int, path: String, message: String) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            guard let error = error as? JSONSyntaxError else { return false }
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.path.description == path)
            #expect(error.message.contains(message), "\(error.message)")
            return true
        }
    }

    @Test func refusesDeepNesting() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try JSONParser.parse(Data([0xEF, 0xBB, 0xBF]) + Data("[1]".utf8)) == [1])
    }
}

@Suite struct JSONSerializerTests {
    @Test func canonicalFormSortsKeysAndDropsWhitespace() throws {
        let value = try JSONParser.parse(#"{"b": [1, 2.50, "x"], "a": {"d": null, "c": true}}"#)
        #expect(JSONSerializer.string(value, style: .canonical) == #"{"a":{"c":true,"d":null},"b":[1,2.5,"x"]}"#)
    }

    @Test func compactFormKeepsMemberOrder() throws {
        let value = try JSONParser.parse(#"{"b": 1, "a": 2}"#)
        #expect(JSONSerializer.string(value) == #"{"b":1,"a":2}"#)
    }

    @Test(arguments: [(24.0, "24"), (24.5, "24.5"), (0.1, "0.1"), (-3.0, "-3"), (1e-7, "0.0000001"), (1e21, "1000000000000000000000")])
    func formatsNumbersPlainly(number: Double, text: String) {
        #expect(JSONSerializer.format(number) == text)
    }

    @Test func escapesWhatJSONRequires() {
        #expect(JSONSerializer.quoted("a\"b\\c\n\u{01}é") == #""a\"b\\c\n\u0001é""#)
    }

    @Test func readsBackWhatItWrites() throws {
        let value = try JSONParser.parse(#"{"x": [1, 2.25, -0.5, "é\"\\", {"y": null, "z": [true, false]}], "w": {}}"#)
        for style in [JSONSerializer.Style.compact, .pretty, .canonical] {
            let text = JSONSerializer.string(value, style: style)
            let reread = try JSONParser.parse(text)
            #expect(JSONSerializer.string(reread, style: .canonical) == JSONSerializer.string(value, style: .canonical))
        }
    }

    @Test func pathsQuoteKeysThatAreNotPlainNames() {
        let path = JSONPath.root.key("parts").key("708.77").key("name").index(2)
        #expect(path.description == #"parts["708.77"].name[2]"#)
    }
}
