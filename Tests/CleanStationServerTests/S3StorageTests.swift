import CleanStationCore
import Crypto
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct S3StorageTests {
    static let environment = ProcessInfo.processInfo.environment
    static let endpoint = environment["CLEANSTATION_TEST_S3_ENDPOINT"]

    static let signer = SigV4Signer(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
    static let exampleDate = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    /// AWS's documented example "GET Object" (sig-v4-header-based-auth).
    @Test func signsAWSDocumentedExample() {
        let headers = Self.signer.sign(
            method: "GET", path: "/test.txt", headers: ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"],
            payloadSHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", date: Self.exampleDate)
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(
            headers["authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// A path-style PUT with a port in the host, as botocore signs it.
    @Test func signsPathStylePutLikeBotocore() {
        var signer = Self.signer
        signer.region = "eu-central-1"
        let headers = signer.sign(
            method: "PUT", path: "/bucket/documents/ab/cd/abcd",
            headers: ["host": "127.0.0.1:9000", "content-type": "application/octet-stream"],
            payloadSHA256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", date: Self.exampleDate)
        #expect(headers["authorization"]?.hasSuffix("Signature=ed9e7946d93df927914a63b25af42439730ad0bbada804eeded59424f735cc87") == true)
    }

    @Test func locationsArePathStyleForAnEndpointAndVirtualHostedForAWS() {
        let client = HTTPClient.shared
        let settings = Config.ObjectStore(
            bucket: "docs", region: "eu-west-1", endpoint: "http://127.0.0.1:9000", accessKeyID: "k", secretAccessKey: "s")
        let key = S3Storage.key(String(repeating: "ab", count: 32))
        #expect(key == "documents/ab/ab/" + String(repeating: "ab", count: 32))
        #expect(S3Storage(settings: settings, client: client).location(key).url == "http://127.0.0.1:9000/docs/\(key)")
        var aws = settings
        aws.endpoint = nil
        let location = S3Storage(settings: aws, client: client).location(key)
        #expect(location.url == "https://docs.s3.eu-west-1.amazonaws.com/\(key)")
        #expect(location.host == "docs.s3.eu-west-1.amazonaws.com")
    }

    @Test func settingsNameWhatIsMissing() {
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
    }

    static func settings() throws -> Config.ObjectStore {
        Config.ObjectStore(
            bucket: try #require(environment["CLEANSTATION_TEST_S3_BUCKET"]), region: "us-east-1", endpoint: endpoint,
            accessKeyID: "testing", secretAccessKey: "testing")
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
            let storage = S3Storage(settings: settings, client: app.http.client.shared)
            #expect(try await storage.read(sha256: sha256) == bytes)
            let id = try #require(try created.json["id"]?.string)
            let download = try await app.testing().sendRequest(.GET, "api/v1/documents/\(id)", headers: coordinator)
            #expect(download.status == .ok)
            #expect(Data(buffer: download.body) == bytes)
            // A staged file of several chunks goes up as a stream, and the staged copy is removed.
            let large = Data((0..<(3 << 20) + 123).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            let staged = FileManager.default.temporaryDirectory.appendingPathComponent("staged-\(UUID().uuidString)")
            try large.write(to: staged)
            let largeSHA256 = SHA256.hash(data: large).hexString
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
        let storage = S3Storage(settings: settings, client: HTTPClient.shared)
        await #expect { try await storage.store(Data("x".utf8), sha256: String(repeating: "1", count: 64)) } throws: {
            "\($0)".contains("S3 PUT answered 404")
        }
    }
}
