import CleanStationCore
import CleanStationTestSupport
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

/// Typed page paths (issue 19): the routes are registered from `SiteURL`,
/// and every link a page renders opens one of them.
@Suite struct SiteURLTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The addresses in a page's links, forms and images that point into the site.
    static func addresses(_ html: String) -> [(attribute: String, value: String)] {
        let pattern = #/(href|action|formaction|src|data-autosave)="([^"]*)"/#
        return html.matches(of: pattern).map { (String($0.output.1), String($0.output.2)) }
    }

    /// Whether a page route answers the address (its path, without query or fragment).
    static func opens(_ address: String) -> Bool {
        let path = address.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let segments = path.split(separator: "/").map { Substring($0.removingPercentEncoding ?? String($0)) }
        return Pages.all.dropLast().contains { $0.matches(segments) }
    }

    /// The page's addresses that open nothing: empty, or starting with a query or fragment (a model's field
    /// missing before it), or a path of this site that no page route answers.
    static func broken(_ html: String, at page: String) -> [String] {
        addresses(html).compactMap { attribute, value in
            let ours = value.hasPrefix("/") && !value.hasPrefix("/css/") && !value.hasPrefix("/js/")
            let missing = value.isEmpty || value.hasPrefix("?") || (value.hasPrefix("#") && attribute != "href")
            return missing || (ours && !opens(value)) ? "\(page): \(attribute)=\"\(value)\"" : nil
        }
    }

    @Test func aLinkIsMatchedByTheRouteItWasBuiltFrom() {
        let build = SiteURL.checklist(UUID(), "B1001", .eolTest, .draft)
        #expect(build.path.hasSuffix("/builds/B1001/checklists/eol-test/draft"))
        #expect(Self.opens(build.path))
        #expect(SiteURL.build(.key, .key, .checklist(.key, .draft)).pattern == "orders/:orderID/builds/:buildNumber/checklists/:kind/draft")
        #expect(SiteURL.catalogItem(.value("A/B C")).path == "/catalog/items/A%2FB%20C", "a value is one segment")
        #expect(SiteURL.catalogItem(.key).match(["catalog", "items", "A/B C"]) == ["itemID": "A/B C"])
        #expect(SiteURL.catalogItem(.key).match(["catalog", "parts", "X"]) == nil)
        #expect(!Self.opens("/orders/x/builds/B1001/nowhere"), "the check itself refuses an address no route answers")
    }

    /// A value that needs no encoding is taken as it is; every other is encoded as Foundation encodes it.
    @Test func aSegmentIsEncodedAsFoundationEncodesIt() {
        let values = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["B1001", "Ünter", "a b", "100%", "x/y", "é", "🚿", ""]
        for value in values {
            let expected = value.addingPercentEncoding(withAllowedCharacters: SiteURL.segmentCharacters) ?? value
            #expect(SiteURL.catalogItem(.value(value)).path == "/catalog/items/" + expected, "\(value.debugDescription)")
            if value.utf8.allSatisfy(SiteURL.isUnreserved) { #expect(expected == value) }
        }
    }

    /// Templates and page code write no address of their own: each comes from `SiteURL`.
    @Test func noTemplateOrPageWritesAnAddressByHand() throws {
        let files = FileManager.default
        var found: [String] = []
        let views = Self.root.appendingPathComponent("Resources/Views")
        for name in try files.contentsOfDirectory(atPath: views.path) where name.hasSuffix(".leaf") {
            let text = try String(contentsOf: views.appendingPathComponent(name), encoding: .utf8)
            for (attribute, value) in Self.addresses(text)
            where value.hasPrefix("/") && !value.hasPrefix("/css/") && !value.hasPrefix("/js/") {
                found.append("\(name): \(attribute)=\"\(value)\"")
            }
        }
        let pages = Self.root.appendingPathComponent("Sources/CleanStationServer/Controllers/Pages")
        for name in try files.contentsOfDirectory(atPath: pages.path) where name.hasSuffix(".swift") && name != "SiteURL.swift" {
            let text = try String(contentsOf: pages.appendingPathComponent(name), encoding: .utf8)
            for match in text.matches(of: #/"/[a-z][^"]*"/#) where !match.output.hasPrefix("\"/api/") {
                found.append("\(name): \(match.output)")
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// Every address a person's pages render opens a page: a field a template names and its model lacks renders
    /// empty, and an address no route answers is found here.
    @Test func everyLinkOnThePagesOpensAPage() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try await app.createOrder(headers: coordinator)
            let build = "/orders/\(orderID)/builds/B1001"
            var visited = 0
            var broken: [String] = []
            let pages: [(Role, [String])] = [
                (
                    .admin,
                    [
                        "/orders", "/orders/\(orderID)", "/orders/\(orderID)/print", build, "\(build)/tasks", "\(build)/checklists/pre-qc",
                        "/nonconformances", "/notifications", "/service", "/account", "/account/mfa", "/scan", "/admin/users",
                        "/admin/audit", "/admin/templates", "/admin/instruments", "/admin/tools", "/admin/work-instructions",
                        "/admin/catalog", "/catalog/items/T2-DL27-KIT", "/procurement", "/procurement/parts", "/qc", "/production",
                    ]
                ),
                (.procurementSpecialist, ["/procurement", "/orders/\(orderID)", build]),
                (.assembler, ["/production", build]),
                (.serviceDepartment, ["/service"]),
            ]
            for (role, paths) in pages {
                var person = try await WebClient.signIn(app, role)
                for path in paths {
                    let page = try await person.get(path)
                    #expect(page.status == .ok, "\(role) \(path)")
                    visited += Self.addresses(page.body.string).count
                    broken += Self.broken(page.body.string, at: path)
                }
            }
            // A user's page, by the link the list gives.
            var admin = try await WebClient.signIn(app, .admin)
            let user = try #require(
                Self.addresses(try await admin.get("/admin/users").body.string).first { $0.value.hasPrefix("/admin/users/") })
            broken += Self.broken(try await admin.get(user.value).body.string, at: user.value)
            #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
            #expect(visited > 200, "the pages were read: \(visited) addresses")
        }
    }
}
