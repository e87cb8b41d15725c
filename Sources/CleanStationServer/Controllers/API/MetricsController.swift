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
    static func allows(_ address: String?, allowList: [String]) -> Bool {
        guard let address else { return false }
        if address == "::1" || address.hasPrefix("127.") || address == "::ffff:127.0.0.1" { return true }
        guard let value = ipv4(address.replacingOccurrences(of: "::ffff:", with: "")) else { return allowList.contains(address) }
        return allowList.contains { entry in
            let parts = entry.split(separator: "/")
            guard let network = ipv4(String(parts[0])) else { return false }
            let bits = parts.count == 2 ? Int(parts[1]) ?? 32 : 32
            guard (0...32).contains(bits) else { return false }
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            return value & mask == network & mask
        }
    }

    static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }), text.split(separator: ".").count == 4 else { return nil }
        return octets.reduce(0) { $0 << 8 | $1 }
    }
}
