import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

/// A browser's side of the pages: its cookies and the CSRF token of the last page.
struct WebClient {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf = ""

    var cookieHeaders: HTTPHeaders {
        ["Cookie": cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    mutating func keep(_ response: TestingHTTPResponse) {
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            cookies[pair[0]] = pair.count > 1 ? pair[1] : ""
            if header.contains("Max-Age=0") { cookies[pair[0]] = nil }
        }
        if let range = response.body.string.range(of: #"name="_csrf" value="[^"]+""#, options: .regularExpression) {
            csrf = String(response.body.string[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
        }
    }

    mutating func get(_ path: String) async throws -> TestingHTTPResponse {
        let response = try await app.testing().sendRequest(.GET, path, headers: cookieHeaders)
        keep(response)
        return response
    }

    mutating func post(
        _ path: String, _ fields: [(String, String)], csrf: Bool = true, headers extra: HTTPHeaders = [:]
    ) async throws -> TestingHTTPResponse {
        var headers = cookieHeaders
        headers.contentType = .urlEncodedForm
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        let all = (csrf ? [("_csrf", self.csrf)] : []) + fields
        let form = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: form))
        keep(response)
        return response
    }

    /// A multipart form with a file, as a browser sends an upload.
    mutating func upload(
        _ path: String, _ fields: [(String, String)], file: (name: String, type: String, bytes: Data)
    ) async throws
        -> TestingHTTPResponse
    {
        var headers = cookieHeaders
        let (multipart, body) = DocumentsTests.multipart(kind: nil, file: file, fields: [("_csrf", csrf)] + fields)
        for (name, value) in multipart { headers.replaceOrAdd(name: name, value: value) }
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: body)
        keep(response)
        return response
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// A new user of `role`, signed in through the sign-in page.
    static func signIn(_ app: Application, _ role: Role) async throws -> WebClient {
        let email = "\(role.rawValue.lowercased())-\(UUID().uuidString.prefix(6))@test.torvan.test"
        _ = try await UsersController.create(
            .init(email: email, fullName: "Page \(role.rawValue)", initials: "PT", role: role, password: testPassword), cost: 4,
            actor: .system, on: app.db, hasher: app.passwordHasher)
        return try await signIn(app, email: email)
    }

    /// An existing user, signed in through the sign-in page.
    static func signIn(_ app: Application, email: String, password: String = testPassword) async throws -> WebClient {
        var client = WebClient(app: app)
        _ = try await client.get("/login")
        let response = try await client.post("/login", [("email", email), ("password", password), ("next", "/")])
        #expect(response.status == .seeOther, "\(response.body.string)")
        // As a browser does: the redirect's page carries this session's form token.
        if let home = response.headers.first(name: .location) { _ = try await client.get(home) }
        return client
    }
}

/// Every `<input>`, `<select>` and `<textarea>` that a person sees has a label.
func unlabelledControls(_ html: String) -> [String] {
    let controls = html.matches(of: /<(input|select|textarea)\b[^>]*>/).map { String($0.output.0) }
    return controls.filter { control in
        if control.contains(#"type="hidden""#) || control.contains(#"aria-hidden="true""#) || control.contains("aria-label=") {
            return false
        }
        guard let id = control.firstMatch(of: /\bid="([^"]+)"/)?.output.1 else { return true }
        return !html.contains(#"for="\#(id)""#)
    }
}
