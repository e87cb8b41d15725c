import CleanStationCore
import CleanStationMail
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@testable import CleanStationServer

@Suite struct MailTests {
    static let smtpURL = ProcessInfo.processInfo.environment["CLEANSTATION_TEST_SMTP_URL"]

    static func outbox(_ app: Application, _ transport: ScriptedTransport) -> MailOutbox {
        MailOutbox(transport: transport, from: "cs@torvan.test", retryBase: .seconds(30), logger: app.logger) { app.db }
    }

    @Test(arguments: TestDatabase.all)
    func outboxSendsRetriesAndGivesUp(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for recipient in ["a@torvan.test", "b@torvan.test", "c@torvan.test"] {
                try await OutgoingMail(recipient: recipient, subject: "S", body: "B", now: start).create(on: app.db)
            }
            let transport = ScriptedTransport()
            transport.answer("b@torvan.test", with: .rejected("550 no such user"))
            transport.answer("c@torvan.test", with: .deferred("451 try later"))
            let outbox = Self.outbox(app, transport)
            #expect(try await outbox.deliverDue(now: { start }) == 1)
            let mails = try await OutgoingMail.query(on: app.db).sort(\.$recipient).all()
            #expect(mails.map(\.status) == [.sent, .failed, .pending])
            #expect(mails.map(\.attempts) == [1, 1, 1])
            #expect(mails[1].lastError == "550 no such user")
            #expect(mails[2].nextAttemptAt == start.addingTimeInterval(30))

            // Not due yet: nothing is sent.
            #expect(try await outbox.deliverDue(now: { start.addingTimeInterval(29) }) == 0)
            #expect(transport.sent.count == 3)
            // The session fails every time: the delay doubles until the message is given up.
            var now = start.addingTimeInterval(30)
            for attempt in 2...8 {
                transport.failNextSession()
                let due = now
                #expect(try await outbox.deliverDue(now: { due }) == 0)
                let mail = try #require(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "c@torvan.test").first())
                #expect(mail.attempts == attempt)
                if attempt < 8 {
                    #expect(mail.status == .pending)
                    #expect(mail.nextAttemptAt == now.addingTimeInterval(30 * Double(1 << (attempt - 1))))
                    now = mail.nextAttemptAt
                } else {
                    #expect(mail.status == .failed)
                    #expect(mail.lastError == "connection refused")
                }
            }
        }
    }

    /// A status change queues one e-mail per user who acts next, in the same
    /// transaction; nothing is queued when no mail server is configured.
    @Test(arguments: TestDatabase.all)
    func notificationsQueueEmailOnlyWhenConfigured(database: TestDatabase) async throws {
        for configured in [false, true] {
            try await withTestApp(
                database,
                adjust: { config in
                    if configured {
                        config.mail = .init(
                            smtp: SMTPSettings(host: "127.0.0.1", port: try! freePort(), implicitTLS: false), from: "cs@torvan.test")
                        config.publicURL = "https://cleanstation.torvan.test"
                    }
                }
            ) { app in
                _ = try await app.signIn(.procurementSpecialist, email: "pat@torvan.test")
                let coordinator = try await app.signIn(.productionCoordinator)
                let orderID = try await app.createOrder(headers: coordinator)
                let mails = try await OutgoingMail.query(on: app.db).all()
                if configured {
                    let mail = try #require(mails.first)
                    #expect(mails.count == 1)
                    #expect(mail.recipient == "pat@torvan.test")
                    #expect(mail.subject.hasPrefix("CleanStation: ") && mail.subject.hasSuffix(": BOMs to review"))
                    #expect(mail.body.contains("https://cleanstation.torvan.test/orders/\(orderID)"))
                    #expect(mail.status != .sent, "nobody listens on the configured port")
                } else {
                    #expect(mails.isEmpty)
                }
            }
        }
    }

    /// The real thing: aiosmtpd on loopback (scripts/with-smtp.sh) with
    /// STARTTLS and AUTH; the message lands in its mailbox directory.
    @Test(.enabled(if: smtpURL != nil)) func deliversThroughARealServerWithStartTLS() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["SMTP_URL"] = Self.smtpURL
        environment["SMTP_CA_FILE"] = environment["CLEANSTATION_TEST_SMTP_CA"]
        let mail = try #require(try Config.load(environment).mail)
        #expect(mail.smtp.username != nil)
        let client = try SMTPClient(settings: mail.smtp, group: MultiThreadedEventLoopGroup.singleton)
        let tag = UUID().uuidString.lowercased()
        let messages = [
            MailMessage(
                from: "CleanStation <cs@torvan.test>", to: "pat@torvan.test", subject: "Test \(tag)", body: "Hello\n.\nBye",
                messageID: "\(tag)@cs", date: Date()),
            MailMessage(
                from: "cs@torvan.test", to: "refuse@torvan.test", subject: "Refused \(tag)", body: "x", messageID: "r\(tag)@cs",
                date: Date()),
        ]
        let outcomes = try await client.send(messages)
        #expect(outcomes[0] == .accepted)
        #expect(outcomes[1] == .rejected("550 refused for the test"))
        let directory = try #require(ProcessInfo.processInfo.environment["CLEANSTATION_TEST_SMTP_DIR"])
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(tag) }
        #expect(files.count == 1)
        let stored = try JSONParser.parse(
            try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(try #require(files.first))))
        #expect(stored["rcpt"] == ["pat@torvan.test"])
        #expect(stored["tls"] == .bool(true), "STARTTLS was used")
        #expect(stored["auth"] == .bool(true), "AUTH PLAIN was used")
        let content = try #require(stored["content"]?.string)
        #expect(content.contains("Subject: Test \(tag)"))
        let encoded = try #require(content.components(separatedBy: "\r\n\r\n").last)
        #expect(
            String(decoding: Data(base64Encoded: encoded.replacingOccurrences(of: "\r\n", with: ""))!, as: UTF8.self) == "Hello\r\n.\r\nBye"
        )
    }

    /// End to end: an order created through the API e-mails procurement
    /// through the configured server, with the order's link.
    @Test(.enabled(if: smtpURL != nil)) func orderCreationEmailsProcurement() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["SMTP_URL"] = Self.smtpURL
        environment["SMTP_CA_FILE"] = environment["CLEANSTATION_TEST_SMTP_CA"]
        environment["PUBLIC_URL"] = "https://cleanstation.torvan.test"
        let loaded = try Config.load(environment)
        let recipient = "pat-\(UUID().uuidString.prefix(8).lowercased())@torvan.test"
        try await withTestApp(
            .sqlite,
            adjust: {
                $0.mail = loaded.mail; $0.publicURL = loaded.publicURL
            }
        ) { app in
            _ = try await app.signIn(.procurementSpecialist, email: recipient)
            let orderID = try await app.createOrder(headers: try await app.signIn(.productionCoordinator))
            let outbox = try #require(app.mailOutbox)
            #expect(try await outbox.deliverDue() == 1)
            let mail = try #require(try await OutgoingMail.query(on: app.db).first())
            #expect(mail.status == .sent)
            let directory = try #require(environment["CLEANSTATION_TEST_SMTP_DIR"])
            let file = URL(fileURLWithPath: directory).appendingPathComponent("\(try mail.requireID().uuidString.lowercased()).json")
            let stored = try JSONParser.parse(try Data(contentsOf: file))
            #expect(stored["rcpt"] == .array([.string(recipient)]))
            let content = try #require(stored["content"]?.string)
            let encoded = try #require(content.components(separatedBy: "\r\n\r\n").last)
            let text = String(decoding: Data(base64Encoded: encoded.replacingOccurrences(of: "\r\n", with: ""))!, as: UTF8.self)
            #expect(text.contains("https://cleanstation.torvan.test/orders/\(orderID)"))
        }
    }
}
