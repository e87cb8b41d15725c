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

    /// Every width of number, and `nil` of every type written as null: none is left out, none recurses.
    @Test func everyNumberAndEveryNil() throws {
        struct Numbers: Encodable {
            var small: UInt8 = 255
            var medium: Int32 = -7
            var large: UInt64 = 1 << 40
            var ratio: Float = 0.5
            var list: [Int32] = [1, 2]
            var noFloat: Float? = nil
            var noInt64: Int64? = nil
            var noUInt16: UInt16? = nil
            var noList: [Int8]? = nil
        }
        #expect(
            JSONSerializer.string(try JSONValueEncoder.encode(Numbers()), style: .compact)
                == #"{"small":255,"medium":-7,"large":1099511627776,"ratio":0.5,"list":[1,2],"noFloat":null,"noInt64":null,"noUInt16":null,"noList":null}"#
        )
        #expect(try JSONValueEncoder.encode([UInt8(1), 2]) == [1, 2])
        #expect(try JSONValueEncoder.encode(Int16(3)) == 3)
    }

    /// What has no one JSON form, or no order, is refused with its path: dates, URLs, decimals, dictionaries.
    @Test func refusesWhatHasNoOneForm() {
        struct Stamped: Encodable { var at: Date }
        #expect { try JSONValueEncoder.encode(Stamped(at: Date())) } throws: { "\($0)".contains("at: Date") }
        struct Linked: Encodable { var href: URL }
        #expect { try JSONValueEncoder.encode(Linked(href: URL(string: "https://x.test")!)) } throws: { "\($0)".contains("href: URL") }
        struct Priced: Encodable { var price: Decimal }
        #expect { try JSONValueEncoder.encode(Priced(price: 1.5)) } throws: { "\($0)".contains("price: Decimal") }
        struct Mapped: Encodable { var counts: [String: Int] }
        #expect { try JSONValueEncoder.encode(Mapped(counts: ["a": 1])) } throws: { "\($0)".contains("counts: a dictionary has no order") }
    }
}
