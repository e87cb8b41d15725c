import CleanStationCore
import Fluent
import Vapor

/// The checklist template editor (admins): sections, items, answer types,
/// limits, units, N/A and conditions as text fields; a preview of the
/// edited template against a build or a sample sink; publishing as the next
/// version through the API's handler, so the same validation applies.
enum TemplateEditorPages {
    struct Editor: Encodable {
        struct Section: Encodable {
            var index: Int
            var title: String
            var error: String?
            var items: [Item]
        }

        struct Item: Encodable {
            var anchor: String
            var summary: String
            var fields: [Field]
            var remove: String
            var invalid: Bool
        }

        struct Field: Encodable {
            var name: String
            var id: String
            var label: String
            var value: String
            var kind: String
            var checked: Bool
            var options: [Choice]
            var hint: String
            var error: String?
            var wide: Bool
        }

        var kind: String
        var version: Int
        var action: String
        var header: [Field]
        var sections: [Section]
        var hidden: [Choice]
        var errors: [String]
        var vocabulary: [Choice]
        var samples: [Choice]
        var previewBuild: String
        var previewError: String?
        var preview: Preview?
    }

    struct Preview: Encodable {
        struct Section: Encodable {
            var title: String
            var items: [Line]
        }

        struct Line: Encodable {
            var text: String
            var basin: String
            var applicable: Bool
            var detail: String
        }

        var subject: String
        var applicable: Int
        var notApplicable: Int
        var sections: [Section]
    }

    /// Sinks to preview a template against when no build is named.
    static let samples: [(name: String, label: String, sink: SinkConfiguration, language: Language)] = [
        (
            "mixed", "T2-B3, height-adjustable, pegboard: E-Drain + E-Sink + E-Sink DI, basin lights, air gun turret, English",
            SinkConfiguration(
                buildNumber: "SAMPLE-1", model: .t2B3, width: 30, length: 90, legs: Legs(type: .heightAdjustable, model: .dl27),
                feet: .lockLevelingCasters, pegboard: Pegboard(type: .perforated, color: .green, size: .sameAsSink),
                workflowDirection: .leftToRight,
                basins: [
                    Basin(type: .eDrain, size: .standard(.s24x20x10), basinLight: true), Basin(type: .eSink, size: .standard(.s24x20x10)),
                    Basin(type: .eSinkDI, size: .standard(.s24x20x10), basinLight: true),
                ],
                faucets: [Faucet(type: .wristBlade, quantity: 2, placement: .between1And2)],
                sprayers: [Sprayer(type: .airGunTurret, quantity: 1, location: .left)],
                accessories: [AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 2)]), .en
        ),
        (
            "fixed", "T2-B2, fixed-height, no pegboard: E-Drain + E-Sink DI, French",
            SinkConfiguration(
                buildNumber: "SAMPLE-2", model: .t2B2, width: 30, length: 60, legs: Legs(type: .fixedHeight, model: .dl27),
                feet: .seismicFeet, pegboard: nil, workflowDirection: .leftToRight,
                basins: [Basin(type: .eDrain, size: .standard(.s24x20x10)), Basin(type: .eSinkDI, size: .standard(.s24x20x10))]), .fr
        ),
        (
            "esink", "T2-B1, height-adjustable LC1: one E-Sink, pre-rinse faucet, Spanish",
            SinkConfiguration(
                buildNumber: "SAMPLE-3", model: .t2B1, width: 30, length: 54, legs: Legs(type: .heightAdjustable, model: .lc1),
                feet: .lockLevelingCasters, pegboard: nil, workflowDirection: .leftToRight,
                basins: [Basin(type: .eSink, size: .standard(.s30x20x10))],
                faucets: [Faucet(type: .preRinse, quantity: 1, placement: .center)]), .sp
        ),
    ]

    static func record(_ request: Request) async throws -> ChecklistTemplateRecord {
        let id = try request.uuidParameter("templateID", "The template")
        guard let record = try await ChecklistTemplateRecord.find(id, on: request.db) else { throw APIError.notFound("The template") }
        return record
    }

    /// What the preview was asked for: a build number, or a sample sink.
    struct PreviewChoice {
        var build: String?
        var sample: String?
        var error: String?
    }

    static func edit(_ request: Request) async throws -> Response {
        let record = try await record(request)
        return try await render(
            request, record, fields: try record.template().formFields, errors: [], preview: nil, choice: PreviewChoice())
    }

    static func submit(_ request: Request) async throws -> Response {
        let record = try await record(request)
        let form = FormFields(request)
        var choice = PreviewChoice(build: form.text("previewBuild"), sample: form.value("previewSample"))
        var fields = Dictionary(form.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        for key in ["_csrf", "go", "edit", "previewBuild", "previewSample"] { fields.removeValue(forKey: key) }
        if let edit = form.value("edit").flatMap(ChecklistTemplateFormEdit.init) {
            return try await render(request, record, fields: edit.apply(to: fields), errors: [], preview: nil, choice: choice)
        }
        let template: ChecklistTemplate
        switch ChecklistTemplate.read(formFields: fields, kind: record.kind) {
        case .success(let read): template = read
        case .failure(let failure):
            return try await render(
                request, record, fields: fields, errors: failure.errors, preview: nil, choice: choice, status: .unprocessableEntity)
        }
        if form.value("go") == "publish" {
            do {
                let created = try await TemplatesController.publish(request, template)
                return Flash.redirect(
                    request, to: SiteURL.admin(.templates).path,
                    "\(ChecklistPages.title(record.kind)) version \(created.version) published: new checklists use it.")
            } catch let error as APIError where error.status == .unprocessableEntity || error.status == .conflict {
                let errors = error.details.isEmpty ? [FieldError(field: "", message: error.message)] : error.details
                return try await render(request, record, fields: fields, errors: errors, preview: nil, choice: choice, status: error.status)
            }
        }
        let preview: Preview
        do {
            preview = try await self.preview(template, request: request, build: choice.build, sample: choice.sample)
        } catch let error as APIError {
            choice.error = error.message
            return try await render(request, record, fields: fields, errors: [], preview: nil, choice: choice, status: .unprocessableEntity)
        }
        return try await render(request, record, fields: fields, errors: [], preview: preview, choice: choice)
    }

    /// The edited template instantiated for a build (by number) or a sample sink.
    static func preview(_ template: ChecklistTemplate, request: Request, build number: String?, sample: String?) async throws -> Preview {
        let context: ChecklistContext
        let subject: String
        if let number {
            guard let build = try await Build.query(on: request.db).filter(\.$buildNumber == number.uppercased()).first(),
                let order = try await Order.find(build.$order.id, on: request.db)
            else { throw APIError.notFound("Build \(number)") }
            context = try ChecklistsController.context(of: build, language: order.language)
            subject = "build \(build.buildNumber) of order \(order.poNumber)"
        } else {
            let chosen = samples.first { $0.name == sample } ?? samples[0]
            let generator = request.application.catalogStore.snapshot.generator
            context = ChecklistContext(
                sink: chosen.sink, language: chosen.language, bom: generator.bom(for: chosen.sink.withDefaults(), language: chosen.language)
            )
            subject = chosen.label
        }
        let instance = template.instantiate(in: context)
        return Preview(
            subject: subject, applicable: instance.applicableItems.count,
            notApplicable: instance.items.count - instance.applicableItems.count,
            sections: instance.sections.map { section in
                Preview.Section(
                    title: section.title,
                    items: section.items.map { item in
                        Preview.Line(
                            text: item.text, basin: item.basin.map { "Basin \($0)" } ?? "", applicable: item.applicable,
                            detail: item.applicable
                                ? [
                                    item.expectedQuantity.map { "× \($0)" },
                                    item.options.map { $0.map(item.label(of:)).joined(separator: " / ") },
                                    item.naAllowed ? "N/A allowed" : nil,
                                ].compactMap { $0 }.joined(separator: " · ")
                                : "N/A: \(item.notApplicableReason ?? "")")
                    })
            })
    }

    static func render(
        _ request: Request, _ record: ChecklistTemplateRecord, fields: [String: String], errors: [FieldError], preview: Preview?,
        choice: PreviewChoice, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var byField: [String: String] = [:]
        for error in errors { byField[error.field, default: ""] += (byField[error.field] == nil ? "" : "; ") + error.message }
        var used: Set<String> = []
        func field(
            _ name: String, _ label: String, kind: String = "text", options: [Choice] = [], hint: String = "", wide: Bool = false
        ) -> Editor.Field {
            used.insert(name)
            let value = fields[name] ?? ""
            return Editor.Field(
                name: name, id: "t-" + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined(), label: label, value: value,
                kind: kind, checked: value == "true",
                options: options.map { Choice(value: $0.value, label: $0.label, selected: $0.value == value) }, hint: hint,
                error: byField[name], wide: wide)
        }
        let answerTypes = AnswerType.allCases.map { Choice(value: $0.rawValue, label: answerTypeLabel($0), selected: false) }
        let expectations =
            [Choice(value: "", label: "Nothing", selected: false)]
            + ChecklistExpectation.allCases.map { Choice(value: $0.rawValue, label: expectationLabel($0), selected: false) }
        let sectionCount = ChecklistTemplateFormEdit.count(fields["sectionCount"])
        let sections = (0..<sectionCount).map { sectionIndex in
            let sectionName = "sections[\(sectionIndex)]"
            used.formUnion(["\(sectionName).itemCount", "\(sectionName).title"])
            let itemCount = ChecklistTemplateFormEdit.count(fields["\(sectionName).itemCount"])
            return Editor.Section(
                index: sectionIndex, title: fields["\(sectionName).title"] ?? "",
                error: byField["\(sectionName).title"] ?? byField["\(sectionName).items"],
                items: (0..<itemCount).map { itemIndex in
                    let name = "\(sectionName).items[\(itemIndex)]"
                    let itemFields = [
                        field("\(name).id", "Id", hint: "Letters, digits, '-' and '.'; kept across versions while the item means the same"),
                        field("\(name).text", "Text", wide: true),
                        field("\(name).answerType", "Answer", kind: "select", options: answerTypes),
                        field(
                            "\(name).condition", "Applies when", hint: "For example all(basin(E_SINK), basin-bom(T2-ESK-TEMP-KIT))",
                            wide: true),
                        field("\(name).perBasin", "Once per basin", kind: "checkbox"),
                        field("\(name).perAccessory", "Once per ordered accessory", kind: "checkbox"),
                        field("\(name).naAllowed", "The person may answer N/A", kind: "checkbox"),
                        field("\(name).unit", "Unit"), field("\(name).min", "Minimum"), field("\(name).max", "Maximum"),
                        field("\(name).options", "Choices", hint: "VALUE=Words; VALUE=Words", wide: true),
                        field("\(name).failingOptions", "Choices that fail", hint: "VALUE, VALUE"),
                        field("\(name).noteRequiredFor", "Choices that need a note", hint: "VALUE, VALUE"),
                        field("\(name).expected", "Must match the order", kind: "select", options: expectations),
                        field(
                            "\(name).quantity", "Quantity", hint: "fixed(1), per-basin, per-basin-where(…), per-sprayer(…), per-faucet(…)"),
                        field("\(name).source", "Form line", wide: true),
                    ]
                    let text = fields["\(name).text"] ?? ""
                    return Editor.Item(
                        anchor: "t-" + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined(),
                        summary: text.isEmpty ? "New item" : text, fields: itemFields, remove: "remove-item:\(sectionIndex):\(itemIndex)",
                        invalid: itemFields.contains { $0.error != nil } || byField.keys.contains { $0.hasPrefix(name + ".") })
                })
        }
        let header = [
            field("name", "Name"), field("form", "Customer's form"), field("signatureMeaning", "What a signature means", wide: true),
            field("instrumentRequired", "A result names its calibrated test instrument", kind: "checkbox"),
        ]
        used.insert("sectionCount")
        // The counts, bounded as the reader bounds them.
        let hidden =
            [Choice(value: String(sectionCount), label: "sectionCount", selected: false)]
            + (0..<sectionCount).map { index in
                Choice(
                    value: String(ChecklistTemplateFormEdit.count(fields["sections[\(index)].itemCount"])),
                    label: "sections[\(index)].itemCount", selected: false)
            }
        let version = (try await ChecklistTemplateRecord.query(on: request.db).filter(\.$kind == record.kind).max(\.$version) ?? 0) + 1
        let editor = Editor(
            kind: ChecklistPages.title(record.kind), version: version,
            action: SiteURL.admin(.templateEdit(.id(try record.requireID()))).path, header: header, sections: sections,
            hidden: hidden, errors: errors.filter { !used.contains($0.field) }.map(\.description),
            vocabulary: ChecklistCondition.vocabulary.map { Choice(value: $0.name, label: $0.meaning, selected: false) },
            samples: samples.map { Choice(value: $0.name, label: $0.label, selected: $0.name == choice.sample) },
            previewBuild: choice.build ?? "", previewError: choice.error, preview: preview)
        let response = try await Chrome.render(
            request, "template-editor", title: "Edit \(editor.kind)", editor, section: SiteURL.admin(.templates).path,
            breadcrumbs: [
                Chrome.Link(label: "Checklist templates", href: SiteURL.admin(.templates).path, current: false),
                Chrome.Link(label: "\(editor.kind) v\(record.version)", href: editor.action, current: true),
            ])
        response.status = status
        return response
    }

    static func answerTypeLabel(_ type: AnswerType) -> String {
        switch type {
        case .check: "Pass / fail"
        case .number: "Number with limits"
        case .text: "Text"
        case .serial: "Serial number"
        case .choice: "Choice"
        }
    }

    static func expectationLabel(_ expectation: ChecklistExpectation) -> String {
        switch expectation {
        case .basinCount: "The number of basins"
        case .feet: "The feet ordered"
        case .faucetLocation: "Each basin's faucet placement"
        case .lifterButton: "The lifter button of the leg kit"
        }
    }
}
