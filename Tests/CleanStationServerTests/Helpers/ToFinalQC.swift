import CleanStationCore
import CleanStationTestSupport
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

/// The steps the nonconformance tests walk a build through, and what they read back.
extension NonconformanceTests {
    /// An order of `builds`, each signed through Pre-QC, production, the
    /// end-of-line test and packaging, standing at READY_FOR_FINAL_QC.
    static func toFinalQC(_ app: Application, _ people: People, po: String, builds: [String]) async throws -> JourneyTests.Client {
        try await JourneyTests.registerInstrument(app, tag: JourneyTests.instrumentTag)
        let client = try await ChecklistFidelityTests.readyForPreQC(app, people, order: orderBody(po: po, builds: builds))
        for build in builds { #expect(try await client.sign(people.qc, build, "pre-qc").status == .created) }
        #expect(try await client.move(people.qc, "READY_FOR_PRODUCTION").status == .ok)
        for build in builds {
            #expect(
                try await app.testing().sendRequest(
                    .POST, "api/v1/orders/\(client.orderID)/builds/\(build)/claim", headers: people.assembler
                ).status == .ok)
            #expect(try await client.sign(people.assembler, build, "production").status == .created)
            #expect(try await client.sign(people.assembler, build, "eol-test").status == .created)
        }
        #expect(try await client.move(people.assembler, "TESTING_COMPLETE").status == .ok)
        for build in builds { #expect(try await client.sign(people.assembler, build, "packaging").status == .created) }
        #expect(try await client.move(people.assembler, "PACKAGING_COMPLETE").status == .ok)
        #expect(try await client.move(people.assembler, "READY_FOR_FINAL_QC").status == .ok)
        return client
    }

    static func detail(_ client: JourneyTests.Client, _ headers: HTTPHeaders) async throws -> JSONValue {
        try await client.app.testing().sendRequest(.GET, "api/v1/orders/\(client.orderID)", headers: headers).json
    }

    static func status(of build: String, in detail: JSONValue) -> String? {
        detail["builds"]?.array.first { $0["buildNumber"]?.string == build }?["status"]?.string
    }

    static func moveBuild(
        _ client: JourneyTests.Client, _ headers: HTTPHeaders, _ build: String, _ status: String
    ) async throws
        -> TestingHTTPResponse
    {
        try await client.app.testing().sendRequest(
            .POST, "api/v1/orders/\(client.orderID)/builds/\(build)/status", headers: headers, body: body(["status": .string(status)]))
    }

    static func results(_ client: JourneyTests.Client, _ headers: HTTPHeaders, _ build: String, _ kind: String) async throws -> Int {
        try await client.app.testing().sendRequest(
            .GET, "api/v1/orders/\(client.orderID)/builds/\(build)/checklists/\(kind)/results", headers: headers
        ).json.array.count
    }
}
