import CleanStationCore
import Fluent
import Vapor

/// Sessions: each user lists and ends their own; admins any user's.
enum SessionsController {
    static func mine(_ request: Request) async throws -> JSONValue {
        let principal = try request.principal()
        return try await list(for: principal.userID, current: principal.sessionID, on: request.db)
    }

    static func ofUser(_ request: Request) async throws -> JSONValue {
        let id = try request.uuidParameter("userID", "The user")
        guard try await User.find(id, on: request.db) != nil else { throw APIError.notFound("The user") }
        return try await list(for: id, current: try request.principal().sessionID, on: request.db)
    }

    static func list(for userID: UUID, current: UUID, on database: any Database) async throws -> JSONValue {
        let now = Date()
        let sessions = try await Session.query(on: database).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all().filter { SessionPolicy.isLive($0, now: now) }
        return .object([
            JSONMember(
                "items",
                .array(
                    sessions.map { session in
                        .object([
                            JSONMember("id", .string(session.id!.uuidString.lowercased())),
                            JSONMember("createdAt", .string(AuditLog.timestamp(session.createdAt))),
                            JSONMember("lastSeenAt", .string(AuditLog.timestamp(session.lastSeenAt))),
                            JSONMember("clientAddress", session.clientAddress.map { .string($0) } ?? .null),
                            JSONMember("userAgent", session.userAgent.map { .string($0) } ?? .null),
                            JSONMember("current", .bool(session.id == current)),
                        ])
                    }))
        ])
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
