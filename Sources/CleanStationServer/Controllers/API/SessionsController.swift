import CleanStationCore
import Fluent
import Vapor

/// Sessions: each user lists and ends their own; admins any user's.
enum SessionsController {
    /// A user's live sessions.
    struct SessionList: APIResponse {
        var items: [Item]

        struct Item: Encodable, Sendable {
            var id: String
            var createdAt: String
            var lastSeenAt: String
            var clientAddress: String?
            var userAgent: String?
            /// The session this request came with.
            var current: Bool
        }

        static let example = SessionList(items: [
            Item(
                id: "7d0c4f5e-7b1a-4c39-9d53-0a8f2b6e4c11", createdAt: "2026-12-06T08:00:00.000Z", lastSeenAt: "2026-12-06T09:30:00.000Z",
                clientAddress: "10.0.4.17", userAgent: "Mozilla/5.0 (X11; Linux x86_64)", current: true)
        ])
    }

    static func mine(_ request: Request) async throws -> SessionList {
        let principal = try request.principal()
        return try await list(for: principal.userID, current: principal.sessionID, on: request.db)
    }

    static func ofUser(_ request: Request) async throws -> SessionList {
        let id = try request.uuidParameter("userID", "The user")
        guard try await User.find(id, on: request.db) != nil else { throw APIError.notFound("The user") }
        return try await list(for: id, current: try request.principal().sessionID, on: request.db)
    }

    static func list(for userID: UUID, current: UUID, on database: any Database) async throws -> SessionList {
        let now = Date()
        let sessions = try await Session.query(on: database).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all().filter { SessionPolicy.isLive($0, now: now) }
        return SessionList(
            items: sessions.map { session in
                SessionList.Item(
                    id: session.id!.uuidString.lowercased(), createdAt: AuditLog.timestamp(session.createdAt),
                    lastSeenAt: AuditLog.timestamp(session.lastSeenAt), clientAddress: session.clientAddress, userAgent: session.userAgent,
                    current: session.id == current)
            })
    }

    static func end(_ request: Request) async throws -> HTTPStatus {
        let principal = try request.principal()
        let id = try request.uuidParameter("sessionID", "The session")
        try await request.db.transaction { transaction in
            guard let session = try await Session.find(id, on: transaction),
                session.$user.id == principal.userID || principal.role == .admin
            else { throw APIError.notFound("The session") }
            guard session.revokedAt == nil else { return }
            session.revokedAt = Date()
            session.revokedReason = session.$user.id == principal.userID ? "ended by the user" : "ended by an admin"
            try await session.update(on: transaction)
            try await AuditLog.append(
                AuditEvent(action: "LOGOUT", resourceType: "session", resourceID: id.uuidString.lowercased()), actor: request.auditActor,
                on: transaction)
        }
        return .noContent
    }
}
