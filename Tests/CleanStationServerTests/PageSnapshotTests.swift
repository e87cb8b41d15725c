import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

/// Whole-page HTML snapshots of pages whose content does not depend on the
/// data: a template change shows up as a diff to review. The CSRF token and
/// the signed draft, which change on every render, are replaced by
/// placeholders. `SNAPSHOT_RECORD=1 swift test --filter PageSnapshotTests`
/// writes the files anew.
@Suite(.serialized) struct PageSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func normalized(_ html: String) -> String {
        html.replacing(/name="_csrf" value="[^"]+"/, with: #"name="_csrf" value="CSRF""#)
            .replacing(/name="draft" value="[^"]+"/, with: #"name="draft" value="DRAFT""#)
            .replacing(/<strong>Page [A-Z_]+<\/strong>/, with: "<strong>USER</strong>")
    }

    func check(_ name: String, _ html: String) throws {
        let file = Self.folder.appendingPathComponent("\(name).html")
        let page = Self.normalized(html)
        if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try page.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let stored = try String(contentsOf: file, encoding: .utf8)
        #expect(page == stored, "\(name).html differs from its snapshot: review the change, then record with SNAPSHOT_RECORD=1")
    }

    @Test func theSignInPage() async throws {
        try await withTestApp(.sqlite) { app in
            try check("login", try await app.testing().sendRequest(.GET, "/login?next=%2Fqc").body.string)
        }
    }

    @Test func theFirstStepOfTheOrderWizard() async throws {
        try await withTestApp(.sqlite) { app in
            var client = try await WebClient.signIn(app, .productionCoordinator)
            try check("wizard-customer", try await client.get("/orders/new").body.string)
        }
    }

    @Test func theErrorPage() async throws {
        try await withTestApp(.sqlite) { app in
            var client = try await WebClient.signIn(app, .assembler)
            let html = try await client.get("/admin/users").body.string
            try check("error-forbidden", html.replacing(/<code>[0-9A-Fa-f-]{36}<\/code>/, with: "<code>REQUEST-ID</code>"))
        }
    }
}
