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
        return (
            .testing(database: .postgres(url: components.string!)), { try await adminQuery(adminURL, "DROP DATABASE \(name) WITH (FORCE)") }
        )
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

@Suite struct TestEnvironmentTests {
    /// CI must exercise PostgreSQL, S3 and SMTP: `make test` provisions them, so their absence there is a failure, not a skip.
    @Test func serversAreProvisionedUnderMakeTest() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["CLEANSTATION_TEST_REQUIRE_POSTGRES"] == "1" else { return }
        #expect(TestDatabase.postgresAdminURL != nil, "make test starts a PostgreSQL cluster; it is missing")
        #expect(environment["CLEANSTATION_TEST_S3_ENDPOINT"] != nil, "make test starts moto's S3 server; it is missing")
        #expect(environment["CLEANSTATION_TEST_SMTP_URL"] != nil, "make test starts an SMTP server; it is missing")
    }
}

/// A loopback port nobody listens on right now.
func freePort() throws -> Int {
    let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
    guard bound == 0 else { throw TestFailure("cannot bind a loopback socket") }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A real loopback connection for what an HTTP client library would not
/// send: a length declared and not sent, a body sent in parts.
final class RawConnection: Sendable {
    let socket: Int32

    /// `answer` waits `timeout` seconds at most.
    init(port: Int, timeout seconds: Int = 10) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw TestFailure("cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { close(socket) }

    /// Sends every byte, once the peer has taken them into its buffers. The
    /// blocking calls run on a thread of their own, never on the pool that
    /// the server in this process answers on.
    func send(_ bytes: [UInt8]) async {
        let socket = socket
        await Self.blocking {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { return }
                offset += sent
            }
        }
    }

    /// The start of the answer, its status line first.
    func answer() async -> String {
        let socket = socket
        return await Self.blocking {
            var answer = [UInt8](repeating: 0, count: 4096)
            let read = recv(socket, &answer, answer.count, 0)
            return read > 0 ? String(decoding: answer[..<read], as: UTF8.self) : ""
        }
    }

    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }
}

/// Sends a request head and the first `bodyBytes` of a body, as a client
/// that declares more than it sends yet, and returns the start of the answer.
func rawHTTPExchange(port: Int, head: String, bodyBytes: Int) async throws -> String {
    let connection = try RawConnection(port: port)
    await connection.send(Array(head.utf8) + [UInt8](repeating: 0x61, count: bodyBytes))
    return await connection.answer()
}
