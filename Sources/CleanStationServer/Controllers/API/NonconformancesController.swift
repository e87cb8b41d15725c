import CleanStationCore
import Fluent
import Vapor

/// Nonconformance reports (issue 16; ISO 13485 §8.3): opened by a failed
/// Pre-QC, end-of-line test or Final QC, given a disposition by QC, closed
/// by the result that verifies it. The rules are `Nonconformance`'s.
enum NonconformancesController {
    // MARK: Opened and closed by signed results

    /// Opens a report for a failed result, under the order's lock, in the
    /// signing's transaction: the failed items with their values, notes and
    /// photos, from the signed record.
    static func open(
        for result: ChecklistResult, record: JSONValue, build: String, by userID: UUID, actor: AuditActor, on transaction: any Database,
        now: Date
    ) async throws {
        guard result.outcome == .fail, Nonconformance.opensOn.contains(result.kind) else { return }
        let count = try await NonconformanceReport.query(on: transaction).filter(\.$buildNumber == build).count()
        let failed = Set((record["failedItems"]?.array ?? []).compactMap(\.string))
        let items = (record["answers"]?.array ?? []).filter { failed.contains($0["itemId"]?.string ?? "") }
        let report = NonconformanceReport()
        report.id = UUID()
        report.number = "NCR-\(build)-\(count + 1)"
        report.$order.id = result.$order.id
        report.buildNumber = build
        report.kind = result.kind
        report.resultID = try result.requireID()
        report.failedItems = JSONSerializer.string(.array(items), style: .canonical)
        report.description =
            "\(result.kind.words) failed: " + items.map { $0["text"]?.string ?? $0["itemId"]?.string ?? "" }.joined(separator: "; ")
        report.$openedBy.id = userID
        report.openedAt = now
        try await report.create(on: transaction)
        try await AuditLog.append(
            AuditEvent(
                action: "CREATE", resourceType: "nonconformance", resourceID: report.number,
                newValue: try view(report, steps: [], names: [:]).json),
            actor: actor, on: transaction, now: now)
    }

    /// A passing result of the kind that failed closes the build's reports of that kind in rework: it verifies the rework.
    static func close(
        by result: ChecklistResult, build: String, by userID: UUID, actor: AuditActor, on transaction: any Database, now: Date
    ) async throws {
        guard result.outcome == .pass, Nonconformance.opensOn.contains(result.kind) else { return }
        let reports = try await NonconformanceReport.query(on: transaction).filter(\.$buildNumber == build).filter(\.$kind == result.kind)
            .all()
        guard !reports.isEmpty else { return }
        let steps = try await NonconformanceStep.query(on: transaction).filter(\.$nonconformance.$id ~~ reports.compactMap(\.id)).all()
        // In rework only: a report still waiting for its disposition refuses the signature (`OrderPolicy`).
        for report in reports where report.record(steps).state == .inRework {
            let step = NonconformanceStep(
                ncrID: try report.requireID(), step: .closure, userID: userID, at: now, justification: "Verified by a passing result.")
            step.resultID = try result.requireID()
            try await step.create(on: transaction)
            try await AuditLog.append(
                AuditEvent(
                    action: "CLOSE", resourceType: "nonconformance", resourceID: report.number,
                    newValue: try stepView(step, names: [:]).json),
                actor: actor, on: transaction, now: now)
        }
    }

    // MARK: Read

    static func list(_ request: Request) async throws -> APIList<View> {
        var errors: [FieldError] = []
        let state = request.query[String.self, at: "state"]
        if let state, Nonconformance.State(rawValue: state) == nil {
            errors.append(FieldError(field: "state", message: "must be OPEN, AWAITING_APPROVAL, IN_REWORK or CLOSED"))
        }
        let page = request.boundedQuery("page", default: 1, range: 1...1_000_000, &errors)
        guard errors.isEmpty else { throw APIError.validation(errors) }
        return APIList(try await list(state: state.flatMap(Nonconformance.State.init), orderID: nil, page: page, on: request.db))
    }

    static let pageSize = 50

    /// Reports newest first, of one order or all, in one state or any.
    static func list(state: Nonconformance.State?, orderID: UUID?, page: Int = 1, on database: any Database) async throws -> [View] {
        // An order's, in plain SQL: the API's order detail asks on every view (issue 20).
        var reports =
            if let orderID {
                try await NonconformanceReport.of(order: orderID, on: database)
            } else {
                try await NonconformanceReport.query(on: database).sort(\.$openedAt, .descending).sort(\.$number).all()
            }
        guard !reports.isEmpty else { return [] }
        // Reports are few (each is a failed inspection): all the steps are read rather than a long list of ids.
        let steps =
            orderID == nil
            ? try await NonconformanceStep.query(on: database).all()
            : try await NonconformanceStep.of(reports: reports.compactMap(\.id), on: database)
        if let state { reports = reports.filter { $0.record(steps).state == state } }
        let shown = Array(reports.dropFirst((page - 1) * pageSize).prefix(pageSize))
        let names = try await User.names(of: shown.map(\.$openedBy.id) + steps.map(\.$user.id), on: database)
        return try shown.map { try view($0, steps: steps, names: names) }
    }

    static func show(_ request: Request) async throws -> View {
        let report = try await report(request, on: request.db)
        let steps = try await NonconformanceStep.of(reports: [try report.requireID()], on: request.db)
        return try view(
            report, steps: steps, names: try await User.names(of: [report.$openedBy.id] + steps.map(\.$user.id), on: request.db))
    }

    static func report(_ request: Request, on database: any Database) async throws -> NonconformanceReport {
        let id = try request.uuidParameter("ncrID", "The nonconformance")
        guard let report = try await NonconformanceReport.find(id, on: database) else { throw APIError.notFound("The nonconformance") }
        return report
    }

    // MARK: Decide and approve

    /// `POST /api/v1/nonconformances/{id}/disposition`: QC decides, signing
    /// with the password; rework, scrap and return to supplier send the
    /// build back at once, to the first stage that is done again.
    /// `{disposition, scope?, justification?, password}`: QC's signed decision.
    struct DispositionInput: APIInput {
        var disposition: String
        /// The checklists a rework repeats.
        var scope: [JSONValue]
        var justification: String?
        var password: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> DispositionInput? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["disposition", "scope", "justification", "password"]) else {
                return nil
            }
            let disposition = reader.requiredString(object, "disposition")
            let scope = reader.member(object, "scope", required: false).flatMap { reader.array($0, at: .root.key("scope")) } ?? []
            let justification = reader.optionalString(object, "justification")
            let password = reader.requiredString(object, "password")
            guard let disposition, let password else { return nil }
            return DispositionInput(disposition: disposition, scope: scope, justification: justification, password: password)
        }

        func check(_ reader: inout JSONFieldReader) -> (Nonconformance.Disposition, String, String)? {
            var decided: Nonconformance.Disposition?
            switch disposition {
            case "REWORK":
                var kinds: Set<ChecklistKind> = []
                for (index, value) in scope.enumerated() {
                    if let kind = reader.enumeration(ChecklistKind.self, value, at: .root.key("scope").index(index)) { kinds.insert(kind) }
                }
                decided = .rework(scope: kinds)
            case "USE_AS_IS": decided = .useAsIs
            case "SCRAP": decided = .scrap
            case "RETURN_TO_SUPPLIER": decided = .returnToSupplier
            default: reader.fail(.root.key("disposition"), "must be one of \(Nonconformance.Disposition.codes.joined(separator: ", "))")
            }
            let justification = justification?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if justification.count > OrderRequest.maximumNotes {
                reader.fail(.root.key("justification"), "must have at most 2000 characters")
            }
            return decided.map { ($0, justification, password) }
        }
    }

    /// `{password}`: a signature's re-authentication.
    struct Signature: APIInput {
        typealias Checked = Signature
        var password: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> Signature? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["password"]) else { return nil }
            return reader.requiredString(object, "password").map(Signature.init)
        }
    }

    static func decide(_ request: Request) async throws -> View {
        try await decide(request, try request.input(DispositionInput.self))
    }

    static func decide(_ request: Request, _ input: DispositionInput) async throws -> View {
        let principal = try request.principal()
        let found = try await report(request, on: request.db)
        let (disposition, justification, password) = try input.checked()
        // Checked here: what a disposition asks depends on the checklist that failed.
        let problems = Nonconformance.problems(disposition, failed: found.kind, justification: justification)
        guard problems.isEmpty else { throw APIError.validation(problems) }
        try await requireAllowed(.decide, found, principal, on: request.db)
        try await reauthenticate(principal, password, found, request)
        let now = Date()
        do {
            try await request.db.transaction { transaction in
                // Again under the order's lock: of two decisions at once, the second finds the first.
                try await OrdersController.lock(found.$order.id, on: transaction)
                try await requireAllowed(.decide, found, principal, on: transaction)
                let step = NonconformanceStep(
                    ncrID: try found.requireID(), step: .disposition, userID: principal.userID, at: now, justification: justification)
                step.disposition = disposition.code
                if case .rework(let scope) = disposition {
                    step.scope = ChecklistKind.allCases.filter(Nonconformance.reworked(scope, failed: found.kind).contains).map(\.rawValue)
                        .joined(separator: ",")
                }
                try await step.create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "DISPOSITION", resourceType: "nonconformance", resourceID: found.number,
                        newValue: try stepView(step, names: [:]).json),
                    actor: request.auditActor, on: transaction, now: now)
                guard let order = try await Order.find(found.$order.id, on: transaction),
                    let build = try await Build.query(on: transaction).filter(\.$buildNumber == found.buildNumber).first()
                else { throw APIError.notFound("The build") }
                // Decided where the failure was found: a cancelled or moved build is not brought back by a disposition.
                guard build.status == OrderPolicy.recordingStatus(found.kind) else {
                    throw APIError(
                        .conflict, "INVALID_TRANSITION",
                        "Build \(build.buildNumber) is \(build.status.rawValue), not where its \(found.kind.words) failed "
                            + "(\(OrderPolicy.recordingStatus(found.kind).rawValue)): an administrator's override comes first.")
                }
                guard let effect = Nonconformance.effect(of: disposition, failed: found.kind) else { return }
                let records = try await BuildRecords.read(orderID: try order.requireID(), builds: [build], on: transaction)
                try await BuildFlow.apply(
                    build, of: order, to: effect.to, note: "\(found.number): \(disposition.words)", by: principal.userID,
                    actor: request.auditActor,
                    records: records, restarts: effect.restarts, on: transaction, now: now)
                try await BuildFlow.refreshStatus(of: order, on: transaction, actor: request.auditActor, now: now)
                try await NotificationsController.notify(
                    NotificationsController.nextActors(after: effect.to),
                    title: "\(order.poNumber) \(build.buildNumber): \(found.number) \(disposition.words)", orderID: try order.requireID(),
                    except: principal.userID, on: transaction, now: now, mail: request.mailContext)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("The nonconformance was given its disposition meanwhile.")
        }
        return try await show(request)
    }

    /// `POST /api/v1/nonconformances/{id}/approve`: the second approval of a
    /// use-as-is disposition, by another QC person or an administrator.
    static func approve(_ request: Request) async throws -> View {
        try await approve(request, try request.input(Signature.self))
    }

    static func approve(_ request: Request, _ input: Signature) async throws -> View {
        let principal = try request.principal()
        let found = try await report(request, on: request.db)
        let password = input.password
        try await requireAllowed(.approve, found, principal, on: request.db)
        try await reauthenticate(principal, password, found, request)
        let now = Date()
        do {
            try await request.db.transaction { transaction in
                try await OrdersController.lock(found.$order.id, on: transaction)
                try await requireAllowed(.approve, found, principal, on: transaction)
                let step = NonconformanceStep(ncrID: try found.requireID(), step: .approval, userID: principal.userID, at: now)
                try await step.create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "APPROVE", resourceType: "nonconformance", resourceID: found.number,
                        newValue: try stepView(step, names: [:]).json),
                    actor: request.auditActor, on: transaction, now: now)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("The nonconformance was approved meanwhile.")
        }
        return try await show(request)
    }

    /// Checked before the password, so that a refusal says nothing about it, and again under the lock.
    private static func requireAllowed(
        _ action: Nonconformance.Action, _ report: NonconformanceReport, _ principal: Principal, on database: any Database
    ) async throws {
        let steps = try await NonconformanceStep.query(on: database).filter(\.$nonconformance.$id == report.requireID()).all()
        if let refusal = Nonconformance.refusal(action, role: principal.role, actor: principal.userID, record: report.record(steps)) {
            throw APIError(refusal)
        }
    }

    private static func reauthenticate(
        _ principal: Principal, _ password: String, _ report: NonconformanceReport, _ request: Request
    ) async throws {
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        try await PasswordAttempts.reauthenticate(
            user, password: password, field: "password", action: "SIGN_FAILED", resourceType: "nonconformance", resourceID: report.number,
            request: request)
    }
}
