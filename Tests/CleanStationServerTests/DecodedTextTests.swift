import CleanStationCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import CleanStationServer

/// Issue 20: the pages decode a build's BOM and configuration once per text.
@Suite struct DecodedTextTests {
    @Test func aMemoMakesEachValueOnceAndStaysWithinItsCapacity() {
        let memo = TextMemo<Int>(capacity: 3)
        let made = NIOLockedValueBox(0)
        func value(_ text: String) -> Int {
            memo.value(of: text) {
                made.withLockedValue { $0 += 1 }
                return text.count
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

    /// Texts that `String` counts as equal but whose bytes differ (composed and decomposed "é") are two keys.
    @Test func theKeyIsTheTextsBytes() {
        let memo = TextMemo<String>(capacity: 8)
        let composed = "Caf\u{E9}"
        let decomposed = "Cafe\u{301}"
        #expect(composed == decomposed)
        #expect(memo.value(of: composed) { "first" } == "first")
        #expect(memo.value(of: decomposed) { "second" } == "second")
        #expect(memo.count == 2)
    }

    @Test func aValueThatCannotBeMadeIsNotKept() {
        let memo = TextMemo<Int>(capacity: 3)
        struct Unreadable: Error {}
        #expect(throws: Unreadable.self) { try memo.value(of: "x") { throw Unreadable() } }
        #expect(memo.count == 0)
        #expect(memo.value(of: "x") { 7 } == 7)
    }

    /// What the pages are given from the memo is what decoding the row afresh gives, and a build whose text
    /// changes is decoded again: nothing kept can be stale.
    @Test(arguments: TestDatabase.all) func theKeptValuesAreTheRowsDecodedAfresh(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try #require(UUID(uuidString: try await app.createOrder(headers: coordinator, po: "PO-MEMO-1")))
            let builds = try await Build.query(on: app.db).filter(\.$order.$id == orderID).all()
            #expect(builds.count == 2)
            for build in builds {
                #expect(try DecodedText.bom(build.bom) == JSONDecoder().decode(BOMDocument.self, from: Data(build.bom.utf8)))
                #expect(try DecodedText.sink(build.configuration) == SinkConfiguration.read(Data(build.configuration.utf8)).get())
            }
            let template = try #require(try await ChecklistTemplateRecord.query(on: app.db).first())
            #expect(try template.template() == JSONDecoder().decode(ChecklistTemplate.self, from: Data(template.definition.utf8)))
            // One BOM line fewer, stored: the checklist's context is the new BOM's.
            let build = builds[0]
            var shorter = try DecodedText.bom(build.bom)
            let removed = shorter.lines.removeLast()
            build.bom = String(decoding: try JSONEncoder().encode(shorter), as: UTF8.self)
            try await build.save(on: app.db)
            let stored = try #require(try await Build.find(build.id, on: app.db))
            let context = try ChecklistsController.context(of: stored, language: .en)
            #expect(context.bom == shorter)
            #expect(!context.bom.lines.contains(removed))
        }
    }
}
