import Vapor

/// `GET /metrics`: Prometheus text, for loopback and the configured networks only.
enum MetricsController {
    static func metrics(_ request: Request) async throws -> Response {
        guard MetricsAccess.allows(request.remoteAddress?.ipAddress, allowList: request.application.config.metricsAllowList) else {
            throw APIError(.forbidden, "PERMISSION_DENIED", "Metrics are served to the internal network only.")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(
            status: .ok, headers: headers, body: .init(data: Data(try await request.application.metrics.scrape(on: request.db))))
    }
}

/// Loopback always; otherwise an IPv4 address inside one of the allowed
/// `a.b.c.d/n` networks (or equal to an allowed address).
enum MetricsAccess {
    /// Loopback always; other peers when `METRICS_ALLOW` lists their network.
    static func allows(_ address: String?, allowList: [String]) -> Bool {
        guard let address else { return false }
        return AddressList.isLoopback(address) || AddressList(allowList).contains(address)
    }
}
