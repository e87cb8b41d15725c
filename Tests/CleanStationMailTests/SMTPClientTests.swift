import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix
import Testing

@testable import CleanStationMail

/// An SMTP server on loopback that answers each command as a test scripts
/// it, and records every line it received. It serves one session.
final class ScriptedSMTPServer: Sendable {
    /// The reply to a command (CRLF-separated lines, the last without a
    /// hyphen), or nil to close the connection.
    typealias Reply = @Sendable (String) -> String?
    let port: Int
    private let received = NIOLockedValueBox<[String]>([])
    private let task: Task<Void, any Error>
    var lines: [String] { received.withLockedValue { $0 } }

    init(greeting: String? = "220 scripted ESMTP", reply: @escaping Reply) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        port = try #require(server.channel.localAddress?.port)
        let received = received
        task = Task {
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    try await connection.executeThenClose { inbound, outbound in
                        guard let greeting else {
                            // Says nothing, and waits for the client to give up.
                            for try await _ in inbound {}
                            return
                        }
                        try await outbound.write(ByteBuffer(string: greeting + "\r\n"))
                        var inData = false
                        for try await buffer in inbound {
                            let line = String(buffer: buffer).trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
                            received.withLockedValue { $0.append(line) }
                            if inData {
                                guard line == "." else { continue }
                                inData = false
                            }
                            guard let answer = reply(line) else { return }
                            if line == "DATA", answer.hasPrefix("354") { inData = true }
                            try await outbound.write(ByteBuffer(string: answer + "\r\n"))
                        }
                    }
                    return
                }
            }
        }
    }

    deinit { task.cancel() }

    /// A server that takes everything: a two-line EHLO reply without STARTTLS.
    static let plain: Reply = { line in
        switch line.prefix(4).uppercased() {
        case "EHLO": "250-scripted greets you\r\n250 8BITMIME"
        case "DATA": "354 go ahead"
        case "QUIT": "221 bye"
        default: "250 OK"
        }
    }
}

@Suite struct SMTPClientTests {
    static func client(_ port: Int, username: String? = nil) throws -> SMTPClient {
        var client = try SMTPClient(
            settings: SMTPSettings(host: "127.0.0.1", port: port, implicitTLS: false, username: username, password: "secret"),
            group: MultiThreadedEventLoopGroup.singleton)
        // Generous: the whole suite runs at once on two cores; only the silent server's test waits for it.
        client.timeout = .seconds(60)
        return client
    }

    static func message(to: String = "pat@torvan.test", body: String = "Hello") -> MailMessage {
        MailMessage(from: "CleanStation <cs@torvan.test>", to: to, subject: "S", body: body, messageID: "\(UUID())@cs", date: Date())
    }

    @Test func messageRendersAsPlainTextMIME() throws {
        let message = MailMessage(
            from: "CleanStation <cs@torvan.test>", to: "pat@torvan.test", subject: "PO-1 is READY_FOR_PRE_QC — Büro",
            body: "Line 1\n.dot\n",
            messageID: "abc@cleanstation", date: Date(timeIntervalSince1970: 1_790_000_000))
        let rendered = message.rendered()
        let parts = rendered.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2)
        let headers = parts[0].components(separatedBy: "\r\n")
        #expect(headers.contains("To: pat@torvan.test"))
        #expect(headers.contains("Subject: =?UTF-8?B?\(Data("PO-1 is READY_FOR_PRE_QC — Büro".utf8).base64EncodedString())?="))
        #expect(headers.contains("Date: Mon, 21 Sep 2026 14:13:20 +0000"))
        #expect(headers.contains("Message-ID: <abc@cleanstation>"))
        let body = try #require(Data(base64Encoded: parts[1].replacingOccurrences(of: "\r\n", with: "")))
        #expect(String(decoding: body, as: UTF8.self) == "Line 1\r\n.dot\r\n")
        #expect(MailMessage.encodedWord("Plain subject") == "Plain subject")
        #expect(MailMessage.encodedWord("Two\r\nlines") == "Two  lines", "no header injection")
        #expect(MailMessage.bareAddress("CleanStation <cs@torvan.test>") == "cs@torvan.test")
    }

    /// One session, three messages: a 4xx is deferred and a 5xx rejected,
    /// each followed by RSET, and the next message still goes through.
    @Test func eachMessageGetsItsOwnOutcomeInOneSession() async throws {
        let server = try await ScriptedSMTPServer { line in
            switch line {
            case "RCPT TO:<later@torvan.test>": "451 4.3.0 try again later"
            case "MAIL FROM:<cs@torvan.test>": "250 OK"
            case "RCPT TO:<nobody@torvan.test>": "550-5.1.1 no such user\r\n550 5.1.1 really"
            default: ScriptedSMTPServer.plain(line)
            }
        }
        let outcomes = try await Self.client(server.port).send([
            Self.message(to: "later@torvan.test"), Self.message(to: "nobody@torvan.test"), Self.message(to: "pat@torvan.test"),
        ])
        #expect(outcomes == [.deferred("451 4.3.0 try again later"), .rejected("550 5.1.1 no such user 5.1.1 really"), .accepted])
        let lines = server.lines
        #expect(lines.filter { $0 == "RSET" }.count == 2)
        #expect(lines.filter { $0 == "DATA" }.count == 1)
        #expect(lines.last == "QUIT")
        #expect(!lines.contains { $0.hasPrefix("STARTTLS") || $0.hasPrefix("AUTH") })
    }

    /// The DATA section arrives as rendered, ended by a lone dot, with the envelope's bare addresses.
    @Test func theMessageArrivesAsRendered() async throws {
        let server = try await ScriptedSMTPServer(reply: ScriptedSMTPServer.plain)
        let message = Self.message(body: "Hello\n.\nBye")
        #expect(try await Self.client(server.port).send([message]) == [.accepted])
        let lines = server.lines
        #expect(lines.contains("MAIL FROM:<cs@torvan.test>"))
        #expect(lines.contains("RCPT TO:<pat@torvan.test>"))
        let data = Array(lines.drop { $0 != "DATA" }.dropFirst().prefix { $0 != "." })
        #expect(data == message.rendered().components(separatedBy: "\r\n").dropLast())
        #expect(lines.drop { $0 != "DATA" }.contains("."))
    }

    /// A password is never sent where the server offers no TLS.
    @Test func noPasswordInTheClear() async throws {
        let server = try await ScriptedSMTPServer(reply: ScriptedSMTPServer.plain)
        await #expect { try await Self.client(server.port, username: "cs").send([Self.message()]) } throws: {
            "\($0)".contains("not sent in the clear")
        }
        #expect(!server.lines.contains { $0.hasPrefix("AUTH") })
        #expect(!server.lines.contains { $0.hasPrefix("MAIL FROM") })
    }

    /// The server hangs up mid-session, or answers with something that is
    /// not SMTP: the session fails, saying which.
    @Test func aBrokenSessionSaysWhatBroke() async throws {
        let hangsUp = try await ScriptedSMTPServer { $0.hasPrefix("MAIL") ? nil : ScriptedSMTPServer.plain($0) }
        await #expect { try await Self.client(hangsUp.port).send([Self.message()]) } throws: {
            "\($0)".contains("closed the connection")
        }
        let babbles = try await ScriptedSMTPServer(greeting: "HTTP/1.1 400 Bad Request", reply: ScriptedSMTPServer.plain)
        await #expect { try await Self.client(babbles.port).send([Self.message()]) } throws: {
            "\($0)".contains("not an SMTP reply: HTTP/1.1 400 Bad Request")
        }
        let refuses = try await ScriptedSMTPServer(greeting: "554 no service here", reply: ScriptedSMTPServer.plain)
        await #expect { try await Self.client(refuses.port).send([Self.message()]) } throws: { "\($0)".contains("554 no service here") }
    }

    /// A server that accepts the connection and never answers: the session
    /// times out, and the outbox keeps the message for later.
    @Test func silentServerTimesOut() async throws {
        let server = try await ScriptedSMTPServer(greeting: nil, reply: ScriptedSMTPServer.plain)
        var client = try Self.client(server.port)
        client.timeout = .milliseconds(300)
        await #expect { try await client.send([Self.message()]) } throws: { "\($0)".contains("did not finish in time") }
    }

    static let smtpsURL = ProcessInfo.processInfo.environment["CLEANSTATION_TEST_SMTPS_URL"]

    /// `smtps://`: TLS from the first byte, then AUTH, against aiosmtpd
    /// (scripts/with-smtp.sh); the message lands in its mailbox directory.
    @Test(.enabled(if: smtpsURL != nil)) func deliversOverImplicitTLS() async throws {
        let url = try #require(URLComponents(string: Self.smtpsURL ?? ""))
        let settings = SMTPSettings(
            host: try #require(url.host), port: try #require(url.port), implicitTLS: true, username: url.user, password: url.password,
            caFile: ProcessInfo.processInfo.environment["CLEANSTATION_TEST_SMTP_CA"])
        let client = try SMTPClient(settings: settings, group: MultiThreadedEventLoopGroup.singleton)
        let tag = UUID().uuidString.lowercased()
        var message = Self.message()
        message.subject = "Implicit \(tag)"
        #expect(try await client.send([message]) == [.accepted])
        let directory = try #require(ProcessInfo.processInfo.environment["CLEANSTATION_TEST_SMTP_DIR"])
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        let stored = try files.map { try String(contentsOfFile: "\(directory)/\($0)", encoding: .utf8) }.filter { $0.contains(tag) }
        #expect(stored.count == 1)
        #expect(stored.first?.contains(#""tls": true"#) == true, "TLS was used")
        #expect(stored.first?.contains(#""auth": true"#) == true, "AUTH was used")
        // The wrong trust root: the certificate is refused, nothing is sent.
        var untrusted = settings
        untrusted.caFile = nil
        await #expect(throws: (any Error).self) {
            try await SMTPClient(settings: untrusted, group: MultiThreadedEventLoopGroup.singleton).send([message])
        }
    }
}
