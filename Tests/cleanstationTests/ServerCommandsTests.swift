import CleanStationCore
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `demo`, `audit verify`, `user create` and `serve`, run as processes on
/// a SQLite file of their own.
@Suite struct ServerCommandsTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cleanstation-cli-\(UUID().uuidString)")

    var environment: [String: String] {
        ["SQLITE_PATH": directory.appendingPathComponent("cleanstation.sqlite").path, "PASSWORD_HASH_COST": "4", "LOG_LEVEL": "warning"]
    }

    @Test func demoThenAuditVerifyThenATamperedByte() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let demo = try BOMCommandTests.run(["demo"], environment: environment)
        #expect(demo.status == 0, "\(demo.stderr)")
        let logins = demo.stdout.split(separator: "\n").filter { $0.contains("@demo.torvan.test") }
        #expect(logins.count == 6)
        let again = try BOMCommandTests.run(["demo"], environment: environment)
        #expect(again.stdout.contains("has users already"))

        let intact = try BOMCommandTests.run(["audit", "verify"], environment: environment)
        #expect(intact.status == 0, "\(intact.stderr)")
        #expect(intact.stdout.contains("intact"))

        let file = directory.appendingPathComponent("cleanstation.sqlite")
        var bytes = try Data(contentsOf: file)
        let marker = Data(#""poNumber":"PO-DEMO-1001""#.utf8)
        let range = try #require(bytes.range(of: marker))
        bytes[range.upperBound - 2] ^= 0x01
        try bytes.write(to: file)
        let broken = try BOMCommandTests.run(["audit", "verify"], environment: environment)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("audit entry 7 is broken"), "\(broken.stderr)")
    }

    @Test func userCreateReadsThePasswordFromStdin() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = [
            "user", "create", "--email", "Kim@Torvan.test", "--role", "QC_PERSON", "--full-name", "Kim Lee", "--initials", "KL",
            "--password-stdin",
        ]
        let created = try BOMCommandTests.run(arguments, environment: environment, stdin: "Strong-Enough-99!\n")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("kim@torvan.test"))
        let weak = try BOMCommandTests.run(arguments, environment: environment, stdin: "weak\n")
        #expect(weak.status != 0)
        #expect(weak.stderr.contains("password"))
    }

    @Test func serveAnswersOverRealHTTP() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try freePort()
        var environment = environment
        environment["PORT"] = String(port)
        environment["LOG_LEVEL"] = "info"
        let server = try BOMCommandTests.start(["serve"], environment: environment)
        defer { server.process.terminate(); server.process.waitUntilExit() }
        try server.waitForLine(containing: "Server started on")
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/api/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(try JSONParser.parse(data)["status"] == "ok")
        let (_, ready) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/api/ready")!)
        #expect((ready as? HTTPURLResponse)?.statusCode == 200)
    }

    private func freePort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
