import Foundation
import NIOCore
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A loopback port nobody listens on right now.
func freePort() throws -> Int {
    let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
    guard bound == 0 else { throw TestFailure("cannot bind a loopback socket") }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A real loopback connection for what an HTTP client library would not
/// send: a length declared and not sent, a body sent in parts.
final class RawConnection: Sendable {
    let socket: Int32

    /// `answer` waits `timeout` seconds at most.
    init(port: Int, timeout seconds: Int = 10) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw TestFailure("cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { close(socket) }

    /// Sends every byte, once the peer has taken them into its buffers. The
    /// blocking calls run on a thread of their own, never on the pool that
    /// the server in this process answers on.
    func send(_ bytes: [UInt8]) async {
        let socket = socket
        await Self.blocking {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { return }
                offset += sent
            }
        }
    }

    /// The start of the answer, its status line first.
    func answer() async -> String {
        let socket = socket
        return await Self.blocking {
            var answer = [UInt8](repeating: 0, count: 4096)
            let read = recv(socket, &answer, answer.count, 0)
            return read > 0 ? String(decoding: answer[..<read], as: UTF8.self) : ""
        }
    }

    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }
}

/// Sends a request head and the first `bodyBytes` of a body, as a client
/// that declares more than it sends yet, and returns the start of the answer.
func rawHTTPExchange(port: Int, head: String, bodyBytes: Int) async throws -> String {
    let connection = try RawConnection(port: port)
    await connection.send(Array(head.utf8) + [UInt8](repeating: 0x61, count: bodyBytes))
    return await connection.answer()
}
