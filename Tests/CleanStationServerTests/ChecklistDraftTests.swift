import CleanStationCore
import CleanStationTestSupport
import Crypto
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// Drafts and signatures under races and mistakes.
@Suite struct ChecklistDraftTests {
    /// Twenty devices saving the same draft revision at once: exactly one is kept, the others are told it changed.
    @Test(arguments: TestDatabase.all)
    func twentySavesOfOneRevisionKeepExactlyOne(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody())
            let path = "api/v1/orders/\(client.orderID)/builds/B1001/checklists/pre-qc/draft"
            let tester = try app.testing()
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for device in 0..<20 {
                    group.addTask {
                        try await tester.sendRequest(
                            .PUT, path, headers: people.qc,
                            body: body([
                                "revision": 0,
                                "answers": [.object([JSONMember("itemId", "pre-qc.job-id"), JSONMember("value", .string("J-\(device)"))])],
                            ])
                        ).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200] + Array(repeating: 409, count: 19))
            let draft = try await app.testing().sendRequest(.GET, path, headers: people.qc).json
            #expect(draft["revision"] == 1)
            let stale = try await app.testing().sendRequest(
                .PUT, path, headers: people.qc, body: body(["revision": 0, "answers": []]))
            #expect(try stale.json["error"]?["code"] == "DRAFT_CHANGED")
            #expect(
                try await app.testing().sendRequest(.PUT, path, headers: people.qc, body: body(["revision": 1, "answers": []])).status
                    == .ok)
        }
    }

    @Test func aFailKeepsItsAnswersInTheDraftForTheRetest() async throws {
        try await withTestApp(.sqlite) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody())
            let failed = try await client.sign(people.qc, "B1001", "pre-qc", failing: "pre-qc.holes")
            #expect(try failed.json["outcome"] == "FAIL")
            let draft = try await app.testing().sendRequest(
                .GET, "api/v1/orders/\(client.orderID)/builds/B1001/checklists/pre-qc/draft", headers: people.qc
            ).json
            let record = try JSONParser.parse(try #require(try failed.json["record"]?.string))
            #expect(draft["answers"]?.array.count == record["answers"]?.array.count)
            #expect(draft["answers"]?.array.first { $0["itemId"] == "pre-qc.holes" }?["value"] == false)
        }
    }

    @Test func aBodyThatIsNotMultipartIsRefusedNotACrash() async throws {
        try await withTestApp(.sqlite) { app in
            let admin = try await app.signIn(.admin)
            try await JourneyTests.registerInstrument(app)
            let id = try #require(try await Instrument.query(on: app.db).first()?.requireID())
            var headers = admin
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=nothing-here")
            let response = try await app.testing().sendRequest(
                .POST, "api/v1/instruments/\(id)/certificate", headers: headers,
                body: ByteBuffer(string: "--nothing-here\r\nContent-Disposition\r\n\r\nx\r\n--nothing-here--\r\n"))
            #expect(response.status == .badRequest, "\(response.body.string)")
            #expect(try response.json["error"]?["message"]?.string?.hasPrefix("The body is not valid multipart/form-data") == true)
        }
    }
}
