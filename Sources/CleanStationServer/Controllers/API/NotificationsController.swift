import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// In-app notifications: whoever acts next on an order hears of it.
enum NotificationsController {
    /// Who acts next once an order reaches a status.
    static func nextActors(after status: OrderStatus) -> Set<Role> {
        switch status {
        case .orderCreated, .partsSent: [.procurementSpecialist]
        case .readyForPreQC, .readyForFinalQC: [.qcPerson]
        case .readyForProduction, .testingComplete, .packagingComplete: [.assembler]
        case .readyForShip, .shipped, .cancelled: [.productionCoordinator]
        }
    }

    /// Adds a notification for every active user of `roles`, in the caller's
    /// transaction; with `mail`, an e-mail to each of them joins the outbox.
    static func notify(
        _ roles: Set<Role>, title: String, orderID: UUID?, except: UUID? = nil, on database: any Database, now: Date = Date(),
        mail: MailContext?
    ) async throws {
        let users = try await User.query(on: database).filter(\.$role ~~ Array(roles)).filter(\.$isActive == true).all()
        try await notify(users.filter { $0.id != except }, title: title, orderID: orderID, on: database, now: now, mail: mail)
    }

    static func notify(
        _ users: [User], title: String, orderID: UUID?, on database: any Database, now: Date, mail: MailContext?
    ) async throws {
        for user in users {
            let notification = Notification()
            notification.$user.id = try user.requireID()
            notification.title = String(title.prefix(300))
            notification.$order.id = orderID
            notification.createdAt = now
            try await notification.create(on: database)
            if let mail {
                try await OutgoingMail(
                    recipient: user.email, subject: "CleanStation: \(notification.title)", body: mail.body(notification), now: now
                )
                .create(on: database)
            }
        }
    }

    /// A person's newest 100 notifications, and how many are unread.
    struct NotificationList: APIResponse {
        var unread: Int
        var items: [Item]

        struct Item: Encodable, Sendable {
            var id: String
            var title: String
            var orderId: String?
            var createdAt: String
            var read: Bool
        }

        static let example = NotificationList(
            unread: 1,
            items: [
                Item(
                    id: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a", title: "PO-2026-0042 is ready for Pre-QC",
                    orderId: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b", createdAt: "2026-12-06T09:30:00.000Z", read: false)
            ])
    }

    static func list(_ request: Request) async throws -> NotificationList {
        let principal = try request.principal()
        let items = try await Notification.query(on: request.db).filter(\.$user.$id == principal.userID)
            .sort(\.$createdAt, .descending).sort(\.$id).limit(100).all()
        let unread = try await unreadCount(of: principal.userID, on: request.db)
        return NotificationList(
            unread: unread,
            items: try items.map { item in
                NotificationList.Item(
                    id: try item.requireID().uuidString.lowercased(), title: item.title, orderId: item.$order.id?.uuidString.lowercased(),
                    createdAt: AuditLog.timestamp(item.createdAt), read: item.readAt != nil)
            })
    }

    /// The bell's number for a page or its poll: counted as the page signed in, or else now. The count is taken
    /// before the handler runs; a handler that marks the user's notifications read answers with a redirect.
    static func unreadCount(of principal: Principal, _ request: Request) async throws -> Int {
        if let counted = request.storage[UnreadKey.self] { return counted }
        return try await unreadCount(of: principal.userID, on: request.db)
    }

    /// The user's unread notifications, counted now: for the API's list, and for a page or poll whose sign-in did
    /// not count them (`Request.signIn(sessionID:userID:unread:)` counts them the same way, as a subquery).
    static func unreadCount(of userID: UUID, on database: any Database) async throws -> Int {
        // Plain SQL, as the page sign-in's count (issue 20).
        let row = try await (database as! any SQLDatabase).raw(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND read_at IS NULL"
        ).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    static func markRead(_ request: Request) async throws -> HTTPStatus {
        let principal = try request.principal()
        let id = try request.uuidParameter("notificationID", "The notification")
        guard let item = try await Notification.find(id, on: request.db), item.$user.id == principal.userID else {
            throw APIError.notFound("The notification")
        }
        if item.readAt == nil {
            item.readAt = Date()
            try await item.update(on: request.db)
        }
        return .noContent
    }
}

/// What an e-mail notification needs besides the notification: where the application is.
struct MailContext: Sendable {
    var publicURL: String

    func body(_ notification: Notification) -> String {
        var lines = [notification.title, ""]
        if let orderID = notification.$order.id { lines.append("Open the order: " + publicURL + SiteURL.order(orderID).path) }
        lines += ["", "You receive this because your role acts next in CleanStation.", "This message was sent automatically."]
        return lines.joined(separator: "\n")
    }
}

extension Request {
    /// Set when the application sends e-mail (`SMTP_URL`).
    var mailContext: MailContext? { application.mailContext }
}
