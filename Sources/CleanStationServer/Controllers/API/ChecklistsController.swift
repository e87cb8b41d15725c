import CleanStationCore
import CleanStationExports
import Crypto
import Fluent
import SQLKit
import Vapor

/// Checklists of a build: the instance for what the build physically has,
/// drafts kept as they are entered, and signed results (domain.md "Results
/// and signatures"; ADR 008).
enum ChecklistsController {
    /// One build's checklist of one kind, resolved: the pinned template
    /// version (or the newest active one while none is pinned), and the
    /// instance for the build's configuration, language and BOM.
    struct Target {
        var order: Order
        var build: Build
        var kind: ChecklistKind
        var template: ChecklistTemplateRecord
        var definition: ChecklistTemplate
        var context: ChecklistContext
        var instance: ChecklistInstance
        var pinned: Bool

        var templateID: String { template.id!.uuidString.lowercased() }
    }

    static func target(_ request: Request, on database: any Database) async throws -> Target {
        guard let kind = request.parameters.get("kind").flatMap(ChecklistKind.init(pathName:)) else {
            throw APIError.notFound("The checklist")
        }
        return try await resolve(try await OrdersController.build(request), kind, on: database)
    }

    static func resolve(_ build: Build, _ kind: ChecklistKind, on database: any Database) async throws -> Target {
        // Plain reads, one after the other: this runs in transactions too, where both would share one connection,
        // and an error of one would abort the transaction and hide behind the other's.
        guard let order = try await Order.read(build.$order.id, on: database) else { throw APIError.notFound("The order") }
        guard let (record, pinned) = try await ChecklistTemplateRecord.read(for: build.requireID(), kind, on: database) else {
            throw APIError.notFound("An active \(kind.rawValue) template")
        }
        let definition = try record.template()
        let context = try context(of: build, language: order.language)
        return Target(
            order: order, build: build, kind: kind, template: record, definition: definition, context: context,
            instance: definition.instantiate(in: context), pinned: pinned)
    }

    static func context(of build: Build, language: Language) throws -> ChecklistContext {
        ChecklistContext(sink: try DecodedText.sink(build.configuration), language: language, bom: try DecodedText.bom(build.bom))
    }

    /// Under the order's lock: the target again (a pin may have been made
    /// meanwhile), pinned to its template version from now on.
    static func pinned(_ build: Build, _ kind: ChecklistKind, on transaction: any Database, now: Date) async throws -> Target {
        guard let fresh = try await Build.find(build.id, on: transaction) else { throw APIError.notFound("The build") }
        let target = try await resolve(fresh, kind, on: transaction)
        guard !target.pinned else { return target }
        let pin = ChecklistPin()
        pin.$build.id = try fresh.requireID()
        pin.kind = kind
        pin.$template.id = try target.template.requireID()
        pin.pinnedAt = now
        try await pin.create(on: transaction)
        return Target(
            order: target.order, build: fresh, kind: kind, template: target.template, definition: target.definition,
            context: target.context, instance: target.instance, pinned: true)
    }

    static func show(_ request: Request) async throws -> JSONValue {
        let target = try await target(request, on: request.db)
        return target.instance.jsonValue(templateID: target.templateID)
    }

    // MARK: Who may write, and when

    /// Why the checklist cannot be written now (`OrderPolicy`: 403, or 409),
    /// checked before any answer or password so that a refusal tells nothing
    /// about them.
    static func requireWritable(_ target: Target, by principal: Principal, signing: Bool, on database: any Database) async throws {
        var facts = policyFacts(target, by: principal)
        var open: [ChecklistInstance.Item] = []
        if signing {
            facts.hasDrawing = try await hasDrawing(target, on: database)
            facts.undecidedNonconformance = try await undecidedNonconformance(target, on: database)
            if target.kind == .production {
                open = try await openTasks(of: target, on: database)
                facts.openTasks = open.count
                facts.missingLots = try await LotsController.missing(of: target.build, on: database)
            }
        }
        if let refusal = OrderPolicy.refusal(signing ? .sign(target.kind) : .record(target.kind), role: principal.role, facts: facts) {
            if case .tasksOpen(let count) = refusal {
                throw APIError(
                    .conflict, "TASKS_OPEN",
                    "\(count) assembly task(s) of \(target.build.buildNumber) are still open: check them off first.",
                    details: open.map { FieldError(field: "tasks.\($0.id)", message: "open: \($0.text)") })
            }
            throw APIError(refusal, naming: target.build.buildNumber)
        }
    }

    /// What `OrderPolicy` needs to know of a build and the one acting on it
    /// (the drawing and the open tasks are asked for only where they count).
    static func policyFacts(_ target: Target, by principal: Principal) -> OrderPolicy.Facts {
        OrderPolicy.Facts(
            status: target.build.status, bomApproved: target.build.bomApprovedAt != nil, held: target.build.$claimedBy.id != nil,
            heldByActor: target.build.$claimedBy.id == principal.userID)
    }

    /// The build's nonconformance of this checklist still waiting for its disposition (or its second approval), if any.
    static func undecidedNonconformance(_ target: Target, on database: any Database) async throws -> String? {
        guard Nonconformance.opensOn.contains(target.kind) else { return nil }
        let reports = try await NonconformanceReport.query(on: database).filter(\.$buildNumber == target.build.buildNumber)
            .filter(\.$kind == target.kind).all()
        guard !reports.isEmpty else { return nil }
        let steps = try await NonconformanceStep.of(reports: reports.compactMap(\.id), on: database)
        return reports.first { [.open, .awaitingApproval].contains($0.record(steps).state) }?.number
    }

    /// Whether the order has the approved drawing that Pre-QC checks the parts against.
    static func hasDrawing(_ target: Target, on database: any Database) async throws -> Bool {
        guard target.kind == .preQC else { return true }
        // Plain SQL: the Pre-QC page asks it on every view (issue 20).
        let orderID = try target.order.requireID()
        return try await (database as! any SQLDatabase).raw(
            "SELECT 1 AS found FROM documents WHERE order_id = \(bind: orderID) AND kind = \(bind: Document.Kind.drawing.rawValue) LIMIT 1"
        ).first() != nil
    }

    /// The production items whose task is not checked off.
    static func openTasks(of target: Target, on database: any Database) async throws -> [ChecklistInstance.Item] {
        let done = Set(try await TaskCompletion.query(on: database).filter(\.$buildNumber == target.build.buildNumber).all().map(\.taskID))
        return target.instance.applicableItems.filter { !done.contains($0.id) }
    }

    /// The register's instrument named by `id` (its UUID or its tag); 422
    /// when it is missing where the checklist needs one, unknown, retired,
    /// or past its calibration due date.
    static func instrument(
        _ id: String?, for instance: ChecklistInstance, on database: any Database, signing: Bool
    ) async throws
        -> Instrument?
    {
        guard let id, !id.isEmpty else {
            if signing, instance.instrumentRequired {
                throw APIError.validation([
                    FieldError(
                        field: "instrumentId", message: "name the calibrated instrument this test used (the test equipment register)")
                ])
            }
            return nil
        }
        var found = try await UUID(uuidString: id).asyncFlatMap { try await Instrument.find($0, on: database) }
        if found == nil { found = try await Instrument.query(on: database).filter(\.$tag == id).first() }
        guard let found, found.retiredAt == nil else {
            throw APIError.validation([FieldError(field: "instrumentId", message: "\(id) is not an instrument of the register in use")])
        }
        if signing, found.calibrationDue < InstrumentsController.today() {
            throw APIError.validation([
                FieldError(
                    field: "instrumentId",
                    message: "\(found.tag) was due for calibration on \(found.calibrationDue): calibrate it, or use another instrument")
            ])
        }
        return found
    }

    /// The photos of the answers, each a PHOTO document of this order.
    static func photos(of evaluation: ChecklistEvaluation, order: Order, on database: any Database) async throws -> [String: Document] {
        let ids = Set(evaluation.answers.flatMap(\.photos)).compactMap(UUID.init(uuidString:))
        guard !ids.isEmpty else { return [:] }
        let documents = try await Document.query(on: database).filter(\.$id ~~ ids).filter(\.$order.$id == order.requireID())
            .filter(\.$kind == .photo).all()
        let byID = Dictionary(documents.map { ($0.id!.uuidString.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var errors: [FieldError] = []
        for (index, answer) in evaluation.answers.enumerated() {
            for (photoIndex, photo) in answer.photos.enumerated() where byID[photo] == nil {
                errors.append(
                    FieldError(
                        JSONPath.root.key("answers").index(index).key("photos").index(photoIndex), "\(photo) is not a photo of this order"))
            }
        }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        return byID
    }

    // MARK: Signing

    /// What signing and saving a draft share: the body read, the checklist
    /// resolved, who may write it and when (before anything about the
    /// answers), the answers judged.
    static func prepare(
        _ request: Request, _ submission: Submission, signing: Bool
    ) async throws -> (Principal, Submission, Target, ChecklistEvaluation) {
        let principal = try request.principal()
        let target = try await target(request, on: request.db)
        try await requireWritable(target, by: principal, signing: signing, on: request.db)
        switch ChecklistEvaluation.evaluate(submission.answers, against: target.instance, mode: signing ? .signing : .draft) {
        case .success(let evaluation): return (principal, submission, target, evaluation)
        case .failure(let failure): throw APIError.validation(failure)
        }
    }

    /// Under the order's lock: the checklist again, pinned, still writable
    /// and still on the version the answers were judged against.
    static func locked(
        _ target: Target, by principal: Principal, signing: Bool, on transaction: any Database, now: Date
    ) async throws
        -> Target
    {
        try await OrdersController.lock(target.order.requireID(), on: transaction)
        let current = try await pinned(target.build, target.kind, on: transaction, now: now)
        try await requireWritable(current, by: principal, signing: signing, on: transaction)
        guard current.template.id == target.template.id else {
            throw APIError.conflict("The \(target.kind.rawValue) checklist of this build changed version meanwhile: reload it.")
        }
        return current
    }

    static func sign(_ request: Request) async throws -> Response {
        let result = try await sign(request, try submission(request, signing: true))
        let response = try await view(result, verified: true).encodeResponse(for: request)
        response.status = .created
        return response
    }

    /// Signs the checklist the path names with `submission` (from the API's body or the checklist's page).
    static func sign(_ request: Request, _ submission: Submission) async throws -> ChecklistResult {
        let (principal, submission, target, evaluation) = try await prepare(request, submission, signing: true)
        let instrument = try await instrument(submission.instrumentID, for: target.instance, on: request.db, signing: true)
        let photos = try await photos(of: evaluation, order: target.order, on: request.db)
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        // Last, after every check of the order and the answers, so that the answer says nothing about the password;
        // counted under the lockout and audited when wrong (21 CFR 11.300(d)).
        try await PasswordAttempts.reauthenticate(
            user, password: submission.password ?? "", field: "signature.password", action: "SIGN_FAILED", resourceType: "checklist_result",
            resourceID: nil, request: request)
        // To the millisecond, as the record and the audit entry write it, so that the column says exactly the same.
        let now = AuditLog.toTheMillisecond(Date())
        let result = try await request.db.transaction { transaction -> ChecklistResult in
            let current = try await locked(target, by: principal, signing: true, on: transaction, now: now)
            let previous = try await ChecklistResult.query(on: transaction).filter(\.$buildNumber == target.build.buildNumber)
                .filter(\.$kind == target.kind).sort(\.$signedAt, .descending).sort(\.$id, .descending).first()
            let result = ChecklistResult()
            result.id = UUID()
            result.$order.id = try current.order.requireID()
            result.buildNumber = target.build.buildNumber
            result.$template.id = try target.template.requireID()
            result.kind = target.kind
            result.outcome = evaluation.outcome
            result.$signer.id = principal.userID
            result.signedAt = now
            result.supersedesID = previous?.id
            let record = signedRecord(
                result, evaluation: evaluation, target: current, signer: principal, instrument: instrument, photos: photos)
            result.record = JSONSerializer.string(record, style: .canonical)
            result.sha256 = SHA256.hash(data: Data(result.record.utf8)).hex
            let mark = try transaction.recordSeal.seal(
                RecordSeal.checklistResult(id: result.id!.uuidString.lowercased(), sha256: result.sha256))
            result.keyID = mark.keyID
            result.mac = mark.mac
            try await result.create(on: transaction)
            let serials = target.definition.serials(in: record).map {
                SerialNumber(
                    $0, result: result.id!, order: result.$order.id, build: result.buildNumber, kind: result.kind, signedAt: now)
            }
            if !serials.isEmpty { try await serials.create(on: transaction) }
            try await AuditLog.append(
                // Filed under the build: its sealed entries say which results were signed for it, and in which order
                // (`SignedResults`), whatever happens to the rows.
                AuditEvent(
                    action: "SIGN", resourceType: "build", resourceID: target.build.buildNumber,
                    newValue: .object([
                        JSONMember("resultId", .string(result.id!.uuidString.lowercased())),
                        JSONMember("orderId", .string(result.$order.id.uuidString.lowercased())),
                        JSONMember("kind", .string(target.kind.rawValue)), JSONMember("buildNumber", .string(target.build.buildNumber)),
                        JSONMember("outcome", .string(evaluation.outcome.rawValue)), JSONMember("sha256", .string(result.sha256)),
                    ])),
                actor: request.auditActor, on: transaction, now: now)
            try await NonconformancesController.open(
                for: result, record: record, build: target.build.buildNumber, by: principal.userID, actor: request.auditActor,
                on: transaction, now: now)
            try await NonconformancesController.close(
                by: result, build: target.build.buildNumber, by: principal.userID, actor: request.auditActor, on: transaction, now: now)
            if evaluation.outcome == .pass {
                try await ChecklistDraft.query(on: transaction).filter(\.$build.$id == current.build.requireID())
                    .filter(\.$kind == target.kind).delete()
            } else {
                // The re-test starts from what was signed, not from a blank form.
                try await editDraft(of: current, by: principal.userID, on: transaction, now: now) { draft in
                    draft.answers = evaluation.answers.map(\.draftValue)
                    draft.instrument = instrument?.id
                }
            }
            if evaluation.outcome == .fail || [.preQC, .finalQC].contains(target.kind) {
                let roles: Set<Role> =
                    target.kind == .preQC ? [.procurementSpecialist] : target.kind == .finalQC ? [.assembler] : [.qcPerson]
                try await NotificationsController.notify(
                    roles,
                    title:
                        "\(current.order.poNumber) \(target.build.buildNumber): \(target.kind.words) \(evaluation.outcome == .pass ? "passed" : "failed")",
                    orderID: try current.order.requireID(), on: transaction, now: now, mail: request.mailContext)
            }
            return result
        }
        request.application.metrics.qcChecksCompleted(kind: target.kind.rawValue, outcome: evaluation.outcome.rawValue)
        return result
    }

    /// What the signature covers, as canonical JSON: the build, the exact
    /// template version, every answer with its item's words and its photos'
    /// SHA-256, the items that did not apply and why, the instrument with
    /// its calibration due date, the outcome and the signer.
    static func signedRecord(
        _ result: ChecklistResult, evaluation: ChecklistEvaluation, target: Target, signer: Principal, instrument: Instrument?,
        photos: [String: Document]
    ) -> JSONValue {
        let items = Dictionary(target.instance.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return .object([
            JSONMember("id", .string(result.id!.uuidString.lowercased())),
            JSONMember("orderId", .string(result.$order.id.uuidString.lowercased())),
            JSONMember("buildNumber", .string(result.buildNumber)),
            JSONMember("kind", .string(result.kind.rawValue)), JSONMember("templateId", .string(target.templateID)),
            JSONMember("templateVersion", .number(Double(target.template.version))),
            JSONMember(
                "answers",
                .array(
                    evaluation.answers.map { answer in
                        answer.recordValue(
                            item: items[answer.itemID],
                            photos: answer.photos.compactMap { id in
                                photos[id].map { document in
                                    .object([
                                        JSONMember("documentId", .string(id)), JSONMember("sha256", .string(document.sha256)),
                                        JSONMember("fileName", .string(document.fileName)),
                                    ])
                                }
                            })
                    })),
            JSONMember(
                "notApplicable",
                .array(
                    target.instance.items.filter { !$0.applicable }.map { item in
                        .object([
                            JSONMember("itemId", .string(item.id)), JSONMember("text", .string(item.text)),
                            JSONMember("basin", item.basin.map { .number(Double($0)) } ?? .null),
                            JSONMember("reason", .string(item.notApplicableReason ?? "")),
                        ])
                    })),
            JSONMember("instrument", instrument.map(InstrumentsController.recordView) ?? .null),
            JSONMember("outcome", .string(evaluation.outcome.rawValue)),
            JSONMember("failedItems", .array(evaluation.failedItems.map { .string($0) })),
            JSONMember(
                "signature",
                .object([
                    JSONMember("userId", .string(signer.userID.uuidString.lowercased())), JSONMember("initials", .string(signer.initials)),
                    JSONMember("fullName", .string(signer.fullName)), JSONMember("signedAt", .string(AuditLog.timestamp(result.signedAt))),
                    JSONMember("meaning", .string(target.definition.signatureMeaning)),
                ])),
            JSONMember("supersedes", result.supersedesID.map { .string($0.uuidString.lowercased()) } ?? .null),
        ])
    }
}
