import CleanStationCore
import Fluent
import Vapor

/// Users, checklist templates and the audit log, for administrators.
enum AdminPages {
    struct Users: Encodable {
        struct Row: Encodable {
            var id: String
            var fullName: String
            var email: String
            var role: String
            var active: Bool
            var mfa: Bool
            var href: String
        }

        var rows: [Row]
        var fields: [FormField]
        var errors: [String]
    }

    static func users(_ request: Request) async throws -> Response {
        try await renderUsers(request, values: [:], errors: [:])
    }

    static func renderUsers(
        _ request: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let users = try await User.query(on: request.db).sort(\.$fullName).all()
        let fields = [
            FormField("fullName", "Full name", value: values["fullName"] ?? "", errors: errors, required: true),
            FormField("initials", "Initials", value: values["initials"] ?? "", errors: errors, hint: "2 to 4 letters", required: true),
            FormField("email", "E-mail", type: "email", value: values["email"] ?? "", errors: errors, required: true),
            FormField(
                "role", "Role", type: "select",
                options: FormField.choices(Role.allCases.map(\.rawValue), selected: values["role"] ?? Role.assembler.rawValue) {
                    Chrome.roleName(Role(rawValue: $0)!)
                }, errors: errors),
            FormField(
                "password", "First password", type: "password", errors: errors,
                hint: "12 or more characters with upper and lower case, a digit and a symbol", required: true),
        ]
        let view = Users(
            rows: try users.map { user in
                Users.Row(
                    id: try user.requireID().uuidString.lowercased(), fullName: user.fullName, email: user.email,
                    role: Chrome.roleName(user.role), active: user.isActive, mfa: user.mfaEnabledAt != nil,
                    href: SiteURL.admin(.user(.id(try user.requireID()))).path)
            }, fields: fields,
            errors: errors.filter { key, _ in !fields.contains { $0.name == key } }.map {
                "\($0.key.isEmpty ? "" : $0.key + ": ")\($0.value)"
            })
        let response = try await Chrome.render(request, "users", title: "Users", view, section: SiteURL.admin(.users).path)
        response.status = status
        return response
    }

    static func createUser(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let input = UsersController.NewUserInput(
            email: fields.value("email") ?? "", fullName: fields.value("fullName") ?? "", initials: fields.value("initials") ?? "",
            role: .string(fields.value("role") ?? ""), password: fields.value("password") ?? "")
        do {
            _ = try await UsersController.create(request, input)
        } catch let error as APIError where error.status == .unprocessableEntity || error.status == .conflict {
            var values = Dictionary(fields.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            values["password"] = nil
            return try await renderUsers(request, values: values, errors: error.fieldMessages, status: error.status)
        }
        return Flash.redirect(request, to: SiteURL.admin(.users).path, "User \(fields.value("email") ?? "") created.")
    }

    struct UserPage: Encodable {
        var id: String
        var links: UserLinks
        var fullName: String
        var email: String
        var active: Bool
        var fields: [FormField]
        var sessions: [AccountPages.SessionRow]
        /// Resetting another person's password or second factor asks for the admin's own password.
        var canReset: Bool
        var mfaEnabled: Bool
        /// The admin's password was wrong, beside the form it was typed in.
        var passwordResetError: String?
        var mfaResetError: String?
        /// A one-time password just set, shown once on this page (never in a cookie or a redirect).
        var temporaryPassword: String?
        var notice: String?
        /// Deactivation asks for a tick first; this says it was missing.
        var confirmError: String?
        /// The administrator's own account: the API refuses to deactivate it, so no form is offered.
        var isSelf = false
    }

    /// One user: name, initials and role, and their live sessions.
    static func user(_ request: Request) async throws -> Response {
        try await renderUser(request, values: nil, errors: [:])
    }

    private static func renderUser(
        _ request: Request, values: [String: String]?, errors: [String: String], status: HTTPResponseStatus = .ok,
        reset: (error: (RecoveryController.Reset, String)?, temporaryPassword: String?, notice: String?) = (nil, nil, nil),
        confirmError: String? = nil
    ) async throws -> Response {
        let id = try request.uuidParameter("userID", "The user")
        guard let user = try await User.find(id, on: request.db) else { throw APIError.notFound("The user") }
        let values = values ?? ["fullName": user.fullName, "initials": user.initials, "role": user.role.rawValue]
        let sessions = try await SessionsController.ofUser(request).items
        let userID = id.uuidString.lowercased()
        let view = UserPage(
            id: userID, links: UserLinks(user: userID), fullName: user.fullName, email: user.email, active: user.isActive,
            fields: [
                FormField("fullName", "Full name", value: values["fullName"] ?? "", errors: errors, required: true),
                FormField("initials", "Initials", value: values["initials"] ?? "", errors: errors, hint: "1 to 4 letters", required: true),
                FormField(
                    "role", "Role", type: "select",
                    options: FormField.choices(Role.allCases.map(\.rawValue), selected: values["role"] ?? "") {
                        Chrome.roleName(Role(rawValue: $0)!)
                    }, errors: errors),
            ],
            sessions: sessions.map { AccountPages.SessionRow($0) { SiteURL.admin(.user(.value(userID), .sessionEnd(.value($0)))).path } },
            canReset: AccountSetup.mayReset(actorRole: try request.principal().role, actorIsTarget: try request.principal().userID == id),
            mfaEnabled: user.mfaEnabledAt != nil, passwordResetError: reset.error.flatMap { $0.0 == .password ? $0.1 : nil },
            mfaResetError: reset.error.flatMap { $0.0 == .secondFactor ? $0.1 : nil }, temporaryPassword: reset.temporaryPassword,
            notice: reset.notice, confirmError: confirmError, isSelf: try request.principal().userID == id)
        let response = try await Chrome.render(request, "user", title: user.fullName, view, section: SiteURL.admin(.users).path)
        response.status = status
        return response
    }

    static func updateUser(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let names = ["fullName", "initials", "role"]
        let input = UsersController.UserChange(
            fullName: fields.value("fullName") ?? "", initials: fields.value("initials") ?? "", role: .string(fields.value("role") ?? ""))
        do {
            _ = try await UsersController.update(request, input)
        } catch let error as APIError where error.status == .unprocessableEntity {
            let values = Dictionary(names.map { ($0, fields.value($0) ?? "") }, uniquingKeysWith: { first, _ in first })
            return try await renderUser(request, values: values, errors: error.fieldMessages, status: error.status)
        }
        return Flash.redirect(request, to: SiteURL.admin(.user(.value(request.parameters.get("userID") ?? ""))).path, "Saved.")
    }

    /// A one-time password for another person, shown once here; they choose their own at the next sign-in.
    static func resetPassword(_ request: Request) async throws -> Response {
        let input = RecoveryController.AdminPassword(adminPassword: FormFields(request).value("adminPassword") ?? "")
        do {
            let temporary = try await RecoveryController.temporaryPassword(request, input)
            return try await renderUser(
                request, values: nil, errors: [:],
                reset: (
                    nil, temporary,
                    "Password reset; their sessions have ended. Give them this one-time password: they choose their own at the next sign-in."
                ))
        } catch let error as APIError where error.status == .unprocessableEntity {
            return try await renderUser(
                request, values: nil, errors: [:], status: error.status, reset: ((.password, "That is not your password."), nil, nil))
        }
    }

    /// Their second factor removed (a lost phone): a role that signs in with two factors enrols again at the next sign-in.
    static func resetSecondFactor(_ request: Request) async throws -> Response {
        let input = RecoveryController.AdminPassword(adminPassword: FormFields(request).value("adminPassword") ?? "")
        do {
            _ = try await RecoveryController.resetSecondFactor(request, input)
        } catch let error as APIError where error.status == .unprocessableEntity {
            return try await renderUser(
                request, values: nil, errors: [:], status: error.status, reset: ((.secondFactor, "That is not your password."), nil, nil))
        }
        return Flash.redirect(
            request, to: SiteURL.admin(.user(.value(request.parameters.get("userID") ?? ""))).path,
            "Two-factor sign-in reset; their sessions have ended. If their role signs in with two factors, they set it up again at the next sign-in."
        )
    }

    static func endUserSession(_ request: Request) async throws -> Response {
        try await Flash.perform(
            request, then: SiteURL.admin(.user(.value(request.parameters.get("userID") ?? ""))).path, "That session has ended."
        ) {
            _ = try await SessionsController.end(request)
        }
    }

    /// Deactivation ends the person's sessions at once: the form asks for a tick first.
    static func deactivate(_ request: Request) async throws -> Response {
        let id = try request.uuidParameter("userID", "The user")
        guard FormFields(request).value("confirm") == "yes" else {
            return try await renderUser(
                request, values: nil, errors: [:], status: .unprocessableEntity,
                confirmError: "Tick the box to confirm: their sessions end now.")
        }
        let user: User
        do {
            user = try await UsersController.setActive(id, false, request: request)
        } catch let error as APIError where error.status == .conflict {
            return try await renderUser(request, values: nil, errors: [:], status: error.status, confirmError: error.message)
        }
        return Flash.redirect(
            request, to: SiteURL.admin(.user(.id(id))).path, "\(user.fullName) is deactivated; their sessions have ended.")
    }

    static func reactivate(_ request: Request) async throws -> Response {
        let id = try request.uuidParameter("userID", "The user")
        let user = try await UsersController.setActive(id, true, request: request)
        return Flash.redirect(request, to: SiteURL.admin(.user(.id(id))).path, "\(user.fullName) may sign in again.")
    }

    // MARK: Audit

    struct Audit: Encodable {
        struct Row: Encodable {
            var at: String
            var action: String
            var code: String
            var resource: String
            var resourceID: String
            var href: String?
            var user: String
            var outcome: String
        }

        var rows: [Row]
        var verified: Bool?
        var verifyMessage: String
        var users: [Choice]
        var actions: [Choice]
        var resourceType: String
        var from: String
        var to: String
        /// "51–100 of 2,000+" and the links either side.
        var range: String
        var previous: String?
        var next: String?
    }

    /// The audit trail for a person: names, actions in words, filters and pages (the API keeps the codes).
    static func audit(_ request: Request) async throws -> Response {
        let (filter, page, limit) = try AuditController.Filter.read(request)
        let (records, total, exact) = try await AuditController.entries(filter, page: page, limit: limit, on: request.readDB)
        var verified: Bool?
        var message = ""
        if request.query[String.self, at: "verify"] != nil {
            let result = try await AuditController.verify(request)
            verified = result.intact
            message =
                result.intact
                ? "The chain holds: \(result.checked) entries verified."
                : "The chain is broken at entry \(result.firstBroken.map(String.init) ?? "?"): \(result.reason ?? "")."
        }
        let people = try await User.query(on: request.readDB).sort(\.$fullName).all()
        let names = Dictionary(people.map { ($0.id!.uuidString.lowercased(), $0.fullName) }, uniquingKeysWith: { first, _ in first })
        let rows = records.map { record in
            // The audit trail reads in UTC, as it is kept and filtered: an auditor compares it with other systems' logs.
            Audit.Row(
                at: String(record.at.prefix(19)).replacingOccurrences(of: "T", with: " "),
                action: AuditWords.action(record.action, on: record.resourceType), code: record.action,
                resource: AuditWords.resource(record.resourceType), resourceID: record.resourceID.map { String($0.prefix(13)) } ?? "",
                href: record.resourceType == "order" ? record.resourceID.map { SiteURL.order(.value($0)).path } : nil,
                user: record.userID.map { names[$0] ?? String($0.prefix(8)) } ?? "System", outcome: AuditWords.outcome(record.outcome))
        }
        func link(_ number: Int) -> String {
            var query = URLComponents()
            query.queryItems =
                [
                    ("userId", filter.userID), ("action", filter.action), ("resourceType", filter.resourceType),
                    ("resourceId", filter.resourceID), ("from", filter.from), ("to", filter.to),
                ].compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } } + [
                    URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "page", value: String(number)),
                ]
            return SiteURL.admin(.audit).with(query: query.percentEncodedQuery ?? "")
        }
        let first = records.isEmpty ? 0 : (page - 1) * limit + 1
        let view = Audit(
            rows: rows, verified: verified, verifyMessage: message,
            users: [Choice(value: "", label: "Anyone", selected: filter.userID == nil)]
                + people.map {
                    let id = $0.id!.uuidString.lowercased()
                    return Choice(value: id, label: $0.fullName, selected: id == filter.userID)
                }
                // A filter that names no one listed (a system id, a typed link) still shows as chosen.
                + (filter.userID.map { id in names[id] == nil ? [Choice(value: id, label: id, selected: true)] : [] } ?? []),
            actions: [Choice(value: "", label: "Any action", selected: filter.action == nil)]
                + AuditWords.actions.sorted { $0.value < $1.value }.map {
                    Choice(value: $0.key, label: $0.value, selected: $0.key == filter.action)
                }
                + (filter.action.map { code in
                    AuditWords.actions[code] == nil ? [Choice(value: code, label: AuditWords.action(code), selected: true)] : []
                }
                    ?? []),
            resourceType: filter.resourceType ?? "", from: filter.from ?? "", to: filter.to ?? "",
            range: "\(first)–\((page - 1) * limit + records.count) of \(total)\(exact ? "" : "+")",
            previous: page > 1 ? link(page - 1) : nil, next: (page - 1) * limit + records.count < total ? link(page + 1) : nil)
        return try await Chrome.render(request, "audit", title: "Audit log", view, section: SiteURL.admin(.audit).path)
    }

    // MARK: Templates

    struct Templates: Encodable {
        struct Row: Encodable {
            var kind: String
            var version: Int
            var state: String
            var items: Int
            var edit: String
        }

        var rows: [Row]
    }

    static func templates(_ request: Request) async throws -> Response {
        let records = try await ChecklistTemplateRecord.query(on: request.db).sort(\.$kind).sort(\.$version, .descending).all()
        let rows = try records.map { record in
            Templates.Row(
                kind: ChecklistPages.title(record.kind), version: record.version, state: record.retiredAt == nil ? "Active" : "Retired",
                items: try record.template().sections.reduce(0) { $0 + $1.items.count },
                edit: SiteURL.admin(.templateEdit(.id(try record.requireID()))).path)
        }
        return try await Chrome.render(
            request, "templates", title: "Checklist templates", Templates(rows: rows), section: SiteURL.admin(.templates).path)
    }
}
