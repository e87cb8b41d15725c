import CleanStationCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Every check of a password against an account (sign-in, a signature, a
/// password change) under the lockout (`Lockout`): the attempt is counted,
/// as a failure, before the password is compared, under a lock of the
/// account's e-mail address, so that concurrent guesses cannot all pass the
/// count before any is recorded.
enum PasswordAttempts {
    static let locked = APIError(
        .tooManyRequests, "ACCOUNT_LOCKED", "Too many failed password checks: the account is locked for 15 minutes.",
        headers: ["Retry-After": "900"])

    /// Records an attempt for `email` as failed, unless the account is
    /// locked (429 `ACCOUNT_LOCKED`). Mark it with `succeeded` or `withdraw`
    /// once the password is known to be right.
    static func begin(_ email: String, address: String?, on database: any Database, now: Date) async throws -> LoginAttempt {
        try await database.transaction { transaction in
            // SQLite runs one transaction at a time; PostgreSQL holds this lock until the commit.
            let sql = transaction as! any SQLDatabase
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: "login:" + email), 0))").run()
            }
            let lastSuccess = try await LoginAttempt.query(on: transaction).filter(\.$email == email).filter(\.$succeeded == true)
                .sort(\.$at, .descending).first()?.at
            let failures = try await LoginAttempt.query(on: transaction).filter(\.$email == email).filter(\.$succeeded == false)
                .filter(\.$at > Lockout.countsFrom(now: now, lastSuccess: lastSuccess)).count()
            guard Lockout.allowsAnotherCheck(failures: failures) else { throw locked }
            let attempt = LoginAttempt(email: email, succeeded: false, at: now, clientAddress: address)
            try await attempt.create(on: transaction)
            return attempt
        }
    }

    /// A sign-in that succeeded: it ends the count of failures before it.
    static func succeeded(_ attempt: LoginAttempt, on database: any Database) async throws {
        attempt.succeeded = true
        try await attempt.update(on: database)
    }

    /// A check whose password was right but that is neither a failure nor a
    /// sign-in (a signature's password, a second factor still to come).
    static func withdraw(_ attempt: LoginAttempt, on database: any Database) async throws {
        try await attempt.delete(on: database)
    }

    /// Re-authentication of a signed-in user (a signature's, a password
    /// change's, an enrolment's or an administrator's password, 21 CFR
    /// 11.200(a)): counted under the lockout, and a wrong password audited
    /// as `action` with the outcome FAILURE and refused with 422 on `field`.
    static func reauthenticate(
        _ user: User, password: String, field: String, message: String = "does not match your password", action: String,
        resourceType: String, resourceID: String?, request: Request
    ) async throws {
        let now = Date()
        let attempt = try await begin(user.email, address: request.clientAddress, on: request.db, now: now)
        if try await request.application.passwordHasher.verify(password, created: user.passwordHash) {
            try await withdraw(attempt, on: request.db)
            return
        }
        try await request.db.transaction { transaction in
            try await AuditLog.append(
                AuditEvent(
                    action: action, resourceType: resourceType, resourceID: resourceID,
                    newValue: .object([JSONMember("reason", "password")]), outcome: "FAILURE"),
                actor: request.auditActor, on: transaction, now: now)
        }
        throw APIError.validation([FieldError(field: field, message: message)])
    }
}
