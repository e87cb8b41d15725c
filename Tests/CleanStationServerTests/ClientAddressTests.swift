import Foundation
import NIOCore
import Testing
import VaporTesting

@testable import CleanStationServer

/// Behind nginx or the load balancer the peer is the proxy: the client's
/// address comes from `X-Forwarded-For`, but only from trusted proxies.
@Suite struct ClientAddressTests {
    func address(peer: String, forwardedFor: String?, trusted: [String]) async throws -> String? {
        var result: String?
        try await withTestApp(.sqlite, adjust: { $0.trustedProxies = trusted }) { app in
            var headers = HTTPHeaders()
            if let forwardedFor { headers.add(name: .xForwardedFor, value: forwardedFor) }
            let request = Request(
                application: app, method: .GET, url: "/", headers: headers, remoteAddress: try SocketAddress(ipAddress: peer, port: 4242),
                on: app.eventLoopGroup.next())
            result = request.clientAddress
        }
        return result
    }

    @Test func untrustedPeersCannotChooseTheirAddress() async throws {
        #expect(try await address(peer: "198.51.100.7", forwardedFor: "203.0.113.9", trusted: []) == "198.51.100.7")
        #expect(try await address(peer: "198.51.100.7", forwardedFor: "203.0.113.9", trusted: ["10.0.0.0/8"]) == "198.51.100.7")
    }

    @Test func aTrustedProxyNamesTheClient() async throws {
        #expect(try await address(peer: "10.40.3.17", forwardedFor: "203.0.113.9", trusted: ["10.40.0.0/16"]) == "203.0.113.9")
        // A client that sends its own header cannot hide behind it: the nearest untrusted hop counts.
        #expect(
            try await address(peer: "127.0.0.1", forwardedFor: "1.2.3.4, 203.0.113.9, 10.40.3.17", trusted: ["127.0.0.1", "10.40.0.0/16"])
                == "203.0.113.9")
        #expect(try await address(peer: "127.0.0.1", forwardedFor: nil, trusted: ["127.0.0.1"]) == "127.0.0.1")
    }

    @Test func settingsAreChecked() throws {
        #expect(throws: Config.Missing.self) { try Config.load(["TRUSTED_PROXIES": "10.0.0.0/33"]) }
        #expect(throws: Config.Missing.self) { try Config.load(["METRICS_ALLOW": "everyone"]) }
        #expect(try Config.load(["TRUSTED_PROXIES": "10.40.0.0/16, 127.0.0.1"]).trustedProxies == ["10.40.0.0/16", "127.0.0.1"])
    }
}
