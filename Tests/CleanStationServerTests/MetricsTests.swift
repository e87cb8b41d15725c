import CleanStationCore
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct MetricsTests {
    @Test func loopbackReadsMetricsByRoutePattern() async throws {
        try await withTestApp(.sqlite) { app in
            let coordinator = try await app.signIn(.productionCoordinator)
            let created = try await app.testing().sendRequest(.POST, "api/v1/orders", headers: coordinator, body: body(orderBody()))
            let id = try #require(try created.json["id"]?.string)
            _ = try await app.testing().sendRequest(.GET, "api/v1/orders/\(id)", headers: coordinator)
            _ = try await app.testing().sendRequest(.GET, "api/health")

            let port = try freePort()
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: port))
            let metrics = try await live.sendRequest(.GET, "metrics")
            #expect(metrics.status == .ok)
            let text = metrics.body.string
            #expect(text.contains(#"http_requests_total{method="GET",route="/api/v1/orders/:orderID",status="200"} 1"#))
            #expect(text.contains(#"http_requests_total{method="POST",route="/api/v1/orders",status="201"} 1"#))
            #expect(text.contains(#"http_request_duration_seconds_bucket{method="GET",route="/api/health",le="0.001"}"#))
            #expect(text.contains("orders_created_total 1"))
            #expect(text.contains("user_sessions_active 1"))
            #expect(text.contains("process_resident_memory_bytes"))
            #expect(!text.contains(id), "raw paths never become labels")
        }
    }

    @Test func inMemoryRequestsHaveNoAddressAndAreRefused() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.testing().sendRequest(.GET, "metrics")
            #expect(response.status == .forbidden)
        }
    }

    @Test(
        arguments: [
            ("127.0.0.1", [String](), true), ("::1", [], true), ("10.1.2.3", [], false), ("10.1.2.3", ["10.0.0.0/8"], true),
            ("10.1.2.3", ["10.1.3.0/24"], false), ("192.168.0.7", ["192.168.0.7"], true), (nil, ["0.0.0.0/0"], false),
            ("172.16.5.4", ["0.0.0.0/0"], true),
        ] as [(String?, [String], Bool)])
    func theAllowList(address: String?, allowList: [String], allowed: Bool) {
        #expect(MetricsAccess.allows(address, allowList: allowList) == allowed)
    }
}
