import Foundation
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL

/// Where and how to submit mail: `smtp://` (STARTTLS when offered) or `smtps://` (TLS from the first byte).
public struct SMTPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var implicitTLS: Bool
    public var username: String?
    public var password: String?
    /// Extra trust roots (PEM) for a private mail server.
    public var caFile: String?

    public init(host: String, port: Int, implicitTLS: Bool, username: String? = nil, password: String? = nil, caFile: String? = nil) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.username = username
        self.password = password
        self.caFile = caFile
    }
}

/// Hands messages to something that delivers them; the outbox retries on failure.
public protocol MailTransport: Sendable {
    /// Sends every message over one session, and says what became of each.
    /// Throws when the session itself fails (no server, no TLS, time-out).
    func send(_ messages: [MailMessage]) async throws -> [MailDelivery]
}

public enum MailDelivery: Sendable, Equatable {
    case accepted
    /// A 4xx reply: try again later.
    case deferred(String)
    /// A 5xx reply: the server will not take it.
    case rejected(String)
}

/// A minimal SMTP submission client (RFC 5321) over SwiftNIO: EHLO,
/// STARTTLS when the server offers it (or TLS from the start for
/// `smtps://`), AUTH PLAIN only over TLS, then one transaction per message.
/// No SMTP library exists among the packages this project may use.
public struct SMTPClient: MailTransport {
    public let settings: SMTPSettings
    public let group: any EventLoopGroup
    /// How long a session may take for each message.
    public var timeout: TimeAmount = .seconds(30)
    /// How long connecting may take.
    public var connectTimeout: TimeAmount = .seconds(30)
    /// The system's roots, plus `SMTP_CA_FILE` for a private mail server.
    private let trustRoots: NIOSSLTrustRoots
    private let additionalRoots: [NIOSSLAdditionalTrustRoots]

    public init(settings: SMTPSettings, group: any EventLoopGroup) throws {
        self.settings = settings
        self.group = group
        trustRoots = .default
        additionalRoots = try settings.caFile.map { [.certificates(try NIOSSLCertificate.fromPEMFile($0))] } ?? []
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public func send(_ messages: [MailMessage]) async throws -> [MailDelivery] {
        let channel = try await ClientBootstrap(group: group).connectTimeout(connectTimeout)
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if settings.implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(try tlsHandler())
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await withThrowingTaskGroup(of: [MailDelivery].self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    var session = Session(lines: inbound.makeAsyncIterator(), outbound: outbound)
                    return try await converse(&session, channel: channel.channel, messages: messages)
                }
            }
            group.addTask {
                try await Task.sleep(for: .nanoseconds(timeout.nanoseconds * Int64(max(1, messages.count))))
                channel.channel.close(promise: nil)
                throw Failure(description: "the mail server at \(settings.host):\(settings.port) did not finish in time")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private func tlsHandler() throws -> NIOSSLClientHandler {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = trustRoots
        configuration.additionalTrustRoots = additionalRoots
        // An IP address is verified against the certificate but cannot be sent as SNI.
        let isAddress = (try? SocketAddress(ipAddress: settings.host, port: 0)) != nil
        return try NIOSSLClientHandler(
            context: try NIOSSLContext(configuration: configuration), serverHostname: isAddress ? nil : settings.host)
    }

    private func converse(_ session: inout Session, channel: any Channel, messages: [MailMessage]) async throws -> [MailDelivery] {
        try await session.expect([220])
        var extensions = try await session.command("EHLO \(Self.clientName)", expect: 250)
        var secure = settings.implicitTLS
        if !secure, extensions.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) {
            try await session.command("STARTTLS", expect: 220)
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(try tlsHandler(), position: .first)
            }.get()
            secure = true
            extensions = try await session.command("EHLO \(Self.clientName)", expect: 250)
        }
        if let username = settings.username {
            guard secure else {
                throw Failure(description: "the mail server offers no TLS: the SMTP password is not sent in the clear")
            }
            let token = Data("\0\(username)\0\(settings.password ?? "")".utf8).base64EncodedString()
            try await session.command("AUTH PLAIN \(token)", expect: 235)
        }
        var results: [MailDelivery] = []
        for message in messages {
            do {
                try await session.command("MAIL FROM:<\(MailMessage.bareAddress(message.from))>", expect: 250)
                try await session.command("RCPT TO:<\(MailMessage.bareAddress(message.to))>", expect: 250, 251)
                try await session.command("DATA", expect: 354)
                let stuffed = message.rendered().split(separator: "\r\n", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
                try await session.command(stuffed + ".", expect: 250)
                results.append(.accepted)
            } catch let refusal as Refusal {
                results.append((500..<600).contains(refusal.code) ? .rejected(refusal.description) : .deferred(refusal.description))
                try await session.command("RSET", expect: 250)
            }
        }
        _ = try? await session.command("QUIT", expect: 221)
        return results
    }

    public static let clientName = ProcessInfo.processInfo.hostName.isEmpty ? "cleanstation" : ProcessInfo.processInfo.hostName

    /// A reply the server gave instead of the expected one.
    public struct Refusal: Error, CustomStringConvertible {
        public var code: Int
        public var text: String
        public var description: String { "\(code) \(text)" }
    }

    /// Reads replies (multi-line `250-…` then `250 …`) and writes commands.
    private struct Session {
        var lines: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

        /// The reply's text lines, when its code is one of `codes`.
        @discardableResult
        mutating func expect(_ codes: [Int]) async throws -> [String] {
            var text: [String] = []
            while true {
                guard let buffer = try await lines.next() else { throw Failure(description: "the mail server closed the connection") }
                let line = String(buffer: buffer).trimmingCharacters(in: .newlines)
                guard line.count >= 3, let code = Int(line.prefix(3)) else { throw Failure(description: "not an SMTP reply: \(line)") }
                text.append(String(line.dropFirst(4)))
                if line.dropFirst(3).first == "-" { continue }
                guard codes.contains(code) else {
                    throw Refusal(code: code, text: text.joined(separator: " "))
                }
                return text
            }
        }

        @discardableResult
        mutating func command(_ line: String, expect codes: Int...) async throws -> [String] {
            try await outbound.write(ByteBuffer(string: line + "\r\n"))
            return try await expect(codes)
        }
    }
}
