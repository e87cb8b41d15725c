import CleanStationCore
import Foundation

/// The fields of each wizard step for a draft and the errors found in it.
struct WizardForm {
    var draft: OrderDraft
    var errors: [String: String]
    var catalog: Catalog

    func customerGroups() -> [FieldGroup] {
        [
            FieldGroup(
                "Customer and order",
                [
                    FormField(
                        "poNumber", "PO number", value: draft.poNumber, errors: errors, hint: "3 or more letters and digits", required: true
                    ),
                    FormField("customerName", "Customer", value: draft.customerName, errors: errors, required: true),
                    FormField("projectName", "Project", value: draft.projectName, errors: errors, hint: "Optional"),
                    FormField("salesPerson", "Sales person", value: draft.salesPerson, errors: errors, required: true),
                    FormField("wantDate", "Want date", type: "date", value: draft.wantDate, errors: errors, required: true),
                    FormField(
                        "language", "Document language", type: "select",
                        options: FormField.choices(Language.allCases.map(\.rawValue), selected: draft.language) { $0 }, errors: errors),
                    FormField("notes", "Notes", type: "textarea", value: draft.notes, errors: errors, hint: "At most 2,000 characters"),
                ] + (draft.editing == nil ? [purchaseOrderField] : []))
        ]
    }

    private var purchaseOrderField: FormField {
        FormField(
            "poFile", "Purchase order (PDF or image)", type: "file", errors: errors,
            hint: draft.poDocument.map { "Attached: \($0.fileName). Choose another file to replace it." }
                ?? "Optional now; it can be attached to the order later.")
    }

    func buildGroups() -> [FieldGroup] {
        let families = FormField.choices(SinkFamily.allCases.map(\.rawValue), selected: draft.sinkFamily) { family in
            switch family {
            case SinkFamily.mdrd.rawValue: "MDRD CleanStation"
            case SinkFamily.endoscope.rawValue: "Endoscope CleanStation (not built yet)"
            default: "InstroSink (not built yet)"
            }
        }
        return [
            FieldGroup(
                "Family and quantity",
                (draft.editing == nil ? [FormField("sinkFamily", "Sink family", type: "select", options: families, errors: errors)] : [])
                    + [
                        FormField(
                            "quantity", "Number of sinks", type: "number", value: draft.quantity, errors: errors,
                            hint: "1 to \(OrderRequest.maximumBuilds); the build numbers below follow it after Next", min: "1")
                    ]),
            FieldGroup(
                "Build numbers", hint: "One unique number per sink, such as 529301-1.",
                draft.builds.indices.map { index in
                    FormField(
                        "builds[\(index)].buildNumber", "Build \(index + 1)", value: draft.builds[index].buildNumber, errors: errors,
                        required: true)
                }),
        ]
    }

    func configurationSections() -> [WizardPages.BuildSection] {
        draft.builds.enumerated().map { index, build in
            let prefix = "builds[\(index)]"
            func field(_ name: String) -> String { "\(prefix).\(name)" }
            let models = SinkModel.allCases.map(\.rawValue)
            var groups = [
                FieldGroup(
                    "Sink body",
                    [
                        FormField(
                            field("model"), "Model", type: "select",
                            options: FormField.choices(models, selected: build.model) { model in
                                let count = SinkModel(rawValue: model)?.basinCount ?? 0
                                return "\(model) · \(count) basin\(count == 1 ? "" : "s")"
                            }, errors: errors),
                        FormField(field("width"), "Width", type: "number", value: build.width, errors: errors, unit: "in", step: "any"),
                        FormField(
                            field("length"), "Length", type: "number", value: build.length, errors: errors, hint: "48 to 120", unit: "in",
                            step: "any"),
                        FormField(
                            field("workflowDirection"), "Workflow", type: "select",
                            options: FormField.choices(WorkflowDirection.allCases.map(\.rawValue), selected: build.workflowDirection),
                            errors: errors),
                    ]),
                FieldGroup(
                    "Legs and feet", hint: "LC1 legs come height-adjustable only.",
                    [
                        FormField(
                            field("legs.type"), "Leg type", type: "select",
                            options: FormField.choices(LegsType.allCases.map(\.rawValue), selected: build.legsType), errors: errors),
                        FormField(
                            field("legs.model"), "Leg model", type: "select",
                            options: FormField.choices(LegsModel.allCases.map(\.rawValue), selected: build.legsModel) { $0 },
                            errors: errors),
                        FormField(
                            field("feet"), "Feet", type: "select",
                            options: FormField.choices(Feet.allCases.map(\.rawValue), selected: build.feet), errors: errors),
                    ]),
                FieldGroup(
                    "Pegboard",
                    [
                        FormField(field("pegboard"), "Pegboard", type: "checkbox", checked: build.pegboard, errors: errors),
                        FormField(
                            field("pegboard.type"), "Type", type: "select",
                            options: FormField.choices(PegboardType.allCases.map(\.rawValue), selected: build.pegboardType), errors: errors,
                            showWhen: (field("pegboard"), "on")),
                        FormField(
                            field("pegboard.color"), "Colour", type: "select",
                            options: FormField.choices(
                                PegboardColor.allCases.map(\.rawValue), selected: build.pegboardColor, blank: "None"),
                            errors: errors, showWhen: (field("pegboard"), "on")),
                        FormField(
                            field("pegboard.size"), "Size", type: "select",
                            options: FormField.choices(
                                [PegboardSize.sameAsSinkValue, BuildDraft.custom], selected: build.pegboardSize), errors: errors,
                            showWhen: (field("pegboard"), "on")),
                        FormField(
                            field("pegboard.size.width"), "Pegboard width", type: "number", value: build.pegboardWidth, errors: errors,
                            unit: "in", showWhen: (field("pegboard.size"), BuildDraft.custom), step: "any"),
                        FormField(
                            field("pegboard.size.length"), "Pegboard length", type: "number", value: build.pegboardLength, errors: errors,
                            unit: "in", showWhen: (field("pegboard.size"), BuildDraft.custom), step: "any"),
                    ]),
            ]
            for (basinIndex, basin) in build.basins.enumerated() {
                let name = field("basins[\(basinIndex)]")
                let sizes = StandardBasinSize.allCases.map(\.rawValue) + [BuildDraft.custom]
                groups.append(
                    FieldGroup(
                        "Basin \(basinIndex + 1)", basin: basinIndex + 1, modelField: field("model"),
                        [
                            FormField(
                                "\(name).type", "Type", type: "select",
                                options: FormField.choices(BasinType.allCases.map(\.rawValue), selected: basin.type) {
                                    ["E_SINK": "E-Sink", "E_SINK_DI": "E-Sink DI", "E_DRAIN": "E-Drain"][$0] ?? $0
                                }, errors: errors),
                            FormField(
                                "\(name).size", "Size", type: "select", options: FormField.choices(sizes, selected: basin.size) { $0 },
                                errors: errors),
                            FormField(
                                "\(name).size.width", "Width", type: "number", value: basin.width, errors: errors, unit: "in",
                                showWhen: ("\(name).size", BuildDraft.custom), step: "any"),
                            FormField(
                                "\(name).size.length", "Length", type: "number", value: basin.length, errors: errors, unit: "in",
                                showWhen: ("\(name).size", BuildDraft.custom), step: "any"),
                            FormField(
                                "\(name).size.depth", "Depth", type: "number", value: basin.depth, errors: errors, unit: "in",
                                showWhen: ("\(name).size", BuildDraft.custom), step: "any"),
                            FormField("\(name).pTrap", "P-trap", type: "checkbox", checked: basin.pTrap, errors: errors),
                            FormField("\(name).basinLight", "Basin light", type: "checkbox", checked: basin.basinLight, errors: errors),
                        ]))
            }
            groups.append(
                FieldGroup(
                    "Faucets", hint: "With an E-Sink DI basin and no faucet, one DI gooseneck at the centre is added.", layout: "rows-3",
                    build.faucets.enumerated().flatMap { row, faucet -> [FormField] in
                        let name = field("faucets[\(row)]")
                        return [
                            FormField(
                                "\(name).type", "Faucet \(row + 1)", type: "select",
                                options: FormField.choices(FaucetType.allCases.map(\.rawValue), selected: faucet.type, blank: "None"),
                                errors: errors),
                            FormField("\(name).quantity", "Quantity", type: "number", value: faucet.quantity, errors: errors, min: "1"),
                            FormField(
                                "\(name).placement", "Placement", type: "select",
                                options: FormField.choices(FaucetPlacement.allCases.map(\.rawValue), selected: faucet.placement) {
                                    switch FaucetPlacement(rawValue: $0) {
                                    case .between1And2: "Between basins 1 and 2"
                                    case .between2And3: "Between basins 2 and 3"
                                    default: "Centre"
                                    }
                                },
                                errors: errors, filter: "placement"),
                        ]
                    } + [FormField(field("faucets"), "", type: "none", errors: errors)]))
            groups.append(
                FieldGroup(
                    "Sprayers", hint: "At most two sprayers fit a sink.", layout: "rows-3",
                    build.sprayers.enumerated().flatMap { row, sprayer -> [FormField] in
                        let name = field("sprayers[\(row)]")
                        return [
                            FormField(
                                "\(name).type", "Sprayer \(row + 1)", type: "select",
                                options: FormField.choices(SprayerType.allCases.map(\.rawValue), selected: sprayer.type, blank: "None"),
                                errors: errors),
                            FormField("\(name).quantity", "Quantity", type: "number", value: sprayer.quantity, errors: errors, min: "1"),
                            FormField(
                                "\(name).location", "Location", type: "select",
                                options: FormField.choices(SprayerLocation.allCases.map(\.rawValue), selected: sprayer.location),
                                errors: errors),
                        ]
                    } + [FormField(field("sprayers"), "", type: "none", errors: errors)]))
            return WizardPages.BuildSection(
                index: index, title: "Build \(build.buildNumber.isEmpty ? String(index + 1) : build.buildNumber)", groups: groups,
                copyChoices: copyChoices(except: index))
        }
    }

    func accessorySections() -> [WizardPages.BuildSection] {
        draft.builds.enumerated().map { index, build in
            let groups = Accessories.Group.allCases.map { group in
                FieldGroup(
                    group.title,
                    Accessories.all.filter { $0.group == group }.map { entry in
                        FormField(
                            "builds[\(index)].accessories.\(entry.id)", catalog.name(of: entry.id) ?? entry.id, type: "number",
                            value: build.accessories[entry.id] ?? "", errors: errors, hint: "\(entry.itemNumber) · \(entry.id)", min: "0")
                    })
            }
            return WizardPages.BuildSection(
                index: index, title: "Build \(build.buildNumber)", groups: groups, copyChoices: copyChoices(except: index))
        }
    }

    private func copyChoices(except index: Int) -> [Choice] {
        draft.builds.indices.filter { $0 != index }.map {
            Choice(
                value: String($0), label: draft.builds[$0].buildNumber.isEmpty ? "Build \($0 + 1)" : draft.builds[$0].buildNumber,
                selected: false)
        }
    }
}
