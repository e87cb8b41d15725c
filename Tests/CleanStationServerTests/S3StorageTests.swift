import CleanStationCore
import CleanStationS3
import Crypto
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct S3StorageTests {
    static let environment = ProcessInfo.processInfo.environment
    static let endpoint = environment["CLEANSTATION_TEST_S3_ENDPOINT"]

    @Test func documentKeysAreContentAddressed() {
        #expect(S3Storage.key(String(repeating: "ab", count: 32)) == "documents/ab/ab/" + String(repeating: "ab", count: 32))
    }

    @Test func settingsNameWhatIsMissing() throws {
        #expect { try Config.load(["S3_BUCKET": "docs"]) } throws: {
            let text = "\($0)"
            return text.contains("S3_REGION") && text.contains("S3_ACCESS_KEY_ID") && text.contains("S3_SECRET_ACCESS_KEY")
        }
        #expect { try Config.load(["S3_REGION": "eu-west-1"]) } throws: { "\($0)".contains("without S3_BUCKET") }
        #expect {
            try Config.load([
                "S3_BUCKET": "d", "S3_REGION": "r", "S3_ACCESS_KEY_ID": "k", "S3_SECRET_ACCESS_KEY": "s", "S3_ENDPOINT": "ftp://x",
            ])
        } throws: {
            "\($0)".contains("S3_ENDPOINT")
        }
        // Without a key pair, the ECS task role's temporary credentials; a session token goes with a key pair only.
        let base = ["S3_BUCKET": "d", "S3_REGION": "r"]
        let role = try Config.load(base.merging(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"]) { $1 })
        #expect(role.objectStore?.credentials == .container(.init(url: "http://169.254.170.2/v2/credentials/x")))
        let temporary = try Config.load(
            base.merging(["S3_ACCESS_KEY_ID": "ASIA", "S3_SECRET_ACCESS_KEY": "s", "S3_SESSION_TOKEN": "t"]) { $1 })
        #expect(temporary.objectStore?.credentials == .keys(.init(accessKeyID: "ASIA", secretAccessKey: "s", sessionToken: "t")))
        // The token file is the agent's to read at each fetch, not Config's `_FILE` convention once at start.
        let tokenFile = try Config.load(
            base.merging(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/x", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/no/such/file"]) {
                $1
            })
        #expect(
            tokenFile.objectStore?.credentials
                == .container(.init(url: "http://169.254.170.2/v2/x", authorizationTokenFile: "/no/such/file")))
        #expect { try Config.load(base.merging(["S3_SESSION_TOKEN": "t"]) { $1 }) } throws: {
            "\($0)".contains("S3_ACCESS_KEY_ID") && "\($0)".contains("S3_SECRET_ACCESS_KEY")
        }
        #expect { try Config.load(base.merging(["S3_ACCESS_KEY_ID": "k"]) { $1 }) } throws: { "\($0)".contains("S3_SECRET_ACCESS_KEY") }
        #expect { try Config.load(base.merging(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://203.0.113.7/x"]) { $1 }) } throws: {
            "\($0)".contains("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        }
    }

    static func settings() throws -> Config.ObjectStore {
        Config.ObjectStore(
            bucket: try #require(environment["CLEANSTATION_TEST_S3_BUCKET"]), region: "us-east-1", endpoint: endpoint,
            credentials: .keys(.init(accessKeyID: "testing", secretAccessKey: "testing")))
    }

    /// moto's S3 server on loopback (scripts/with-s3.sh): documents uploaded
    /// through the API land in the bucket under their SHA-256 and come back.
    @Test(.enabled(if: endpoint != nil), arguments: TestDatabase.all)
    func documentsGoToTheBucket(database: TestDatabase) async throws {
        let settings = try Self.settings()
        try await withTestApp(database, adjust: { $0.objectStore = settings }) { app in
            var coordinator = try await app.signIn(.productionCoordinator)
            let orderID = try await app.createOrder(headers: coordinator)
            let bytes = Data("%PDF-1.7\n% \(UUID())\n%%EOF\n".utf8)
            let (headers, upload) = DocumentsTests.multipart(kind: "DRAWING", file: ("drawing.pdf", "application/pdf", bytes))
            for (name, value) in headers { coordinator.replaceOrAdd(name: name, value: value) }
            let created = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(orderID)/documents", headers: coordinator, body: upload)
            #expect(created.status == .created, "\(created.body.string)")
            let sha256 = try #require(try created.json["sha256"]?.string)
            let storage = S3Storage(client: S3Client(settings: settings, http: app.http.client.shared))
            #expect(try await storage.read(sha256: sha256) == bytes)
            let id = try #require(try created.json["id"]?.string)
            let download = try await app.testing().sendRequest(.GET, "api/v1/documents/\(id)", headers: coordinator)
            #expect(download.status == .ok)
            #expect(Data(buffer: download.body) == bytes)
            // A staged file of several chunks goes up as a stream, and the staged copy is removed.
            let large = Data((0..<(3 << 20) + 123).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            let staged = FileManager.default.temporaryDirectory.appendingPathComponent("staged-\(UUID().uuidString)")
            try large.write(to: staged)
            let largeSHA256 = SHA256.hash(data: large).hex
            try await storage.store(file: staged, size: large.count, sha256: largeSHA256)
            #expect(try await storage.read(sha256: largeSHA256) == large)
            #expect(!FileManager.default.fileExists(atPath: staged.path))
            // Stored once: the same bytes again are not uploaded a second time, and unknown keys are not found.
            try await storage.store(bytes, sha256: sha256)
            await #expect { try await storage.read(sha256: String(repeating: "0", count: 64)) } throws: {
                "\($0)".contains("not in the bucket")
            }
        }
    }

    /// A bucket that does not exist: the error carries the server's answer.
    @Test(.enabled(if: endpoint != nil)) func failuresCarryTheServersAnswer() async throws {
        var settings = try Self.settings()
        settings.bucket = "no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())"
        let storage = S3Storage(client: S3Client(settings: settings, http: .shared))
        await #expect { try await storage.store(Data("x".utf8), sha256: String(repeating: "1", count: 64)) } throws: {
            "\($0)".contains("S3 PUT answered 404")
        }
    }
}
