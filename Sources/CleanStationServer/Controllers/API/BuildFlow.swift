import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// What the records say about the builds of one order, read once: which
/// signed result of each checklist counts for a build in its current
/// round, and the lifecycle's facts for each build (issue 16).
struct BuildRecords {
    let history: [OrderHistoryEntry]
    var signed: SignedResults
    var outsourced: [OutsourcedLine]
    var reports: [NonconformanceReport]
    var steps: [NonconformanceStep]
    /// Results that failed and were accepted as they are (use as is, approved), found once per read.
    var accepted: Set<String> = []
    /// Each entry's build and move, read off the models once: `moves(of:)` is asked for every checklist of every
    /// build, and reading a Fluent model's fields, over and over, was 2.5 % of the order page's CPU.
    private let moveRecords: [(build: String?, move: Lifecycle.Move)]

    init(
        history: [OrderHistoryEntry], signed: SignedResults, outsourced: [OutsourcedLine], reports: [NonconformanceReport],
        steps: [NonconformanceStep]
    ) {
        self.history = history
        self.signed = signed
        self.outsourced = outsourced
        self.reports = reports
        self.steps = steps
        moveRecords = history.map { ($0.buildNumber, $0.move) }
    }

    static func read(orderID: UUID, builds: [Build], on database: any Database) async throws -> BuildRecords {
        let numbers = builds.map(\.buildNumber)
        // Independent reads at once: the pages wait for the database about once (ADR 013).
        async let historyRead = OrderHistoryEntry.of(order: orderID, on: database)
        // As signed (ADR 009): the builds' sealed SIGN entries say which result is the latest; one that cannot be believed counts as none.
        async let signedRead = SignedResults.of(builds: numbers, on: database)
        async let outsourcedRead = OutsourcedLine.of(order: orderID, on: database)
        let reports = try await NonconformanceReport.of(builds: numbers, on: database)
        let steps = try await NonconformanceStep.of(reports: reports.compactMap(\.id), on: database)
        var records = BuildRecords(
            history: try await historyRead, signed: try await signedRead, outsourced: try await outsourcedRead,
            reports: reports, steps: steps)
        records.accepted = Set(
            reports.filter {
                let record = $0.record(steps)
                return record.disposition == .useAsIs && record.state == .closed
            }.map { $0.resultID.uuidString.lowercased() })
        return records
    }

    /// The moves of a build: its own, and those of its whole order before issue 16.
    func moves(of build: String) -> [Lifecycle.Move] {
        moveRecords.filter { $0.build == nil || $0.build == build }.map(\.move)
    }

    /// The build's result of `kind` that counts in its current round, if any.
    func current(_ kind: ChecklistKind, of build: String) -> SignedResults.Signing? {
        signed.latest(kind, of: build, since: Lifecycle.roundStart(kind, moves: moves(of: build)))
    }

    /// The outcome that counts: a failure accepted as it is counts as a pass.
    func outcome(_ kind: ChecklistKind, of build: String) -> ChecklistEvaluation.Outcome? {
        guard let signing = current(kind, of: build) else { return nil }
        if signing.outcome == .fail, let id = signing.resultID, accepted.contains(id) { return .pass }
        return signing.outcome
    }

    func facts(for build: Build) -> Lifecycle.Facts {
        let number = build.buildNumber
        return Lifecycle.Facts(
            bomApproved: build.bomApprovedAt != nil,
            outsourcedLinesReceived: outsourced.allSatisfy { $0.buildNumber != number || $0.status == .received },
            preQCPassed: outcome(.preQC, of: number) == .pass, preQCFailed: outcome(.preQC, of: number) == .fail,
            productionAndTestsDone: build.$claimedBy.id != nil && outcome(.production, of: number) == .pass
                && outcome(.eolTest, of: number) == .pass,
            packagingDone: outcome(.packaging, of: number) == .pass,
            finalQCPassed: outcome(.finalQC, of: number) == .pass, finalQCFailed: outcome(.finalQC, of: number) == .fail)
    }

    /// The build's nonconformances not closed yet.
    func openReports(of build: String) -> [NonconformanceReport] {
        reports.filter { $0.buildNumber == build && $0.record(steps).state != .closed }
    }
}

/// Moves builds along the lifecycle, each on its own, and keeps the
/// order's derived status (issue 16).
enum BuildFlow {
    /// A shipment's details, when builds move to SHIPPED.
    struct Dispatch {
        var shippedOn: String
        var carrier: String
        var trackingNumber: String
    }

    /// Moves the order's builds (or only `named`) to `target`. With
    /// `named`, every build named must be able to move, or none does;
    /// without, every build that may move does, and when none may the
    /// answer is the refusal that says most. The facts are read under the
    /// order's lock and each update is conditional on the status read, so
    /// that of two racing requests exactly one wins. Returns the builds
    /// moved, and the shipment made when they moved to SHIPPED.
    @discardableResult
    static func move(
        orderID: UUID, named: [String]? = nil, to target: OrderStatus, note: String?, by principal: Principal, actor: AuditActor,
        on database: any Database, now: Date = Date(), mail: MailContext? = nil, dispatch: Dispatch? = nil
    ) async throws -> (builds: [String], shipment: JSONValue?) {
        try await database.transaction { transaction in
            try await OrdersController.lock(orderID, on: transaction)
            guard let order = try await Order.query(on: transaction).filter(\.$id == orderID).with(\.$builds).first() else {
                throw APIError.notFound("The order")
            }
            let builds = order.builds.sorted { $0.position < $1.position }
            var chosen = builds
            if let named {
                chosen = try named.map { number in
                    guard let build = builds.first(where: { $0.buildNumber == number }) else {
                        throw APIError.notFound("Build \(number) of this order")
                    }
                    return build
                }
            }
            let records = try await BuildRecords.read(orderID: orderID, builds: builds, on: transaction)
            var movable: [Build] = []
            var refusals: [(build: String, refusal: Lifecycle.Refusal)] = []
            for build in chosen {
                switch Lifecycle.check(from: build.status, to: target, role: principal.role, facts: records.facts(for: build), note: note) {
                case .success: movable.append(build)
                case .failure(let refusal): refusals.append((build.buildNumber, refusal))
                }
            }
            // The whole order asked to go to a status some builds reach going forward: those go, and no build is sent
            // back by the same request (a send-back is decided build by build, through its nonconformance).
            if named == nil, movable.contains(where: { Lifecycle.restarted(from: $0.status, to: target).isEmpty }) {
                movable.removeAll { !Lifecycle.restarted(from: $0.status, to: target).isEmpty }
            }
            if let refused = refusals.first, named != nil || movable.isEmpty {
                throw error(refusals.min { rank($0.refusal) < rank($1.refusal) } ?? refused)
            }
            for build in movable {
                try await apply(
                    build, of: order, to: target, note: note ?? "", by: principal.userID, actor: actor, records: records, on: transaction,
                    now: now)
            }
            var shipment: JSONValue?
            if target == .shipped {
                shipment = try await ship(
                    movable, of: order, dispatch: dispatch ?? Dispatch(shippedOn: OrderRequest.today(now), carrier: "", trackingNumber: ""),
                    by: principal.userID, actor: actor, on: transaction, now: now)
            }
            let whole = try await refreshStatus(of: order, on: transaction, actor: actor, now: now)
            let names = movable.map(\.buildNumber)
            try await NotificationsController.notify(
                NotificationsController.nextActors(after: target),
                title: whole == target
                    ? "\(order.poNumber) is \(target.words)"
                    : "\(order.poNumber) \(names.joined(separator: ", ")) is \(target.words)",
                orderID: orderID, except: principal.userID, on: transaction, now: now, mail: mail)
            return (names, shipment)
        }
    }

    /// Moves one build, under the order's lock: conditional on its status,
    /// recorded in the history and the audit trail. Leaving the assemblers'
    /// hands ends its claim. A move back sends an open nonconformance of the
    /// build into rework of what it restarts, decided by the one moving it.
    static func apply(
        _ build: Build, of order: Order, to target: OrderStatus, note: String, by userID: UUID, actor: AuditActor, records: BuildRecords,
        restarts: Set<ChecklistKind>? = nil, override: Bool = false, on transaction: any Database, now: Date
    ) async throws {
        let from = build.status
        let sql = transaction as! any SQLDatabase
        var update = sql.update(Build.schema).set("status", to: target.rawValue)
        let releases = !OrderPolicy.holdingStatuses.contains(target) && build.$claimedBy.id != nil
        if releases { update = update.set("claimed_by", to: SQLLiteral.null).set("claimed_at", to: SQLLiteral.null) }
        let changed = try await update.where("id", .equal, try build.requireID()).where("status", .equal, from.rawValue).returning("id")
            .all()
        guard !changed.isEmpty else {
            throw APIError(
                .conflict, "INVALID_TRANSITION", "Build \(build.buildNumber) is no longer \(from.rawValue): someone changed it meanwhile.")
        }
        build.status = target
        if releases { build.$claimedBy.id = nil }
        let entry = OrderHistoryEntry(
            orderID: try order.requireID(), at: now, userID: userID, from: from, to: target, note: note, buildNumber: build.buildNumber,
            restarts: restarts, override: override)
        try await entry.create(on: transaction)
        let restarted = entry.move.restarted
        // A production round starts over: its tasks are checked off again, not carried over from the sink before.
        var tasksReset = 0
        if restarted.contains(.production) {
            tasksReset = try await TaskCompletion.query(on: transaction).filter(\.$buildNumber == build.buildNumber).count()
            try await TaskCompletion.query(on: transaction).filter(\.$buildNumber == build.buildNumber).delete()
        }
        if restarts == nil, !override, !restarted.isEmpty {
            for report in records.openReports(of: build.buildNumber) where report.record(records.steps).disposition == nil {
                let step = NonconformanceStep(
                    ncrID: try report.requireID(), step: .disposition, userID: userID, at: now,
                    justification: "Sent back to \(target.words) by a status change (not signed with the password). \(note)"
                        .trimmingCharacters(in: .whitespaces))
                step.disposition = "REWORK"
                step.scope = ChecklistKind.allCases.filter(restarted.contains).map(\.rawValue).joined(separator: ",")
                try await step.create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "DISPOSITION", resourceType: "nonconformance", resourceID: report.number,
                        newValue: try NonconformancesController.stepView(step, names: [:]).json),
                    actor: actor, on: transaction, now: now)
            }
        }
        try await AuditLog.append(
            AuditEvent(
                action: override ? "OVERRIDE" : "UPDATE", resourceType: "build", resourceID: build.buildNumber,
                oldValue: .object([JSONMember("status", .string(from.rawValue))]),
                newValue: .object([
                    JSONMember("status", .string(target.rawValue)), JSONMember("note", note.isEmpty ? .null : .string(note)),
                    JSONMember("restarts", .array(ChecklistKind.allCases.filter(restarted.contains).map { .string($0.rawValue) })),
                    JSONMember("override", .bool(override)), JSONMember("tasksReset", .number(Double(tasksReset))),
                ])),
            actor: actor, on: transaction, now: now)
    }

    /// Sets the order's status to its least advanced build's, audited when it changes; returns it.
    @discardableResult
    static func refreshStatus(of order: Order, on transaction: any Database, actor: AuditActor, now: Date) async throws -> OrderStatus {
        let orderID = try order.requireID()
        let statuses = try await Build.query(on: transaction).filter(\.$order.$id == orderID).sort(\.$position).all().map(\.status)
        let derived = Lifecycle.orderStatus(of: statuses)
        let breakdown = Lifecycle.breakdownText(of: statuses)
        let before = order.status
        guard derived != before || breakdown != order.statusBreakdown else { return derived }
        let sql = transaction as! any SQLDatabase
        try await sql.update(Order.schema).set("status", to: derived.rawValue).set("status_breakdown", to: breakdown)
            .set("updated_at", to: now).where("id", .equal, orderID).run()
        order.status = derived
        order.statusBreakdown = breakdown
        guard derived != before else { return derived }
        try await AuditLog.append(
            AuditEvent(
                action: "UPDATE", resourceType: "order", resourceID: orderID.uuidString.lowercased(),
                oldValue: .object([JSONMember("status", .string(before.rawValue))]),
                newValue: .object([JSONMember("status", .string(derived.rawValue))])),
            actor: actor, on: transaction, now: now)
        return derived
    }

    private static func ship(
        _ builds: [Build], of order: Order, dispatch: Dispatch, by userID: UUID, actor: AuditActor, on transaction: any Database, now: Date
    ) async throws -> JSONValue {
        let shipment = Shipment()
        shipment.id = UUID()
        shipment.$order.id = try order.requireID()
        shipment.shippedOn = dispatch.shippedOn
        shipment.carrier = dispatch.carrier
        shipment.trackingNumber = dispatch.trackingNumber
        shipment.$createdBy.id = userID
        shipment.createdAt = now
        try await shipment.create(on: transaction)
        for build in builds {
            let line = ShipmentBuild()
            line.$shipment.id = shipment.id!
            line.buildNumber = build.buildNumber
            try await line.create(on: transaction)
        }
        let view = try ShipmentsController.view(shipment, builds: builds.map(\.buildNumber)).json
        try await AuditLog.append(
            AuditEvent(action: "CREATE", resourceType: "shipment", resourceID: shipment.id!.uuidString.lowercased(), newValue: view),
            actor: actor, on: transaction, now: now)
        return view
    }

    /// The refusal that says most, first: a missing reason, then a role, then a precondition, then "no such move".
    private static func rank(_ refusal: Lifecycle.Refusal) -> Int {
        switch refusal {
        case .reasonRequired: 0
        case .forbidden: 1
        case .precondition: 2
        case .notInTable: 3
        }
    }

    static func error(_ refused: (build: String, refusal: Lifecycle.Refusal)) -> APIError {
        let message = OrderPolicy.naming(refused.refusal.description, build: refused.build)
        let text = message.prefix(1).uppercased() + message.dropFirst()
        switch refused.refusal {
        case .forbidden: return APIError(.forbidden, "PERMISSION_DENIED", refused.refusal.description)
        case .reasonRequired: return APIError.validation([FieldError(field: "note", message: refused.refusal.description)])
        case .notInTable, .precondition: return APIError(.conflict, "INVALID_TRANSITION", text)
        }
    }
}
