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
        try await Chrome.render(request, "scan", title: "Scan a code", view, section: "/scan")
    }

    /// The page a code leads to: a code this application printed (its `PUBLIC_URL` and a build's or an
    /// item's page), a build number, or a catalogue item's number; nil when it names none.
    static func destination(of code: String, _ request: Request) async throws -> String? {
        let publicURL = request.application.publicURL
        if code.lowercased().hasPrefix("http://") || code.lowercased().hasPrefix("https://") {
            guard code.hasPrefix(publicURL + "/"), let path = URL(string: code)?.path else { return nil }
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let isBuild = parts.count == 5 && parts[1] == "orders" && UUID(uuidString: parts[2]) != nil && parts[3] == "builds"
            let isItem = parts.count == 4 && parts[1] == "catalog" && parts[2] == "items" && !parts[3].isEmpty
            guard isBuild || isItem else { return nil }
            return isBuild ? path : CatalogPages.path(of: parts[3])
        }
        let number = code.uppercased()
        if let build = try await Build.query(on: request.db).filter(\.$buildNumber == number).first() {
            return "/orders/\(build.$order.id.uuidString.lowercased())/builds/\(build.buildNumber)"
        }
        let catalog = request.application.catalogStore.snapshot.catalog
        for id in [code, number] where catalog.contains(id) { return CatalogPages.path(of: id) }
        return nil
    }
}
