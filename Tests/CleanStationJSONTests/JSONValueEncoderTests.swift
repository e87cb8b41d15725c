import CleanStationJSON
import Foundation
import Testing

@Suite struct JSONValueEncoderTests {
    enum Colour: String, Encodable { case red = "RED" }

    struct Inner: Encodable {
        var name: String
        var count: Int
    }

    struct Outer: Encodable {
        var id: String
        var note: String?
        var flag: Bool
        var ratio: Double
        var colour: Colour
        var inner: Inner?
        var items: [Inner]
        var tags: [String]
        var raw: JSONValue
    }

    /// Members in the order of the properties, `nil` written as null, enums by their raw value, nested values and JSON as is.
    @Test func encodesInOrderWithNullsKept() throws {
        let value = Outer(
            id: "a", note: nil, flag: true, ratio: 1.5, colour: .red, inner: nil, items: [Inner(name: "x", count: 2)], tags: ["t"],
            raw: .object([JSONMember("z", 1)]))
        let json = try JSONValueEncoder.encode(value)
        #expect(
            JSONSerializer.string(json, style: .compact)
                == #"{"id":"a","note":null,"flag":true,"ratio":1.5,"colour":"RED","inner":null,"items":[{"name":"x","count":2}],"tags":["t"],"raw":{"z":1}}"#
        )
        #expect(
            try JSONValueEncoder.encode([Inner(name: "y", count: 0)])
                == .array([.object([JSONMember("name", "y"), JSONMember("count", 0)])]))
        #expect(try JSONValueEncoder.encode("text") == .string("text"))
    }

    /// A date has no one JSON form: the API formats its own, so the encoder says where one slipped in.
    @Test func refusesDates() {
        struct Stamped: Encodable { var at: Date }
        #expect { try JSONValueEncoder.encode(Stamped(at: Date())) } throws: { "\($0)".contains("at: Date") }
    }
}
