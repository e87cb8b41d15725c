import Vapor

/// IPv4 networks (`10.0.0.0/8`) and single addresses (IPv4 or IPv6), as the
/// `METRICS_ALLOW` and `TRUSTED_PROXIES` settings list them.
struct AddressList: Sendable {
    let entries: [String]

    init(_ entries: [String]) { self.entries = entries }

    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }

    /// Whether an entry is something `contains` can match: an IPv4 address or network, or an IPv6 address.
    static func isValid(_ entry: String) -> Bool {
        let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 { return ipv4(String(parts[0])) != nil && Int(parts[1]).map { (0...32).contains($0) } == true }
        return ipv4(entry) != nil || (entry.contains(":") && entry.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." })
    }

    func contains(_ address: String) -> Bool {
        guard let value = Self.ipv4(address.replacingOccurrences(of: "::ffff:", with: "")) else { return entries.contains(address) }
        return entries.contains { entry in
            let parts = entry.split(separator: "/")
            guard let network = Self.ipv4(String(parts[0])) else { return false }
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

extension Request {
    /// The client's address: the peer's, or, when the peer is a proxy listed
    /// in `TRUSTED_PROXIES` (nginx, the load balancer), the nearest address in
    /// `X-Forwarded-For` that is not one of them. Untrusted peers cannot
    /// choose their address by sending the header.
    var clientAddress: String? {
        guard let peer = remoteAddress?.ipAddress else { return nil }
        let trusted = AddressList(application.config.trustedProxies)
        guard trusted.contains(peer) else { return peer }
        let hops = headers[.xForwardedFor].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return hops.last { !trusted.contains($0) } ?? hops.first ?? peer
    }
}
