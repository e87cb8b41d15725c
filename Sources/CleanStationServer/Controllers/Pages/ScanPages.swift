import CleanStationCore
import Fluent
import Vapor

/// "Scan": a label's code read by the tablet's camera where the browser has
/// `BarcodeDetector`, or the number under it typed. Either opens the build's
/// or the catalogue item's page; a code of another site, or of any other
/// page of this one, opens nothing.
enum ScanPages {
    struct View: Encodable {
        var code: String
        var error: String?
    }

    static func show(_ request: Request) async throws -> Response {
        let code = (request.query[String.self, at: "code"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !code.isEmpty else { return try await render(request, View(code: "", error: nil)) }
        if let path = try await destination(of: code, request) { return request.redirect(to: path) }
        let response = try await render(
            request,
            View(
                code: code,
                error: "No build or catalogue item has the number or code “\(code)”: check it, or type the number under the code."))
        response.status = .unprocessableEntity
        return response
    }

    private static func render(_ request: Request, _ view: View) async throws -> Response {
        try await Chrome.render(request, "scan", title: "Scan a code", view, section: SiteURL.scan.path)
    }

    /// The page a code leads to: a code this application printed (the scheme, host and port of its
    /// `PUBLIC_URL`, and a build's or an item's page that exists), a build number, or a catalogue item's
    /// number; nil when it names none. The address sent back is always made here from what was found,
    /// never copied from the code.
    static func destination(of code: String, _ request: Request) async throws -> String? {
        let catalog = request.application.catalogStore.snapshot.catalog
        if code.lowercased().hasPrefix("http://") || code.lowercased().hasPrefix("https://") {
            guard let scanned = URLComponents(string: code), let ours = URLComponents(string: request.application.publicURL),
                scanned.scheme?.lowercased() == ours.scheme?.lowercased(), scanned.host?.lowercased() == ours.host?.lowercased(),
                scanned.port == ours.port, scanned.query == nil, scanned.fragment == nil
            else { return nil }
            let prefix = ours.percentEncodedPath.split(separator: "/").count
            let parts = scanned.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst(prefix + 1)
                .map { $0.removingPercentEncoding ?? "" }
            if let found = SiteURL.build(.key, .key).match(Array(parts)), let orderID = found["orderID"].flatMap(UUID.init(uuidString:)),
                let number = found["buildNumber"]
            {
                return try await Build.query(on: request.db).filter(\.$order.$id == orderID).filter(\.$buildNumber == number.uppercased())
                    .field(\.$id).field(\.$order.$id).field(\.$buildNumber).first().map(path(of:))
            }
            if let id = SiteURL.catalogItem(.key).match(Array(parts))?["itemID"], catalog.contains(id) {
                return SiteURL.catalogItem(.value(id)).path
            }
            return nil
        }
        // The two columns of the path, not the build's configuration and BOM.
        if let build = try await Build.query(on: request.db).filter(\.$buildNumber == code.uppercased())
            .field(\.$id).field(\.$order.$id).field(\.$buildNumber).first()
        {
            return path(of: build)
        }
        if let id = catalog.id(matching: code) { return SiteURL.catalogItem(.value(id)).path }
        return nil
    }

    private static func path(of build: Build) -> String {
        SiteURL.build(build.$order.id, build.buildNumber).path
    }
}
