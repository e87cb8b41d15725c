import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// User administration (admin only); deleting deactivates.
enum UsersController {
    struct NewUser: Sendable {
        var email: String
        var fullName: String
        var initials: String
        var role: Role
        var password: String
    }

    /// `{email, fullName, initials, role, password}`: an account, from the API, the admin's page or the command line.
    struct NewUserInput: APIInput {
        var email: String
        var fullName: String
        var initials: String
        var role: JSONValue
        var password: String

        init(email: String, fullName: String, initials: String, role: JSONValue, password: String) {
            self.email = email
            self.fullName = fullName
            self.initials = initials
            self.role = role
            self.password = password
        }

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> NewUserInput? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["email", "fullName", "initials", "role", "password"]) else {
                return nil
            }
            let email = reader.requiredString(object, "email")
            let fullName = reader.requiredString(object, "fullName")
            let initials = reader.requiredString(object, "initials")
            let role = reader.member(object, "role")
            let password = reader.requiredString(object, "password")
            guard let email, let fullName, let initials, let role, let password else { return nil }
            return NewUserInput(email: email, fullName: fullName, initials: initials, role: role, password: password)
        }

        /// Every problem at once, with its field.
        func check(_ reader: inout JSONFieldReader) -> NewUser? {
            let email = EmailAddress.normalized(email)
            if email == nil { reader.fail(.root.key("email"), EmailAddress.problem) }
            let fullName = fullName.trimmingCharacters(in: .whitespaces)
            if !(2...200).contains(fullName.count) { reader.fail(.root.key("fullName"), "must have 2 to 200 characters") }
            if !(1...4).contains(initials.count) || !initials.allSatisfy(\.isLetter) {
                reader.fail(.root.key("initials"), "must be 1 to 4 letters")
            }
            let role = reader.enumeration(Role.self, role, at: .root.key("role"))
            if let problem = PasswordPolicy.problem(with: password, email: email) { reader.fail(.root.key("password"), problem) }
            guard let email, let role, reader.errors.isEmpty else { return nil }
            return NewUser(email: email, fullName: fullName, initials: initials.uppercased(), role: role, password: password)
        }
    }

    /// Creates a user, audited; 409 when the e-mail is taken.
    /// `mustChangePassword` when someone else chose the password: an
    /// administrator creating the account (not the operator's command line).
    static func create(
        _ new: NewUser, cost: Int, actor: AuditActor, on database: any Database, hasher: PasswordHasher, mustChangePassword: Bool = false
    ) async throws -> User {
        let hash = try await hasher.hash(new.password, cost: cost)
        let user = User(email: new.email.lowercased(), fullName: new.fullName, initials: new.initials, role: new.role, passwordHash: hash)
        if mustChangePassword { user.setTemporaryPassword(hash: hash, now: Date()) }
        do {
            try await database.transaction { transaction in
                try await user.create(on: transaction)
                try await PasswordHistoryEntry(userID: try user.requireID(), passwordHash: hash, createdAt: Date()).create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "CREATE", resourceType: "user", resourceID: user.id?.uuidString.lowercased(),
                        newValue: .object([
                            JSONMember("email", .string(user.email)), JSONMember("fullName", .string(user.fullName)),
                            JSONMember("initials", .string(user.initials)), JSONMember("role", .string(user.role.rawValue)),
                            JSONMember("mustChangePassword", .bool(user.mustChangePassword)),
                        ])),
                    actor: actor, on: transaction)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("A user with the e-mail \(new.email) exists already.")
        }
        return user
    }

    static func create(_ request: Request) async throws -> Response {
        try await create(request, try request.input(NewUserInput.self))
    }

    static func create(_ request: Request, _ input: NewUserInput) async throws -> Response {
        let new = try input.checked()
        let user = try await create(
            new, cost: request.application.config.passwordHashCost, actor: request.auditActor, on: request.db,
            hasher: request.application.passwordHasher, mustChangePassword: true)
        let response = try await AuthController.UserView(user).encodeResponse(for: request)
        response.status = .created
        return response
    }

    static func list(_ request: Request) async throws -> APIList<AuthController.UserView> {
        APIList(try await User.query(on: request.db).sort(\.$email).all().map(AuthController.UserView.init))
    }

    static func show(_ request: Request) async throws -> AuthController.UserView {
        let id = try request.uuidParameter("userID", "The user")
        guard let user = try await User.find(id, on: request.db) else { throw APIError.notFound("The user") }
        return try AuthController.UserView(user)
    }

    static func deactivate(_ request: Request) async throws -> HTTPStatus {
        _ = try await setActive(try request.uuidParameter("userID", "The user"), false, request: request)
        return .noContent
    }

    /// Deactivates a user (their sessions end and their open links are retired) or lets them sign in again,
    /// audited as DEACTIVATE or REACTIVATE; nothing is written when the account is already so.
    static func setActive(_ id: UUID, _ active: Bool, request: Request) async throws -> User {
        if !active { try refuseSelfDeactivation(id, request) }
        return try await request.db.transaction { transaction in
            guard let user = try await User.find(id, on: transaction) else { throw APIError.notFound("The user") }
            // Conditional on the state read: of two administrators acting at once, one changes it and is audited.
            let changed = try await (transaction as! any SQLDatabase).update(User.schema).set("is_active", to: active)
                .set("updated_at", to: Date()).where("id", .equal, id).where("is_active", .equal, !active).returning("id").all()
            guard !changed.isEmpty else { return user }
            user.isActive = active
            if !active {
                try await Session.endAll(of: id, reason: "user deactivated", on: transaction, now: Date())
                try await PasswordResetToken.retireAll(of: id, on: transaction, now: Date())
            }
            try await AuditLog.append(
                AuditEvent(
                    action: active ? "REACTIVATE" : "DEACTIVATE", resourceType: "user", resourceID: id.uuidString.lowercased(),
                    oldValue: .object([JSONMember("isActive", .bool(!active))]), newValue: .object([JSONMember("isActive", .bool(active))])),
                actor: request.auditActor, on: transaction)
            return user
        }
    }

    /// No one deactivates their own account, by either route: another administrator can.
    static func refuseSelfDeactivation(_ id: UUID, _ request: Request) throws {
        if try request.principal().userID == id {
            throw APIError(.conflict, "SELF_DEACTIVATION", "You cannot deactivate your own account: another administrator can.")
        }
    }

    /// `PATCH /api/v1/users/{id}`: name, initials, role or whether the user is active.
    /// `{fullName?, initials?, role?, isActive?}`: what changes; what is left out stays.
    struct UserChange: APIInput {
        var fullName: String?
        var initials: String?
        var role: JSONValue?
        var isActive: Bool?

        struct Checked {
            var fullName: String?
            var initials: String?
            var role: Role?
            var isActive: Bool?
        }

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> UserChange? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["fullName", "initials", "role", "isActive"]) else { return nil }
            return UserChange(
                fullName: reader.optionalString(object, "fullName"), initials: reader.optionalString(object, "initials"),
                role: reader.member(object, "role", required: false),
                isActive: object.values["isActive"] != nil ? reader.optionalBool(object, "isActive", default: true) : nil)
        }

        func check(_ reader: inout JSONFieldReader) -> Checked? {
            var checked = Checked(isActive: isActive)
            checked.fullName = fullName.map { $0.trimmingCharacters(in: .whitespaces) }
            if let name = checked.fullName, !(2...200).contains(name.count) {
                reader.fail(.root.key("fullName"), "must have 2 to 200 characters")
            }
            checked.initials = initials.map { $0.uppercased() }
            if let initials = checked.initials, !(1...4).contains(initials.count) || !initials.allSatisfy(\.isLetter) {
                reader.fail(.root.key("initials"), "must be 1 to 4 letters")
            }
            checked.role = role.flatMap { reader.enumeration(Role.self, $0, at: .root.key("role")) }
            return checked
        }
    }

    static func update(_ request: Request) async throws -> AuthController.UserView {
        try await update(request, try request.input(UserChange.self))
    }

    static func update(_ request: Request, _ input: UserChange) async throws -> AuthController.UserView {
        let id = try request.uuidParameter("userID", "The user")
        let changes = try input.checked()
        if changes.isActive == false { try refuseSelfDeactivation(id, request) }
        let user = try await request.db.transaction { transaction -> User in
            guard let user = try await User.find(id, on: transaction) else { throw APIError.notFound("The user") }
            let before = try JSONValueEncoder.encode(AuthController.UserView(user))
            let roleBefore = user.role
            if let value = changes.fullName { user.fullName = value }
            if let value = changes.initials { user.initials = value }
            if let value = changes.role { user.role = value }
            if let value = changes.isActive { user.isActive = value }
            try await user.update(on: transaction)
            // A new role or lost access ends the user's sessions; the same role sent again does not.
            if changes.isActive == false || user.role != roleBefore {
                try await Session.endAll(of: id, reason: "role or access changed", on: transaction, now: Date())
            }
            if changes.isActive == false { try await PasswordResetToken.retireAll(of: id, on: transaction, now: Date()) }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "user", resourceID: id.uuidString.lowercased(), oldValue: before,
                    newValue: try JSONValueEncoder.encode(AuthController.UserView(user))),
                actor: request.auditActor, on: transaction)
            return user
        }
        return try AuthController.UserView(user)
    }

    static let passwordHistoryDepth = 12

    /// The hash of a new password that is none of the user's last 12 (422 on `newPassword` otherwise).
    static func freshPasswordHash(_ new: String, for userID: UUID, request: Request) async throws -> String {
        let hasher = request.application.passwordHasher
        let history = try await PasswordHistoryEntry.query(on: request.db).filter(\.$user.$id == userID)
            .sort(\.$createdAt, .descending).limit(passwordHistoryDepth).all().map(\.passwordHash)
        guard try await !hasher.matchesAny(new, of: history) else {
            throw APIError.validation([
                FieldError(field: "newPassword", message: "must differ from your last \(passwordHistoryDepth) passwords")
            ])
        }
        return try await hasher.hash(new, cost: request.application.config.passwordHashCost)
    }

    /// `POST /api/v1/auth/password`: the current password, and a new one that
    /// passes the policy and is none of the last 12. The user's other
    /// sessions end; a password someone else set no longer has to be changed.
    /// `{currentPassword, newPassword}`.
    struct PasswordChange: APIInput {
        typealias Checked = PasswordChange
        var currentPassword: String
        var newPassword: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> PasswordChange? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["currentPassword", "newPassword"]) else { return nil }
            let current = reader.requiredString(object, "currentPassword")
            let new = reader.requiredString(object, "newPassword")
            guard let current, let new else { return nil }
            return PasswordChange(currentPassword: current, newPassword: new)
        }
    }

    static func changePassword(_ request: Request) async throws -> HTTPStatus {
        try await changePassword(request, try request.input(PasswordChange.self))
    }

    static func changePassword(_ request: Request, _ input: PasswordChange) async throws -> HTTPStatus {
        let principal = try request.principal()
        let (current, new) = (input.currentPassword, input.newPassword)
        // Checked here: the policy needs the account's e-mail address.
        if let problem = PasswordPolicy.problem(with: new, email: principal.email) {
            throw APIError.validation([FieldError(field: "newPassword", message: problem)])
        }
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        let currentHash = user.passwordHash
        // Counted under the lockout and audited when wrong, like a sign-in (21 CFR 11.300(d)).
        try await PasswordAttempts.reauthenticate(
            user, password: current, field: "currentPassword", message: "is not your current password", action: "PASSWORD_CHANGE_FAILED",
            resourceType: "user", resourceID: principal.userID.uuidString.lowercased(), request: request)
        let hash = try await freshPasswordHash(new, for: principal.userID, request: request)
        let now = Date()
        try await request.db.transaction { transaction in
            // Under the user's row lock: a reset that committed while the hashes were computed wins, and this change,
            // from a session the reset ended, does not undo it.
            try await User.lock(principal.userID, on: transaction)
            guard let current = try await User.find(principal.userID, on: transaction), current.passwordHash == currentHash,
                try await Session.find(principal.sessionID, on: transaction)?.revokedAt == nil
            else {
                throw APIError(.unauthorized, "TOKEN_EXPIRED", "Your password was changed or reset meanwhile: sign in again.")
            }
            let cleared = current.mustChangePassword
            current.passwordHash = hash
            current.mustChangePassword = false
            current.passwordExpiresAt = nil
            try await current.update(on: transaction)
            try await PasswordHistoryEntry(userID: principal.userID, passwordHash: hash, createdAt: now).create(on: transaction)
            try await PasswordResetToken.retireAll(of: principal.userID, on: transaction, now: now)
            // Whoever knew the old password is signed out everywhere else.
            let ended = try await Session.endAll(
                of: principal.userID, except: principal.sessionID, reason: "password changed", on: transaction, now: now)
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "user", resourceID: principal.userID.uuidString.lowercased(),
                    newValue: .object([
                        JSONMember("passwordChanged", true), JSONMember("temporaryPasswordReplaced", .bool(cleared)),
                        JSONMember("sessionsEnded", .number(Double(ended))),
                    ])),
                actor: request.auditActor, on: transaction, now: now)
        }
        return .noContent
    }
}
