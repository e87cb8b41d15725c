import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import Vapor

@testable import CleanStationS3

/// A container credentials endpoint and an S3 endpoint on loopback, both
/// scripted: what the agent hands out, and what reached the bucket.
final class FakeAWS: Sendable {
    struct Script {
        var expiration = Date(timeIntervalSince1970: 2_000_000_000)
        var status: HTTPResponseStatus = .ok
        var fetches = 0
        var authorizations: [String?] = []
        /// What each request to the bucket carried.
        var objectRequests: [HTTPHeaders] = []
    }
    let script = NIOLockedValueBox(Script())
    let app: Application
    let port: Int
    /// Holds every credentials answer until it is opened.
    let gate: EventLoopPromise<Void>

    init(gated: Bool = false) async throws {
        let app = try await Application.make(.testing)
        let gate = app.eventLoopGroup.next().makePromise(of: Void.self)
        if !gated { gate.succeed() }
        self.app = app
        self.gate = gate
        let script = self.script
        app.get("v2", "credentials", "task") { request async throws -> Response in
            let (fetch, status, expiration) = script.withLockedValue {
                $0.fetches += 1
                $0.authorizations.append(request.headers.first(name: .authorization))
                return ($0.fetches, $0.status, $0.expiration)
            }
            try await gate.futureResult.get()
            guard status == .ok else { return Response(status: status, body: "agent unavailable") }
            let body = """
                {"RoleArn":"arn:aws:iam::123456789012:role/task","AccessKeyId":"ASIA\(fetch)","SecretAccessKey":"secret-\(fetch)",\
                "Token":"token-\(fetch)","Expiration":"\(expiration.formatted(.iso8601))"}
                """
            return Response(status: .ok, headers: ["content-type": "application/json"], body: .init(string: body))
        }
        app.on(.PUT, "bucket", "**", body: .collect(maxSize: "1mb")) { request -> HTTPStatus in
            script.withLockedValue { $0.objectRequests.append(request.headers) }
            return .ok
        }
        app.on(.HEAD, "bucket", "**") { request -> HTTPStatus in
            script.withLockedValue { $0.objectRequests.append(request.headers) }
            return .notFound
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        port = try #require(app.http.server.shared.localAddress?.port)
    }

    var credentialsURL: String { "http://127.0.0.1:\(port)/v2/credentials/task" }

    func shutdown() async throws {
        gate.succeed()
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

/// A clock the test moves.
final class TestClock: Sendable {
    let time = NIOLockedValueBox(Date(timeIntervalSince1970: 2_000_000_000 - 3_600))
    func advance(to seconds: TimeInterval, from start: Date) { time.withLockedValue { $0 = start.addingTimeInterval(seconds) } }
    var now: @Sendable () -> Date { { [time] in time.withLockedValue { $0 } } }
}

@Suite struct S3CredentialsTests {
    @Test func theEnvironmentNamesTheEndpointAsTheSDKsReadIt() {
        func endpoint(_ environment: [String: String]) -> Result<S3CredentialSource.ContainerEndpoint, S3CredentialSource.Problem>? {
            S3CredentialSource.ContainerEndpoint.from { environment[$0] }
        }
        #expect(endpoint([:]) == nil)
        #expect(
            endpoint(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "t"])
                == .success(.init(url: "http://169.254.170.2/v2/credentials/abc", authorizationToken: "t")))
        #expect(
            endpoint([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/f",
            ])
                == .success(.init(url: "http://169.254.170.23/v1/credentials", authorizationTokenFile: "/f")))
        #expect(
            endpoint(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example/role"])
                == .success(.init(url: "https://creds.example/role")))
        #expect(endpoint(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.2/c"]) == .success(.init(url: "http://127.0.0.2/c")))
        #expect(endpoint(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://[::1]:51679/c"]) == .success(.init(url: "http://[::1]:51679/c")))
        #expect(
            endpoint(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://[fd00:ec2::23]/v1"]) == .success(.init(url: "http://[fd00:ec2::23]/v1"))
        )
        // Plain HTTP to anywhere else would hand the role's keys to whoever answers there.
        for refused in ["http://203.0.113.7/creds", "http://127.attacker.example/x", "ftp://127.0.0.1/x", "not a url"] {
            guard case .failure(let problem)? = endpoint(["AWS_CONTAINER_CREDENTIALS_FULL_URI": refused]) else {
                Issue.record("\(refused) was taken")
                continue
            }
            #expect(problem.text.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
        }
        guard case .failure? = endpoint(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "v2/x"]) else {
            Issue.record("a relative URI without its slash was taken")
            return
        }
    }

    @Test func aKeyPairIsHandedOutAsGivenWithoutAFetch() async throws {
        let keys = S3Credentials(accessKeyID: "AKIA", secretAccessKey: "s", sessionToken: "t")
        let provider = S3CredentialProvider(source: .keys(keys), client: .shared)
        #expect(try await provider.current() == keys)
        #expect(await provider.fetches == 0)
    }

    /// Fetched once, then again behind valid ones within `refreshMargin` of
    /// their expiry; a failed refresh keeps valid ones, and never expired ones.
    @Test func temporaryCredentialsAreRefreshedBeforeTheyExpire() async throws {
        let aws = try await FakeAWS()
        let clock = TestClock()
        let start = clock.now()
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("container-token-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tokenFile) }
        try "first-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let endpoint = S3CredentialSource.ContainerEndpoint(url: aws.credentialsURL, authorizationTokenFile: tokenFile.path)
        let provider = S3CredentialProvider(
            source: .container(endpoint), client: .shared, refreshMargin: 300, timeout: .seconds(60), now: clock.now)
        do {
            let first = try await provider.current()
            #expect(first.accessKeyID == "ASIA1")
            #expect(first.sessionToken == "token-1")
            #expect(first.expiration == start.addingTimeInterval(3_600))
            // Ten minutes before they expire: still the same, no fetch.
            clock.advance(to: 3_000, from: start)
            #expect(try await provider.current().accessKeyID == "ASIA1")
            #expect(aws.script.withLockedValue { $0.fetches } == 1)
            // Within the margin: still handed out at once, and fetched again behind them, with the token file read
            // again (the agent rotates it); the next call has the new ones.
            try "second-token".write(to: tokenFile, atomically: true, encoding: .utf8)
            aws.script.withLockedValue { $0.expiration = start.addingTimeInterval(7_200) }
            clock.advance(to: 3_400, from: start)
            #expect(try await provider.current().accessKeyID == "ASIA1")
            await provider.settled()
            #expect(try await provider.current().accessKeyID == "ASIA2")
            #expect(aws.script.withLockedValue { $0.authorizations } == ["first-token", "second-token"])
            // The agent fails while the current ones are still valid: those are used, and the next try waits 30 s.
            aws.script.withLockedValue { $0.status = .serviceUnavailable }
            clock.advance(to: 6_950, from: start)
            #expect(try await provider.current().accessKeyID == "ASIA2")
            await provider.settled()
            clock.advance(to: 6_960, from: start)
            #expect(try await provider.current().accessKeyID == "ASIA2")
            #expect(await provider.fetches == 3, "no second try within 30 s")
            // Expired, and the agent still failing: an error naming the endpoint and its answer, not expired keys.
            clock.advance(to: 7_300, from: start)
            await #expect { try await provider.current() } throws: {
                "\($0)".contains(aws.credentialsURL) && "\($0)".contains("answered 503")
            }
            aws.script.withLockedValue {
                $0.status = .ok
                $0.expiration = start.addingTimeInterval(10_800)
            }
            #expect(try await provider.current().accessKeyID == "ASIA5")
            #expect(await provider.fetches == 5)
        } catch {
            try await aws.shutdown()
            throw error
        }
        try await aws.shutdown()
    }

    /// Twenty requests needing credentials at once, with none cached, make one fetch.
    @Test(.timeLimit(.minutes(2))) func twentyCallersAtOnceMakeOneFetch() async throws {
        let aws = try await FakeAWS(gated: true)
        // A long time-out: the answer is held until all twenty wait for it, however busy the machine.
        let provider = S3CredentialProvider(source: .container(.init(url: aws.credentialsURL)), client: .shared, timeout: .seconds(120))
        do {
            try await withThrowingTaskGroup(of: S3Credentials.self) { group in
                for _ in 0..<20 { group.addTask { try await provider.current() } }
                await provider.untilWaiting(20)
                aws.gate.succeed()
                var keys: Set<String> = []
                for try await credentials in group { keys.insert(credentials.accessKeyID) }
                #expect(keys == ["ASIA1"])
            }
            #expect(aws.script.withLockedValue { $0.fetches } == 1)
            #expect(await provider.fetches == 1)
        } catch {
            try await aws.shutdown()
            throw error
        }
        try await aws.shutdown()
    }

    /// An answer without credentials, with expired ones, or one that stalls after its headers: each is an error
    /// that says so, and a stalled one ends at the time-out instead of holding every later caller.
    @Test func aBadAnswerIsNamedAndAStalledOneEnds() async throws {
        let app = try await Application.make(.testing)
        let release = app.eventLoopGroup.next().makePromise(of: Void.self)
        app.get("creds") { _ in #"{"AccessKeyId":"ASIA","Expiration":"soon"}"# }
        app.get("expired") { _ in
            #"{"AccessKeyId":"ASIA","SecretAccessKey":"s","Token":"t","Expiration":"2001-01-01T00:00:00Z"}"#
        }
        app.get("stall") { _ in
            Response(
                status: .ok,
                body: .init(asyncStream: { writer in
                    try await writer.write(.buffer(ByteBuffer(string: #"{"AccessKeyId":"#)))
                    try await release.futureResult.get()
                    try await writer.write(.end)
                }))
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try #require(app.http.server.shared.localAddress?.port)
        func provider(_ path: String, timeout: TimeAmount = .seconds(60)) -> S3CredentialProvider {
            S3CredentialProvider(source: .container(.init(url: "http://127.0.0.1:\(port)/\(path)")), client: .shared, timeout: timeout)
        }
        await #expect { try await provider("creds").current() } throws: { "\($0)".contains("without AccessKeyId, SecretAccessKey") }
        await #expect { try await provider("expired").current() } throws: { "\($0)".contains("expired at 2001-01-01T00:00:00Z") }
        await #expect { try await provider("stall", timeout: .milliseconds(500)).current() } throws: {
            "\($0)".contains("did not answer within")
        }
        release.succeed()
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    /// Every request to the bucket carries the task role's session token,
    /// signed, and its temporary key; both change once the keys are refreshed.
    @Test func requestsToTheBucketCarryTheSessionToken() async throws {
        let aws = try await FakeAWS()
        let clock = TestClock()
        let start = clock.now()
        let settings = S3Settings(
            bucket: "bucket", region: "eu-west-1", endpoint: "http://127.0.0.1:\(aws.port)",
            credentials: .container(.init(url: aws.credentialsURL)))
        let client = S3Client(
            settings: settings, http: .shared,
            credentials: S3CredentialProvider(
                source: settings.credentials, client: .shared, refreshMargin: 300, timeout: .seconds(60), now: clock.now))
        do {
            #expect(try await client.exists("documents/a") == false)
            try await client.put("documents/a", body: Data("a".utf8))
            aws.script.withLockedValue { $0.expiration = start.addingTimeInterval(7_200) }
            clock.advance(to: 3_500, from: start)
            try await client.put("documents/b", body: Data("b".utf8))
            await client.credentials.settled()
            try await client.put("documents/c", body: Data("c".utf8))
            let requests = aws.script.withLockedValue { $0.objectRequests }
            #expect(requests.map { $0.first(name: "x-amz-security-token") } == ["token-1", "token-1", "token-1", "token-2"])
            for (request, key) in zip(requests, ["ASIA1", "ASIA1", "ASIA1", "ASIA2"]) {
                let authorization = request.first(name: .authorization) ?? ""
                #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=\(key)/"))
                #expect(authorization.contains("x-amz-security-token"))
            }
        } catch {
            try await aws.shutdown()
            throw error
        }
        try await aws.shutdown()
    }
}
