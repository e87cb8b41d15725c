import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// A key pair, with the session token and expiry of temporary credentials.
public struct S3Credentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Temporary credentials only: sent and signed as `x-amz-security-token`.
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for a long-lived key pair.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }
}

/// Where the credentials come from.
public enum S3CredentialSource: Sendable, Equatable {
    /// A key pair given in the environment (`S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`,
    /// and `S3_SESSION_TOKEN` for temporary ones), for an S3-compatible server or a key made by hand.
    case keys(S3Credentials)
    /// The ECS task role's temporary credentials, from the container credentials
    /// endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` on ECS, or
    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI`), fetched again before they expire.
    case container(ContainerEndpoint)

    public struct ContainerEndpoint: Sendable, Equatable {
        public var url: String
        /// `AWS_CONTAINER_AUTHORIZATION_TOKEN`: the `Authorization` header's value.
        public var authorizationToken: String?
        /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`: read at each fetch, since the agent rotates it.
        public var authorizationTokenFile: String?

        public init(url: String, authorizationToken: String? = nil, authorizationTokenFile: String? = nil) {
            self.url = url
            self.authorizationToken = authorizationToken
            self.authorizationTokenFile = authorizationTokenFile
        }

        /// The link-local address of the ECS agent's endpoint.
        public static let ecsHost = "http://169.254.170.2"

        /// The endpoint the environment names, as the AWS SDKs read it: the
        /// relative URI first; a full URI over plain HTTP only to a loopback
        /// or the ECS/EKS agent's link-local address. Nil when neither is set;
        /// a problem's text when the full URI is not one of those.
        public static func from(_ value: (String) -> String?) -> Result<ContainerEndpoint, Problem>? {
            let token = value("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            let tokenFile = value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
            if let relative = value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
                guard relative.hasPrefix("/") else {
                    return .failure(Problem(text: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with /"))
                }
                return .success(ContainerEndpoint(url: ecsHost + relative, authorizationToken: token, authorizationTokenFile: tokenFile))
            }
            guard let full = value("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return nil }
            guard let components = URLComponents(string: full), let host = components.host,
                components.scheme == "https" || (components.scheme == "http" && isAllowedPlainHost(host))
            else {
                return .failure(
                    Problem(
                        text: "AWS_CONTAINER_CREDENTIALS_FULL_URI must be an https:// URL, or http:// to a loopback address "
                            + "or the container agent's (169.254.170.2, 169.254.170.23)"))
            }
            return .success(ContainerEndpoint(url: full, authorizationToken: token, authorizationTokenFile: tokenFile))
        }

        /// Plain HTTP only to this machine (127.0.0.0/8, ::1, localhost) or the ECS/EKS agent, as the AWS SDKs allow.
        static func isAllowedPlainHost(_ host: String) -> Bool {
            let host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
            let octets = host.split(separator: ".", omittingEmptySubsequences: false)
            let loopback = octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
            return loopback || ["localhost", "::1", "169.254.170.2", "169.254.170.23", "fd00:ec2::23"].contains(host)
        }
    }

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var text: String
        public var description: String { text }
    }
}

/// Hands out credentials: a key pair as given, or the container endpoint's
/// temporary ones.
/// - With none, or expired ones, a caller waits for a fetch; callers that
///   arrive meanwhile wait for that same fetch.
/// - Valid ones are handed out at once. Within `refreshMargin` of their
///   expiry, a refresh starts behind them, one at a time; after a failed
///   refresh the next waits `retryDelay`, so that a hung agent never slows
///   a request while the credentials still work.
/// - Expired credentials are never handed out.
public actor S3CredentialProvider {
    public let source: S3CredentialSource
    let client: HTTPClient
    let refreshMargin: TimeInterval
    let retryDelay: TimeInterval
    let now: @Sendable () -> Date
    let timeout: TimeAmount

    private var cached: S3Credentials?
    private var inFlight: Task<S3Credentials, any Error>?
    /// Stores what the fetch under way brings, when it ends.
    private var finishing: Task<Void, Never>?
    private var retryAfter: Date?
    /// How many fetches went to the endpoint (for the tests).
    private(set) var fetches = 0
    /// Callers waiting for the fetch under way (for the tests).
    private(set) var waiting = 0 {
        didSet { resumeWatchers() }
    }
    private var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    public init(
        source: S3CredentialSource, client: HTTPClient, refreshMargin: TimeInterval = 5 * 60, retryDelay: TimeInterval = 30,
        timeout: TimeAmount = .seconds(5), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.source = source
        self.client = client
        self.refreshMargin = refreshMargin
        self.retryDelay = retryDelay
        self.timeout = timeout
        self.now = now
    }

    public func current() async throws -> S3Credentials {
        switch source {
        case .keys(let credentials): credentials
        case .container(let endpoint): try await temporary(from: endpoint)
        }
    }

    private func temporary(from endpoint: S3CredentialSource.ContainerEndpoint) async throws -> S3Credentials {
        let time = now()
        if let cached, let expiration = cached.expiration, time < expiration {
            let due = time >= expiration.addingTimeInterval(-refreshMargin)
            if due, inFlight == nil, retryAfter.map({ time >= $0 }) ?? true { _ = fetch(endpoint) }
            return cached
        }
        let task = inFlight ?? fetch(endpoint)
        waiting += 1
        defer { waiting -= 1 }
        return try await task.value
    }

    /// Starts a fetch; what it brings is kept when it ends (`finish`).
    private func fetch(_ endpoint: S3CredentialSource.ContainerEndpoint) -> Task<S3Credentials, any Error> {
        fetches += 1
        let task = Task { [client, timeout, now] in try await Self.fetch(endpoint, client: client, timeout: timeout, now: now) }
        inFlight = task
        finishing = Task { await self.finish(task) }
        return task
    }

    private func finish(_ task: Task<S3Credentials, any Error>) async {
        do {
            let fresh = try await task.value
            // Never replaced by credentials that expire sooner.
            if (cached?.expiration ?? .distantPast) <= (fresh.expiration ?? .distantPast) { cached = fresh }
            // A fetch that did not move the expiry past the margin is not repeated at once either.
            let time = now()
            let next = cached?.expiration?.addingTimeInterval(-refreshMargin) ?? .distantPast
            retryAfter = next > time ? nil : time.addingTimeInterval(retryDelay)
        } catch {
            retryAfter = now().addingTimeInterval(retryDelay)
        }
        if inFlight == task { inFlight = nil }
    }

    /// Returns once the fetch under way, if any, has ended and been kept (for the tests).
    func settled() async {
        await finishing?.value
    }

    /// Returns once `count` callers wait for the same fetch (for the tests, which hold the answer until then).
    func untilWaiting(_ count: Int) async {
        guard waiting < count else { return }
        await withCheckedContinuation { watchers.append((count, $0)) }
    }

    private func resumeWatchers() {
        let ready = watchers.filter { $0.count <= waiting }
        watchers.removeAll { $0.count <= waiting }
        for watcher in ready { watcher.continuation.resume() }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// One GET of the endpoint, the answer's body included, within `timeout`:
    /// AsyncHTTPClient's own deadline ends with the headers, and an agent
    /// that stalls in the body must not hold every later caller.
    static func fetch(
        _ endpoint: S3CredentialSource.ContainerEndpoint, client: HTTPClient, timeout: TimeAmount, now: @escaping @Sendable () -> Date
    ) async throws -> S3Credentials {
        try await withThrowingTaskGroup(of: S3Credentials.self) { group in
            group.addTask { try await fetchOnce(endpoint, client: client, timeout: timeout, now: now) }
            group.addTask {
                try await Task.sleep(for: .nanoseconds(timeout.nanoseconds))
                throw Failure(description: "the container credentials endpoint \(endpoint.url) did not answer within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`; credentials that have expired already are refused.
    static func fetchOnce(
        _ endpoint: S3CredentialSource.ContainerEndpoint, client: HTTPClient, timeout: TimeAmount, now: @Sendable () -> Date
    ) async throws -> S3Credentials {
        var request = HTTPClientRequest(url: endpoint.url)
        var authorization = endpoint.authorizationToken
        if let file = endpoint.authorizationTokenFile {
            do {
                authorization = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw Failure(description: "the container authorization token file \(file) cannot be read: \(error)")
            }
        }
        if let authorization { request.headers.add(name: "authorization", value: authorization) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw Failure(description: "the container credentials endpoint \(endpoint.url) did not answer: \(error)")
        }
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok else {
            throw Failure(
                description: "the container credentials endpoint \(endpoint.url) answered \(response.status.code): "
                    + String(buffer: body).prefix(300))
        }
        struct Answer: Decodable {
            var accessKeyID: String
            var secretAccessKey: String
            var token: String
            var expiration: String
            enum CodingKeys: String, CodingKey {
                case accessKeyID = "AccessKeyId", secretAccessKey = "SecretAccessKey", token = "Token", expiration = "Expiration"
            }
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(buffer: body)),
            let expiration = try? Date(answer.expiration, strategy: .iso8601)
        else {
            throw Failure(
                description: "the container credentials endpoint \(endpoint.url) answered without AccessKeyId, SecretAccessKey, "
                    + "Token and an ISO 8601 Expiration")
        }
        guard expiration > now() else {
            throw Failure(
                description: "the container credentials endpoint \(endpoint.url) answered credentials that expired at \(answer.expiration)")
        }
        return S3Credentials(
            accessKeyID: answer.accessKeyID, secretAccessKey: answer.secretAccessKey, sessionToken: answer.token, expiration: expiration)
    }
}
