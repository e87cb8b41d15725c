import CleanStationCore
import Fluent
import FluentPostgresDriver
import Foundation
import NIOHTTP1
import SQLKit
import Testing
import VaporTesting

@testable import CleanStationServer

#if canImport(Glibc)
import Glibc
#endif

/// The databases the integration tests run on: SQLite always, and the
/// PostgreSQL cluster that `make test` provisions (CLEANSTATION_TEST_POSTGRES_URL).
enum TestDatabase: String, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    static let postgresAdminURL = ProcessInfo.processInfo.environment["CLEANSTATION_TEST_POSTGRES_URL"]

    /// Set by `scripts/with-pgbouncer.sh`.
    static let behindPgBouncer = ProcessInfo.processInfo.environment["CLEANSTATION_TEST_PGBOUNCER"] == "1"

    static var all: [TestDatabase] {
        postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }
}

/// A configured, migrated app on a database of its own, shut down and
/// dropped afterwards.
func withTestApp(
    _ database: TestDatabase, adjust: (inout Config) -> Void = { _ in }, _ body: (Application) async throws -> Void
) async throws {
    var (config, cleanup) = try await testDatabase(database, sqlite: .sqliteInMemory)
    adjust(&config)
    // The testing configuration keeps documents in a directory of its own under /tmp.
    let documents = config.documentsDirectory
    defer { try? FileManager.default.removeItem(atPath: documents) }
    let app = try await Application.make(.testing, .singleton)
    do {
        try await configure(app, config: config)
        try await prepareDatabase(app)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        try? await cleanup?()
        throw error
    }
    try await app.asyncShutdown()
    try await cleanup?()
}

/// A database that outlives one app: `start` configures and migrates a new
/// app on it each time it is called (the caller shuts it down), so a test
/// can restart the server in the middle. Dropped afterwards.
func withRestartableDatabase(
    _ database: TestDatabase, _ body: (_ start: () async throws -> Application) async throws -> Void
) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("cs-restart-\(UUID().uuidString).sqlite").path
    let (config, dropped) = try await testDatabase(database, sqlite: .sqlite(path: path))
    let cleanup: @Sendable () async throws -> Void = {
        try await dropped?()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    let documents = config.documentsDirectory
    defer { try? FileManager.default.removeItem(atPath: documents) }
    let fixed = config
    do {
        try await body {
            let app = try await Application.make(.testing, .singleton)
            do {
                try await configure(app, config: fixed)
                try await prepareDatabase(app)
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            return app
        }
    } catch {
        try? await cleanup()
        throw error
    }
    try await cleanup()
}

/// The testing configuration on `database`: SQLite as given, or a new
/// PostgreSQL database of the provisioned cluster, with what drops it.
func testDatabase(_ database: TestDatabase, sqlite: Config.Database) async throws -> (Config, (@Sendable () async throws -> Void)?) {
    switch database {
    case .sqlite:
        return (.testing(database: sqlite), nil)
    case .postgres:
        let adminURL = try #require(TestDatabase.postgresAdminURL)
        let name = "cs_test_\(UUID().uuidString.prefix(8).lowercased())"
        try await adminQuery(adminURL, "CREATE DATABASE \(name)")
        var components = try #require(URLComponents(string: adminURL))
        components.path = "/\(name)"
        var config = Config.testing(database: .postgres(url: components.string!))
        // Behind PgBouncer 1.18 in transaction mode a statement prepared on one server connection is unknown on the next.
        config.databasePreparedStatements = !TestDatabase.behindPgBouncer
        return (config, { try await adminQuery(adminURL, "DROP DATABASE \(name) WITH (FORCE)") })
    }
}

func adminQuery(_ url: String, _ statement: String) async throws {
    let app = try await Application.make(.testing)
    do {
        app.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
        try await (app.db as! any SQLDatabase).raw("\(unsafeRaw: statement)").run()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// A password that passes the policy, used for every test user.
let testPassword = "Correct-Horse-42!"

extension Application {
    /// Creates a user of `role` and signs in; returns the bearer headers.
    func signIn(_ role: Role, email: String? = nil) async throws -> HTTPHeaders {
        let email = email ?? "\(role.rawValue.lowercased())-\(UUID().uuidString.prefix(6))@test.torvan.test"
        let new = UsersController.NewUser(
            email: email, fullName: "Test \(role.rawValue)", initials: "TT", role: role, password: testPassword)
        _ = try await UsersController.create(new, cost: 4, actor: .system, on: db, hasher: passwordHasher)
        return try await login(email: email)
    }

    /// Creates the standard two-build order (`orderBody()`) and returns its id.
    func createOrder(headers: HTTPHeaders, po: String = "PO-2026-0042", builds: [String] = ["B1001", "B1002"]) async throws -> String {
        let created = try await testing().sendRequest(
            .POST, "api/v1/orders", headers: headers, body: body(orderBody(po: po, builds: builds)))
        #expect(created.status == .created, "\(created.body.string)")
        return try #require(try created.json["id"]?.string)
    }

    func login(email: String, password: String = testPassword) async throws -> HTTPHeaders {
        let response = try await testing().sendRequest(
            .POST, "api/v1/auth/login", headers: jsonHeaders, body: body(["email": .string(email), "password": .string(password)]))
        #expect(response.status == .ok, "\(response.body.string)")
        let token = try JSONParser.parse(response.body.string)["accessToken"]
        guard case .string(let access) = token else { throw TestFailure("no access token in \(response.body.string)") }
        var headers = jsonHeaders
        headers.bearerAuthorization = BearerAuthorization(token: access)
        return headers
    }
}

let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json"]

func body(_ members: KeyValuePairs<String, JSONValue>) -> ByteBuffer {
    body(.object(members.map { JSONMember($0.key, $0.value) }))
}

func body(_ value: JSONValue) -> ByteBuffer {
    ByteBuffer(bytes: JSONSerializer.bytes(value))
}

extension TestingHTTPResponse {
    var json: JSONValue {
        get throws { try JSONParser.parse(body.string) }
    }

    /// The `error.code` of an error envelope.
    var errorCode: String? {
        guard case .string(let code)? = (try? json)?["error"]?["code"] else { return nil }
        return code
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
