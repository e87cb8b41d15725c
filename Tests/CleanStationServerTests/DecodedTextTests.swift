import CleanStationCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import CleanStationServer

/// Issue 20: the pages decode a build's BOM and configuration, and instantiate its checklists, once per text.
@Suite struct DecodedTextTests {
    @Test func aMemoMakesEachValueOnceAndStaysWithinItsCapacity() {
        let memo = TextMemo<String, Int>(capacity: 3)
        let made = NIOLockedValueBox(0)
        func value(_ key: String) -> Int {
            memo.value(for: key) {
                made.withLockedValue { $0 += 1 }
                return key.count
            }
        }
        #expect(value("one") == 3)
        #expect(value("one") == 3)
        #expect(made.withLockedValue { $0 } == 1, "the second ask is answered from the memo")
        #expect(value("three") == 5)
        #expect(value("fourth") == 6)
        #expect(memo.count == 3)
        #expect(value("fifth") == 5)
        #expect(memo.count == 1, "full: everything is dropped and the new value kept")
        #expect(made.withLockedValue { $0 } == 4)
        #expect(value("one") == 3)
        #expect(made.withLockedValue { $0 } == 5, "a dropped value is made again")
    }

    @Test func aValueThatCannotBeMadeIsNotKept() {
        let memo = TextMemo<String, Int>(capacity: 3)
        struct Unreadable: Error {}
        #expect(throws: Unreadable.self) { try memo.value(for: "x") { throw Unreadable() } }
        #expect(memo.count == 0)
        #expect(memo.value(for: "x") { 7 } == 7)
    }

    @Test func twentyTasksMeetingOneNewTextGetOneValue() async {
        let memo = TextMemo<String, [Int]>(capacity: 8)
        let values = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<20 { group.addTask { memo.value(for: "same text") { Array(0..<1_000) } } }
            return await group.reduce(into: [[Int]]()) { $0.append($1) }
        }
        #expect(values.count == 20)
        #expect(Set(values).count == 1)
        #expect(memo.count == 1)
    }

    /// What the pages are given from the memo is what decoding the row afresh gives, and a row whose text
    /// changes is decoded again: nothing kept can be stale.
    @Test(arguments: TestDatabase.all) func theKeptValuesAreTheRowsDecodedAfresh(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try #require(UUID(uuidString: try await app.createOrder(headers: coordinator, po: "PO-MEMO-1")))
            let order = try #require(try await Order.find(orderID, on: app.db))
            let template = try #require(
                try await ChecklistTemplateRecord.query(on: app.db).filter(\.$kind == .production).filter(\.$retiredAt == nil).first())
            for build in try await Build.query(on: app.db).filter(\.$order.$id == orderID).all() {
                let bom = try JSONDecoder().decode(BOMDocument.self, from: Data(build.bom.utf8))
                let sink = try SinkConfiguration.read(Data(build.configuration.utf8)).get()
                #expect(try DecodedText.bom(build.bom) == bom)
                #expect(try DecodedText.sink(build.configuration) == sink)
                let fresh = try JSONDecoder().decode(ChecklistTemplate.self, from: Data(template.definition.utf8))
                let instance = fresh.instantiate(in: ChecklistContext(sink: sink, language: order.language, bom: bom))
                #expect(!instance.sections.isEmpty)
                for _ in 0..<2 {
                    #expect(
                        try DecodedText.instance(
                            of: template.definition, configuration: build.configuration, bom: build.bom, language: order.language)
                            == instance)
                }
                // Another text (one line fewer) is another value.
                var shorter = bom
                shorter.lines.removeLast()
                let text = String(decoding: try JSONEncoder().encode(shorter), as: UTF8.self)
                #expect(try DecodedText.bom(text) == shorter)
                #expect(try DecodedText.bom(text) != DecodedText.bom(build.bom))
            }
        }
    }
}
