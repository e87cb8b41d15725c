import CleanStationCore
import CleanStationExports
import Crypto
import Fluent
import Vapor

/// Checklists of a build: the instance for its configuration, and signed
/// results (domain.md "Results and signatures").
enum ChecklistsController {
    /// The order status in which each checklist is recorded.
    static func recordingStatus(_ kind: ChecklistKind) -> OrderStatus {
        switch kind {
        case .preQC: .readyForPreQC
        case .production, .eolTest: .readyForProduction
        case .packaging: .testingComplete
        case .finalQC: .readyForFinalQC
        }
    }

    static func signers(_ kind: ChecklistKind) -> Set<Role> {
        switch kind {
        case .preQC, .finalQC: [.qcPerson, .admin]
        case .production, .eolTest, .packaging: [.assembler, .admin]
        }
    }

    struct Target {
        var order: Order
        var build: Build
        var kind: ChecklistKind
        var template: ChecklistTemplateRecord
        var instance: ChecklistInstance
    }

    static func target(_ request: Request, on database: any Database) async throws -> Target {
        guard let kind = request.parameters.get("kind").flatMap(ChecklistKind.init(pathName:)) else {
            throw APIError.notFound("The checklist")
        }
        let build = try await OrdersController.build(request)
        guard let order = try await Order.find(build.$order.id, on: database) else { throw APIError.notFound("The order") }
        guard
            let record = try await ChecklistTemplateRecord.query(on: database).filter(\.$kind == kind).filter(\.$retiredAt == nil)
                .sort(\.$version, .descending).first()
        else { throw APIError.notFound("An active \(kind.rawValue) template") }
        let sink = try SinkConfiguration.read(Data(build.configuration.utf8)).get()
        return Target(order: order, build: build, kind: kind, template: record, instance: try record.template().instantiate(for: sink))
    }

    static func show(_ request: Request) async throws -> JSONValue {
        let target = try await target(request, on: request.db)
        return target.instance.jsonValue(templateID: try target.template.requireID().uuidString.lowercased())
    }

    static func sign(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        let body = try request.jsonBody()
        var reader = JSONFieldReader()
        guard let object = reader.object(body, at: .root, allowedKeys: ["answers", "signature"]) else {
            throw APIError.validation(reader.errors)
        }
        let password = reader.member(object, "signature").flatMap { value -> String? in
            guard let signature = reader.object(value, at: .root.key("signature"), allowedKeys: ["password"]) else { return nil }
            return reader.requiredString(signature, "password")
        }
        let answers = reader.member(object, "answers")
        guard let password, let answers, reader.errors.isEmpty else { throw APIError.validation(reader.errors) }

        let target = try await target(request, on: request.db)
        guard signers(target.kind).contains(principal.role) else {
            throw APIError(.forbidden, "PERMISSION_DENIED", "\(principal.role.rawValue) may not sign a \(target.kind.rawValue) checklist.")
        }
        let evaluation: ChecklistEvaluation
        switch ChecklistEvaluation.evaluate(answers, against: target.instance) {
        case .success(let value): evaluation = value
        case .failure(let failure): throw APIError.validation(failure)
        }
        guard let user = try await User.find(principal.userID, on: request.db) else { throw APIError.unauthorized }
        let hash = user.passwordHash
        guard try await request.application.passwordHasher.verify(password, created: hash) else {
            throw APIError.validation([FieldError(field: "signature.password", message: "does not match your password")])
        }
        let now = Date()
        let result = try await request.db.transaction { transaction -> ChecklistResult in
            try await OrdersController.lock(target.order.requireID(), on: transaction)
            guard let order = try await Order.find(target.order.id, on: transaction) else { throw APIError.notFound("The order") }
            let status = recordingStatus(target.kind)
            guard order.status == status else {
                throw APIError(
                    .conflict, "INVALID_TRANSITION",
                    "A \(target.kind.rawValue) result is recorded while the order is \(status.rawValue); it is \(order.status.rawValue).")
            }
            if [.production, .eolTest, .packaging].contains(target.kind), principal.role != .admin,
                try await Build.find(target.build.id, on: transaction)?.$claimedBy.id != principal.userID
            {
                throw APIError(
                    .conflict, "RESOURCE_CONFLICT",
                    "Claim build \(target.build.buildNumber) before recording its \(target.kind.rawValue) checklist.")
            }
            if target.kind == .preQC,
                try await Document.query(on: transaction).filter(\.$order.$id == order.requireID()).filter(\.$kind == .drawing).count() == 0
            {
                throw APIError(
                    .conflict, "INVALID_TRANSITION", "Pre-QC needs the approved drawing: attach a DRAWING document to the order first.")
            }
            let previous = try await ChecklistResult.query(on: transaction).filter(\.$buildNumber == target.build.buildNumber)
                .filter(\.$kind == target.kind).sort(\.$signedAt, .descending).sort(\.$id, .descending).first()
            let result = ChecklistResult()
            result.id = UUID()
            result.$order.id = try order.requireID()
            result.buildNumber = target.build.buildNumber
            result.$template.id = try target.template.requireID()
            result.kind = target.kind
            result.outcome = evaluation.outcome
            result.$signer.id = principal.userID
            result.signedAt = now
            result.supersedesID = previous?.id
            let record = signedRecord(
                result, evaluation: evaluation, template: target.template, signer: principal,
                meaning: try target.template.template().signatureMeaning)
            result.record = JSONSerializer.string(record, style: .canonical)
            result.sha256 = SHA256.hash(data: Data(result.record.utf8)).hexString
            try await result.create(on: transaction)
            if evaluation.outcome == .fail || [.preQC, .finalQC].contains(target.kind) {
                let roles: Set<Role> =
                    target.kind == .preQC ? [.procurementSpecialist] : target.kind == .finalQC ? [.assembler] : [.qcPerson]
                try await NotificationsController.notify(
                    roles, title: "\(order.poNumber) \(target.build.buildNumber): \(target.kind.rawValue) \(evaluation.outcome.rawValue)",
                    orderID: try order.requireID(), on: transaction, now: now, mail: request.mailContext)
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "SIGN", resourceType: "checklist_result", resourceID: result.id?.uuidString.lowercased(),
                    newValue: .object([
                        JSONMember("kind", .string(target.kind.rawValue)), JSONMember("buildNumber", .string(target.build.buildNumber)),
                        JSONMember("outcome", .string(evaluation.outcome.rawValue)), JSONMember("sha256", .string(result.sha256)),
                    ])),
                actor: request.auditActor, on: transaction, now: now)
            return result
        }
        request.application.metrics.qcChecksCompleted(kind: target.kind.rawValue, outcome: evaluation.outcome.rawValue)
        let response = try await view(result).encodeResponse(for: request)
        response.status = .created
        return response
    }

    /// What the signature covers, as canonical JSON: the build, the exact
    /// template version, every answer, the outcome and the signer.
    static func signedRecord(
        _ result: ChecklistResult, evaluation: ChecklistEvaluation, template: ChecklistTemplateRecord, signer: Principal, meaning: String
    ) -> JSONValue {
        .object([
            JSONMember("id", .string(result.id!.uuidString.lowercased())),
            JSONMember("orderId", .string(result.$order.id.uuidString.lowercased())),
            JSONMember("buildNumber", .string(result.buildNumber)),
            JSONMember("kind", .string(result.kind.rawValue)), JSONMember("templateId", .string(template.id!.uuidString.lowercased())),
            JSONMember("templateVersion", .number(Double(template.version))),
            JSONMember(
                "answers",
                .array(
                    evaluation.answers.map { answer in
                        .object([
                            JSONMember("itemId", .string(answer.itemID)), JSONMember("value", answer.value ?? .null),
                            JSONMember("na", .bool(answer.na)),
                            JSONMember("note", answer.note.map { .string($0) } ?? .null), JSONMember("passed", .bool(answer.passed)),
                        ])
                    })),
            JSONMember("outcome", .string(evaluation.outcome.rawValue)),
            JSONMember("failedItems", .array(evaluation.failedItems.map { .string($0) })),
            JSONMember(
                "signature",
                .object([
                    JSONMember("userId", .string(signer.userID.uuidString.lowercased())), JSONMember("initials", .string(signer.initials)),
                    JSONMember("fullName", .string(signer.fullName)), JSONMember("signedAt", .string(AuditLog.timestamp(result.signedAt))),
                    JSONMember("meaning", .string(meaning)),
                ])),
            JSONMember("supersedes", result.supersedesID.map { .string($0.uuidString.lowercased()) } ?? .null),
        ])
    }

    static func view(_ result: ChecklistResult) throws -> JSONValue {
        let record = try JSONParser.parse(result.record)
        var signature = record["signature"]?.members ?? []
        signature.append(JSONMember("sha256", .string(result.sha256)))
        return .object([
            JSONMember("id", .string(result.id!.uuidString.lowercased())), JSONMember("kind", .string(result.kind.rawValue)),
            JSONMember("buildNumber", .string(result.buildNumber)), JSONMember("templateVersion", record["templateVersion"] ?? .null),
            JSONMember("outcome", .string(result.outcome.rawValue)), JSONMember("failedItems", record["failedItems"] ?? []),
            JSONMember("answers", record["answers"] ?? []), JSONMember("signature", .object(signature)),
            JSONMember("supersedes", record["supersedes"] ?? .null), JSONMember("record", .string(result.record)),
        ])
    }

    /// The certificate of the build's latest signed result of this checklist
    /// (or of `?result=ID`), as a PDF.
    static func certificate(_ request: Request) async throws -> Response {
        let target = try await target(request, on: request.db)
        var query = ChecklistResult.query(on: request.db).filter(\.$buildNumber == target.build.buildNumber).filter(\.$kind == target.kind)
        if let text = request.query[String.self, at: "result"] {
            guard let id = UUID(uuidString: text) else {
                throw APIError.validation([FieldError(field: "result", message: "must be a UUID")])
            }
            query = query.filter(\.$id == id)
        }
        guard let result = try await query.sort(\.$signedAt, .descending).sort(\.$id, .descending).first() else {
            throw APIError.notFound("A signed \(target.kind.rawValue) result of \(target.build.buildNumber)")
        }
        guard let template = try await ChecklistTemplateRecord.find(result.$template.id, on: request.db) else {
            throw APIError.notFound("The result's template")
        }
        let definition = try template.template()
        let sink = try SinkConfiguration.read(Data(target.build.configuration.utf8)).get()
        let labels = Dictionary(
            definition.instantiate(for: sink).items.map { ($0.id, $0.text) }, uniquingKeysWith: { first, _ in first })
        let record = try JSONParser.parse(result.record)
        let signature = record["signature"]
        let answers: [(String, String)] = (record["answers"]?.array ?? []).map { answer in
            let id = answer["itemId"]?.string ?? ""
            let value: String =
                answer["na"] == .bool(true)
                ? "N/A" : answer["value"].map { $0.string ?? JSONSerializer.string($0, style: .compact) } ?? "—"
            return (labels[id] ?? id, answer["passed"] == .bool(false) ? "\(value) (FAIL)" : value)
        }
        let certificate = QCCertificatePDF.Certificate(
            title: "\(definition.name) certificate", poNumber: target.order.poNumber, customer: target.order.customerName,
            buildNumber: result.buildNumber, checklist: "\(definition.form) \(definition.name)", templateVersion: String(template.version),
            outcome: result.outcome.rawValue.uppercased(), signer: signature?["fullName"]?.string ?? "",
            signedAt: signature?["signedAt"]?.string ?? AuditLog.timestamp(result.signedAt), meaning: signature?["meaning"]?.string ?? "",
            sha256: result.sha256, answers: answers,
            failedItems: (record["failedItems"]?.array ?? []).compactMap { $0.string }.map { labels[$0] ?? $0 },
            link: request.application.publicLink(toBuild: result.buildNumber, of: try target.order.requireID()))
        return Response.download(
            try QCCertificatePDF.render(certificate), type: "application/pdf",
            filename: "\(result.buildNumber)-\(target.kind.rawValue.lowercased())-certificate.pdf")
    }

    static func results(_ request: Request) async throws -> JSONValue {
        .array(try await results(of: try await target(request, on: request.db), on: request.db))
    }

    /// The signed results of a resolved checklist, oldest first.
    static func results(of target: Target, on database: any Database) async throws -> [JSONValue] {
        try await ChecklistResult.query(on: database).filter(\.$buildNumber == target.build.buildNumber)
            .filter(\.$kind == target.kind).sort(\.$signedAt).sort(\.$id).all().map(view)
    }

    /// The lifecycle facts that signed results establish: for each kind, the
    /// latest result of every build signed since the order last entered the
    /// status in which that kind is recorded (so a rework round needs new results).
    static func facts(for order: Order, builds: [Build], on database: any Database) async throws -> Lifecycle.Facts {
        var facts = Lifecycle.Facts()
        facts.everyBOMApproved = builds.allSatisfy { $0.bomApprovedAt != nil }
        let orderID = try order.requireID()
        facts.everyOutsourcedLineReceived =
            try await OutsourcedLine.query(on: database).filter(\.$order.$id == orderID).filter(\.$status != .received).count() == 0
        let history = try await OrderHistoryEntry.query(on: database).filter(\.$order.$id == orderID).all()
        let results = try await ChecklistResult.query(on: database).filter(\.$order.$id == orderID).all()
        func latest(_ kind: ChecklistKind) -> [String: ChecklistEvaluation.Outcome] {
            let since = history.filter { $0.toStatus == recordingStatus(kind) }.map(\.at).max() ?? .distantPast
            var outcomes: [String: (Date, ChecklistEvaluation.Outcome)] = [:]
            for result in results where result.kind == kind && result.signedAt >= since {
                if let current = outcomes[result.buildNumber], current.0 > result.signedAt { continue }
                outcomes[result.buildNumber] = (result.signedAt, result.outcome)
            }
            return outcomes.mapValues(\.1)
        }
        let numbers = builds.map(\.buildNumber)
        func passedForEvery(_ kind: ChecklistKind) -> Bool {
            let outcomes = latest(kind)
            return !numbers.isEmpty && numbers.allSatisfy { outcomes[$0] == .pass }
        }
        facts.preQCPassedForEveryBuild = passedForEvery(.preQC)
        facts.preQCFailedForABuild = latest(.preQC).values.contains(.fail)
        facts.productionAndTestsDoneForEveryBuild =
            builds.allSatisfy { $0.$claimedBy.id != nil } && passedForEvery(.production) && passedForEvery(.eolTest)
        facts.packagingDoneForEveryBuild = passedForEvery(.packaging)
        facts.finalQCPassedForEveryBuild = passedForEvery(.finalQC)
        facts.finalQCFailedForABuild = latest(.finalQC).values.contains(.fail)
        return facts
    }
}
