import CleanStationCore
import Fluent
import Vapor

/// Checklist forms generated from the build's instantiated checklist (items
/// that do not apply shown as N/A with the reason), the draft kept as it is
/// entered, photos per item, the instrument of a test, the signature step,
/// and signed results with every recorded value.
enum ChecklistPages {
    static func title(_ kind: ChecklistKind) -> String {
        switch kind {
        case .preQC: "Pre-QC"
        case .production: "Production checklist"
        case .eolTest: "End-of-line test"
        case .packaging: "Packaging"
        case .finalQC: "Final QC"
        }
    }

    static func show(_ request: Request) async throws -> Response {
        try await render(request, form(request, submitted: nil, errors: []))
    }

    static func printable(_ request: Request) async throws -> Response {
        var form = try await form(request, submitted: nil, errors: [])
        for index in form.sections.indices { form.sections[index].html = ChecklistHTML.printItems(form.sections[index].items) }
        for index in form.results.indices { form.results[index].rows = ChecklistHTML.resultRows(form.results[index].lines, print: true) }
        return try await Chrome.render(request, "checklist-print", title: "\(form.title) \(form.buildNumber)", form, section: nil)
    }

    private static func render(_ request: Request, _ form: Form, status: HTTPResponseStatus = .ok) async throws -> Response {
        var form = form
        for index in form.sections.indices {
            form.sections[index].html = ChecklistHTML.items(form.sections[index].items, signable: form.signable)
        }
        for index in form.results.indices { form.results[index].rows = ChecklistHTML.resultRows(form.results[index].lines, print: false) }
        if form.signable { form.photoForms = ChecklistHTML.photoForms(form.sections, action: form.photoAction, csrf: request.csrfToken) }
        let response = try await Chrome.render(
            request, "checklist", title: "\(form.title) · \(form.buildNumber)", form, section: SiteURL.orders.path,
            breadcrumbs: [
                Chrome.Link(label: "Orders", href: SiteURL.orders.path, current: false),
                Chrome.Link(label: form.poNumber, href: form.orderHref, current: false),
                Chrome.Link(label: "\(form.buildNumber) · \(form.title)", href: form.action, current: true),
            ])
        response.status = status
        return response
    }

    /// The form of the checklist, filled from the draft; with `submitted`,
    /// the values sent and the errors found are shown in place instead.
    static func form(_ request: Request, submitted: FormFields?, errors: [FieldError]) async throws -> Form {
        let principal = try request.principal()
        let database = request.db  // made once, as on the order's page
        let target = try await ChecklistsController.target(request, on: database)
        let orderID = try target.order.requireID().uuidString.lowercased()
        let checklist = { (page: SiteURL.ChecklistPage?) in
            SiteURL.build(.value(orderID), .value(target.build.buildNumber), .checklist(.value(target.kind.pathName), page)).path
        }
        let action = checklist(nil)
        // The page's other reads are independent of each other: at once, so that it waits for the database about once.
        async let draftRead = ChecklistsController.draft(of: target, on: database)
        async let instructionsRead = AssemblyController.instructionsByItem(on: database)
        async let resultsRead = ChecklistsController.results(of: target, on: database)
        async let drawingRead = ChecklistsController.hasDrawing(target, on: database)
        async let signedPassRead = ChecklistsController.signedPassThisRound(target, on: database)
        async let instrumentsRead =
            target.instance.instrumentRequired ? Instrument.query(on: database).filter(\.$retiredAt == nil).sort(\.$tag).all() : []
        let draft = try await draftRead
        let saved = Dictionary(draft.answers.map(RecordAnswer.init).map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
        var byField: [String: String] = [:]
        for error in errors { byField[error.field, default: ""] += (byField[error.field] == nil ? "" : "; ") + error.message }
        let instructions = try await instructionsRead
        var index = 0
        var answered = 0
        let sections = target.instance.sections.map { section in
            Form.Section(
                title: section.title,
                items: section.items.map { item in
                    let position = item.applicable ? index : -1
                    if item.applicable { index += 1 }
                    let name = "answers[\(position)]"
                    let stored = saved[item.id]
                    let value = submitted.map { $0.value("\(name).value") ?? "" } ?? stored.map { fieldValue($0.value) } ?? ""
                    let na = submitted.map { $0.value("\(name).na") == "true" } ?? (stored?.na == true)
                    if item.applicable, !value.isEmpty || na { answered += 1 }
                    let limits = [item.min.map { "min \(JSONSerializer.format($0))" }, item.max.map { "max \(JSONSerializer.format($0))" }]
                        .compactMap { $0 }.joined(separator: ", ")
                    let instruction = instructions[item.templateItemID]
                    return Form.Item(
                        index: position, id: item.id, anchor: Form.Item.anchor(of: item.id), text: item.text,
                        type: item.answerType.rawValue, basin: item.basin.map { "Basin \($0)" } ?? "", applicable: item.applicable,
                        notApplicableReason: item.notApplicableReason.map { "Does not apply: \($0)." } ?? "", naAllowed: item.naAllowed,
                        unit: item.unit ?? "", limits: limits, min: item.min.map(JSONSerializer.format) ?? "",
                        max: item.max.map(JSONSerializer.format) ?? "",
                        options: (item.options ?? []).map { Choice(value: $0, label: item.label(of: $0), selected: $0 == value) },
                        value: value, na: na, note: submitted?.value("\(name).note") ?? stored?.note ?? "",
                        quantity: item.expectedQuantity.map { "× \($0)" } ?? "",
                        expected: item.expectedValues.map { values in
                            "Ordered: " + values.map { item.answerType == .choice ? item.label(of: $0) : $0 }.joined(separator: " or ")
                        } ?? "",
                        photos: (stored?.photos ?? []).enumerated().map { number, photo in
                            Photo(href: SiteURL.document(.value(photo.id)).path, label: "Photo \(number + 1) of \(item.text)")
                        },
                        instruction: instruction.map { instruction in
                            Instruction(
                                title: instruction.title,
                                steps: (try? JSONParser.parse(instruction.steps).array.compactMap(\.string)) ?? [],
                                safety: instruction.safetyNotes,
                                image: instruction.$image.id.map { SiteURL.document(.id($0)).path } ?? "")
                        },
                        error: item.applicable
                            ? [byField["\(name).value"], byField["\(name).na"], byField["\(name).note"], byField["\(name).itemId"]]
                                .compactMap { $0 }.first : nil)
                })
        }
        let used = Set(
            (0..<index).flatMap { ["answers[\($0)].value", "answers[\($0)].na", "answers[\($0)].itemId", "answers[\($0)].note"] }
                + ["signature.password", "instrumentId"])
        var instances: [String: ChecklistInstance] = [target.templateID: target.instance]
        let signedResults = try await resultsRead
        for result in signedResults {
            let id = result.templateId
            guard instances[id] == nil,
                let record = try await UUID(uuidString: id).asyncFlatMap({ try await ChecklistTemplateRecord.find($0, on: database) })
            else { continue }
            instances[id] = try record.template().instantiate(in: target.context)
        }
        let results = signedResults.reversed().map { result in
            let record = (try? JSONParser.parse(result.record)) ?? .null
            let shown = RecordLines(record: record, instance: instances[result.templateId] ?? target.instance)
            return Result(
                outcome: result.verified ? result.outcome : "NOT VERIFIED", signedBy: result.signature.fullName,
                signedAt: OrderRow.shortTime(result.signature.signedAt), meaning: result.signature.meaning,
                sha256: result.signature.sha256, failedItems: shown.failedLabels.joined(separator: "; "),
                instrument: shown.instrument ?? "", templateVersion: String(result.templateVersion),
                certificate: checklist(.certificate) + "?result=\(result.id)", printable: checklist(.print),
                lines: shown.lines.map { line in
                    Result.Line(
                        label: line.label, value: line.value, failed: line.failed, notApplicable: line.notApplicable, detail: line.detail,
                        photos: line.photos.enumerated().map { number, photo in
                            Photo(
                                href: SiteURL.document(.value(photo.id)).path,
                                label: "Photo \(number + 1) of \(line.label), SHA-256 \(photo.sha256)")
                        })
                })
        }
        // The form asks the rules the API obeys (`OrderPolicy`): whether this person records it now, and whether
        // it can be signed yet (Pre-QC needs the drawing); open tasks are listed below instead.
        let canSign = ChecklistSigning.signer(of: target.kind) == principal.role
        var facts = ChecklistsController.policyFacts(target, by: principal)
        facts.hasDrawing = try await drawingRead
        let blocked =
            canSign
            ? OrderPolicy.refusal(.record(target.kind), role: principal.role, facts: facts).map {
                OrderPolicy.naming($0.message, build: target.build.buildNumber)
            }
            : target.build.status == OrderPolicy.recordingStatus(target.kind)
                ? nil
                : OrderPolicy.refusal(.record(target.kind), role: ChecklistSigning.signer(of: target.kind), facts: facts)?.message
        let openTasks =
            target.kind == .production && blocked == nil
            ? try await ChecklistsController.openTasks(of: target, on: database).map { item in
                item.basin.map { "\(item.text) (basin \($0))" } ?? item.text
            } : []
        // With a task open, the form is saved, not signed (the API's 409 TASKS_OPEN); the tasks are listed above it.
        facts.openTasks = openTasks.count
        if target.kind == .production && blocked == nil {
            facts.missingLots = try await LotsController.missing(of: target.build, on: database)
        }
        let signBlocked =
            canSign && blocked == nil ? OrderPolicy.refusal(.sign(target.kind), role: principal.role, facts: facts)?.message : nil
        let chosenInstrument = submitted?.value("instrumentId") ?? draft.instrumentId ?? ""
        let today = InstrumentsController.today()
        let instruments = try await instrumentsRead.map { instrument in
            Choice(
                value: instrument.tag,
                label: "\(instrument.tag) · \(instrument.description) · calibration due \(instrument.calibrationDue)"
                    + (instrument.calibrationDue < today ? " (overdue)" : ""),
                selected: instrument.tag == chosenInstrument)
        }
        return Form(
            orderID: orderID, poNumber: target.order.poNumber, buildNumber: target.build.buildNumber, kind: target.kind.pathName,
            title: title(target.kind), form: target.definition.form, templateVersion: target.instance.templateVersion,
            meaning: target.definition.signatureMeaning, sections: sections, canSign: canSign,
            signable: canSign && blocked == nil, blocked: blocked, signBlocked: signBlocked,
            errors: errors.filter { !used.contains($0.field) }.map(\.description), passwordError: byField["signature.password"],
            results: Array(results), orderHref: SiteURL.order(.value(orderID)).path, action: action, draftAction: checklist(.draft),
            photoAction: checklist(.photos),
            draftSaved: draft.updatedBy.map { "Draft saved by \($0) at \(OrderRow.shortTime(draft.updatedAt))." } ?? "",
            draftRevision: draft.revision,
            signedPass: try await signedPassRead,
            instrumentRequired: target.instance.instrumentRequired, instruments: instruments, instrumentError: byField["instrumentId"],
            openTasks: openTasks, tasksHref: SiteURL.build(of: request, .tasks).path, answered: answered, applicable: index,
            notApplicable: target.instance.items.count - index)
    }

    /// A stored answer's value as a form field holds it.
    static func fieldValue(_ value: JSONValue?) -> String {
        switch value {
        case .bool(let flag)?: flag ? "true" : "false"
        case .number(let number)?: JSONSerializer.format(number)
        case .string(let text)?: text
        default: ""
        }
    }

    /// The form's fields as the API's answers: every applicable item in
    /// order, so that a refusal names each at its position on the form.
    static func answers(_ fields: FormFields, _ instance: ChecklistInstance, photos: [String: JSONValue]) -> JSONValue {
        .array(
            instance.applicableItems.enumerated().map { index, item -> JSONValue in
                let name = "answers[\(index)]"
                var members = [JSONMember("itemId", .string(fields.value("\(name).itemId") ?? item.id))]
                if fields.value("\(name).na") == "true" {
                    members.append(JSONMember("na", true))
                } else if let text = fields.text("\(name).value") {
                    switch item.answerType {
                    case .check: members.append(JSONMember("value", text == "true" ? true : text == "false" ? false : .string(text)))
                    case .number: members.append(JSONMember("value", Double(text).map { .number($0) } ?? .string(text)))
                    default: members.append(JSONMember("value", .string(text)))
                    }
                }
                if let note = fields.text("\(name).note") { members.append(JSONMember("note", .string(note))) }
                if let kept = photos[item.id] { members.append(JSONMember("photos", kept)) }
                return .object(members)
            })
    }

    /// The submission of the form: the answers with the draft's photos, the
    /// instrument, and the password to sign or the draft's revision to save.
    static func submission(_ request: Request, _ fields: FormFields, signing: Bool) async throws -> ChecklistsController.Submission {
        let target = try await ChecklistsController.target(request, on: request.db)
        let draft = try await ChecklistsController.draftView(
            try await ChecklistDraft.query(on: request.db).filter(\.$build.$id == target.build.requireID()).filter(\.$kind == target.kind)
                .first(), target: target, on: request.db)
        let photos = Dictionary(
            draft.answers.map(RecordAnswer.init).filter { !$0.photos.isEmpty }.map {
                ($0.itemID, JSONValue.array($0.photos.map { .string($0.id) }))
            },
            uniquingKeysWith: { first, _ in first })
        return ChecklistsController.Submission(
            answers: answers(fields, target.instance, photos: photos),
            password: signing ? fields.value("signature.password") ?? "" : nil, instrumentID: fields.text("instrumentId"),
            revision: signing ? nil : fields.text("draftRevision").flatMap(Int.init))
    }

    static func sign(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let target = try await ChecklistsController.target(request, on: request.db)
        let signed: ChecklistResult
        do {
            signed = try await ChecklistsController.sign(request, try await submission(request, fields, signing: true))
        } catch let error as APIError where error.status == .unprocessableEntity || error.status == .conflict {
            let errors = error.details.isEmpty ? [FieldError(field: "", message: error.message)] : error.details
            return try await render(request, form(request, submitted: fields, errors: errors), status: error.status)
        }
        let outcome = signed.outcome.rawValue
        return Flash.redirect(
            request, to: request.url.path,
            outcome == "FAIL"
                ? "\(title(target.kind)) of \(target.build.buildNumber) signed: FAIL. The answers stay in the draft for the re-test."
                : "\(title(target.kind)) of \(target.build.buildNumber) signed: \(outcome).",
            isError: outcome == "FAIL")
    }

    /// "Save draft", and the page's autosave (`X-Autosave: 1`, answered 204).
    static func saveDraft(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let back = SiteURL.build(of: request, .checklist(.value(request.parameters.get("kind") ?? ""))).path
        let submission = try await submission(request, fields, signing: false)
        let autosave = request.headers.first(name: "X-Autosave") == "1"
        let saved: ChecklistsController.DraftView
        do {
            saved = try await ChecklistsController.saveDraft(request, submission)
        } catch let error as APIError where error.status == .unprocessableEntity || error.status == .conflict {
            if autosave { throw error }
            let errors = error.details.isEmpty ? [FieldError(field: "", message: error.message)] : error.details
            return try await render(request, form(request, submitted: fields, errors: errors), status: error.status)
        }
        if autosave {
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: "X-Draft-Revision", value: String(saved.revision))
            return Response(status: .noContent, headers: headers)
        }
        return Flash.redirect(request, to: back, "Draft saved: it can be resumed on any device.")
    }

    struct PhotoUpload: Content {
        var itemId: String?
    }

    /// A photo for one item: a PNG or JPEG stored as a PHOTO document of the
    /// order, and added to the item's answer in the draft under the order's
    /// lock, so that the signature takes it into the record by its SHA-256.
    static func attachPhoto(_ request: Request) async throws -> Response {
        let back = SiteURL.build(of: request, .checklist(.value(request.parameters.get("kind") ?? ""))).path
        let itemID = (try? request.content.decode(PhotoUpload.self).itemId) ?? ""
        return try await Flash.perform(
            request, then: back + "#" + Form.Item.anchor(of: itemID), "Photo attached to the item."
        ) {
            let principal = try request.principal()
            let target = try await ChecklistsController.target(request, on: request.db)
            guard target.instance.applicableItems.contains(where: { $0.id == itemID }) else {
                throw APIError.validation([FieldError(field: "itemId", message: "choose an item of this checklist that applies")])
            }
            try await ChecklistsController.requireWritable(target, by: principal, signing: false, on: request.db)
            let upload = try request.content.decode(DocumentsController.Upload.self)
            guard upload.kind == Document.Kind.photo.rawValue, let file = upload.file,
                ["image/png", "image/jpeg"].contains(ContentSniffer.verifiedType(of: Data(buffer: file.data)))
            else { throw APIError.validation([FieldError(field: "file", message: "choose a photo: a PNG or JPEG image")]) }
            let documentID = try await DocumentsController.stored(request).id
            let now = Date()
            try await request.db.transaction { transaction in
                let current = try await ChecklistsController.locked(target, by: principal, signing: false, on: transaction, now: now)
                let draft = try await ChecklistsController.editDraft(of: current, by: principal.userID, on: transaction, now: now) {
                    $0.set(itemID, "photos", to: .array(($0.answer(itemID)?["photos"]?.array ?? []) + [.string(documentID)]))
                }
                try await AuditLog.append(
                    AuditEvent(
                        action: "UPDATE", resourceType: "checklist_draft",
                        resourceID: "\(target.build.buildNumber)/\(target.kind.pathName)",
                        newValue: .object([
                            JSONMember("photo", .string(documentID)), JSONMember("itemId", .string(itemID)),
                            JSONMember("revision", .number(Double(draft.revision))),
                        ])),
                    actor: request.auditActor, on: transaction, now: now)
            }
        }
    }
}
