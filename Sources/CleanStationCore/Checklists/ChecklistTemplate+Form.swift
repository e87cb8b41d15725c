/// A checklist template as the browser's editor holds it: plain text
/// fields named by the template's JSON paths (`sections[0].items[2].condition`),
/// read back into a template with every problem by field, then checked by
/// the same `validationErrors()` as the API.
extension ChecklistTemplate {
    /// The editor's fields of this template, by name.
    public var formFields: [String: String] {
        var fields = [
            "name": name, "form": form, "signatureMeaning": signatureMeaning,
            "instrumentRequired": instrumentRequired == true ? "true" : "",
            "sectionCount": String(sections.count),
        ]
        for (sectionIndex, section) in sections.enumerated() {
            let sectionName = "sections[\(sectionIndex)]"
            fields["\(sectionName).title"] = section.title
            fields["\(sectionName).itemCount"] = String(section.items.count)
            for (itemIndex, item) in section.items.enumerated() {
                let name = "\(sectionName).items[\(itemIndex)]"
                fields["\(name).id"] = item.id
                fields["\(name).text"] = item.text
                fields["\(name).answerType"] = item.answerType.rawValue
                fields["\(name).perBasin"] = item.perBasin ? "true" : ""
                fields["\(name).perAccessory"] = item.perAccessory == true ? "true" : ""
                fields["\(name).naAllowed"] = item.naAllowed ? "true" : ""
                fields["\(name).unit"] = item.unit ?? ""
                fields["\(name).min"] = item.min.map(JSONSerializer.format) ?? ""
                fields["\(name).max"] = item.max.map(JSONSerializer.format) ?? ""
                fields["\(name).options"] = (item.options ?? []).map { option in
                    item.optionLabels?[option].map { "\(option)=\($0)" } ?? option
                }.joined(separator: "; ")
                fields["\(name).failingOptions"] = (item.failingOptions ?? []).joined(separator: ", ")
                fields["\(name).noteRequiredFor"] = (item.noteRequiredFor ?? []).joined(separator: ", ")
                fields["\(name).expected"] = item.expected?.rawValue ?? ""
                fields["\(name).quantity"] = item.quantity?.text ?? ""
                fields["\(name).condition"] = item.condition.text
                fields["\(name).source"] = item.source ?? ""
            }
        }
        return fields
    }

    /// Reads the editor's fields into a template of `kind`; the errors name
    /// the fields, and include the template's own validation.
    public static func read(formFields fields: [String: String], kind: ChecklistKind) -> Result<ChecklistTemplate, ValidationError> {
        var errors: [FieldError] = []
        func text(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func optional(_ name: String) -> String? { text(name).isEmpty ? nil : text(name) }
        func list(_ name: String) -> [String]? {
            let values = text(name).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return values.isEmpty ? nil : values
        }
        func number(_ name: String) -> Double? {
            guard let value = optional(name) else { return nil }
            guard let number = Double(value) else {
                errors.append(FieldError(field: name, message: "must be a number"))
                return nil
            }
            return number
        }
        func count(_ name: String) -> Int { ChecklistTemplateFormEdit.count(fields[name]) }
        var sections: [Section] = []
        for sectionIndex in 0..<count("sectionCount") {
            let sectionName = "sections[\(sectionIndex)]"
            var items: [Item] = []
            for itemIndex in 0..<count("\(sectionName).itemCount") {
                let name = "\(sectionName).items[\(itemIndex)]"
                let answerType = AnswerType(rawValue: text("\(name).answerType"))
                if answerType == nil {
                    errors.append(
                        FieldError(
                            field: "\(name).answerType",
                            message: "choose one of \(AnswerType.allCases.map(\.rawValue).joined(separator: ", "))"))
                }
                var condition = ChecklistCondition.always
                if let conditionText = optional("\(name).condition") {
                    switch ChecklistCondition.parse(conditionText) {
                    case .success(let parsed): condition = parsed
                    case .failure(let failure): errors.append(FieldError(field: "\(name).condition", message: failure.message))
                    }
                }
                var quantity: QuantityRule?
                if let quantityText = optional("\(name).quantity") {
                    switch QuantityRule.parse(quantityText) {
                    case .success(let parsed): quantity = parsed
                    case .failure(let failure): errors.append(FieldError(field: "\(name).quantity", message: failure.message))
                    }
                }
                var expected: ChecklistExpectation?
                if let expectedText = optional("\(name).expected") {
                    expected = ChecklistExpectation(rawValue: expectedText)
                    if expected == nil { errors.append(FieldError(field: "\(name).expected", message: "is not an expectation")) }
                }
                var options: [String] = []
                var labels: [String: String] = [:]
                for entry in text("\(name).options").split(separator: ";") {
                    let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard let value = parts.first, !value.isEmpty else { continue }
                    options.append(value)
                    if parts.count == 2, !parts[1].isEmpty { labels[value] = parts[1] }
                }
                items.append(
                    Item(
                        text("\(name).id"), text("\(name).text"), answerType ?? .check, perBasin: fields["\(name).perBasin"] == "true",
                        when: condition, naAllowed: fields["\(name).naAllowed"] == "true", unit: optional("\(name).unit"),
                        min: number("\(name).min"), max: number("\(name).max"), options: options.isEmpty ? nil : options,
                        failingOptions: list("\(name).failingOptions"), quantity: quantity, optionLabels: labels.isEmpty ? nil : labels,
                        noteRequiredFor: list("\(name).noteRequiredFor"), expected: expected,
                        perAccessory: fields["\(name).perAccessory"] == "true" ? true : nil, source: optional("\(name).source")))
            }
            sections.append(Section(text("\(sectionName).title"), items))
        }
        let template = ChecklistTemplate(
            kind: kind, name: text("name"), version: 0, form: text("form"), signatureMeaning: text("signatureMeaning"),
            sections: sections, instrumentRequired: fields["instrumentRequired"] == "true" ? true : nil)
        errors += template.validationErrors()
        return errors.isEmpty ? .success(template) : .failure(ValidationError(errors))
    }
}

/// The editor's edits to the fields themselves, so that text not yet valid
/// (a condition half typed) survives adding or removing a line.
public enum ChecklistTemplateFormEdit: Sendable, Equatable {
    case addItem(section: Int)
    case removeItem(section: Int, item: Int)
    case addSection
    case removeSection(Int)

    /// Reads a button's value: `add-item:0`, `remove-item:0:3`, `add-section`, `remove-section:1`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":").map(String.init)
        let numbers = parts.dropFirst().compactMap { Int($0) }.filter { (0..<Self.limit).contains($0) }
        switch (parts.first, numbers.count) {
        case ("add-item", 1): self = .addItem(section: numbers[0])
        case ("remove-item", 2): self = .removeItem(section: numbers[0], item: numbers[1])
        case ("add-section", 0): self = .addSection
        case ("remove-section", 1): self = .removeSection(numbers[0])
        default: return nil
        }
    }

    static let itemKeys = [
        "id", "text", "answerType", "perBasin", "perAccessory", "naAllowed", "unit", "min", "max", "options", "failingOptions",
        "noteRequiredFor", "expected", "quantity", "condition", "source",
    ]

    /// The most sections, and items in a section, the editor handles.
    public static let limit = 200

    /// A count of the editor's fields, bounded: 0 to `limit`.
    public static func count(_ text: String?) -> Int {
        Int((text ?? "").trimmingCharacters(in: .whitespaces)).map { max(0, min($0, limit)) } ?? 0
    }

    public func apply(to fields: [String: String]) -> [String: String] {
        var fields = fields
        func count(_ name: String) -> Int { Self.count(fields[name]) }
        func moveItem(_ section: Int, from: Int, to: Int) {
            for key in Self.itemKeys {
                fields["sections[\(section)].items[\(to)].\(key)"] = fields.removeValue(
                    forKey: "sections[\(section)].items[\(from)].\(key)")
            }
        }
        switch self {
        case .addItem(let section):
            guard section < count("sectionCount") else { return fields }
            let index = count("sections[\(section)].itemCount")
            fields["sections[\(section)].itemCount"] = String(index + 1)
            fields["sections[\(section)].items[\(index)].answerType"] = AnswerType.check.rawValue
            fields["sections[\(section)].items[\(index)].condition"] = "always"
        case .removeItem(let section, let item):
            let total = count("sections[\(section)].itemCount")
            guard item < total else { return fields }
            for key in Self.itemKeys { fields.removeValue(forKey: "sections[\(section)].items[\(item)].\(key)") }
            for index in (item + 1)..<max(total, item + 1) { moveItem(section, from: index, to: index - 1) }
            fields["sections[\(section)].itemCount"] = String(total - 1)
        case .addSection:
            let index = count("sectionCount")
            fields["sectionCount"] = String(index + 1)
            fields["sections[\(index)].title"] = ""
            fields["sections[\(index)].itemCount"] = "0"
            return ChecklistTemplateFormEdit.addItem(section: index).apply(to: fields)
        case .removeSection(let section):
            let total = count("sectionCount")
            guard section < total else { return fields }
            let moved = fields.filter { !$0.key.hasPrefix("sections[\(section)].") }
            fields = moved.filter { !$0.key.hasPrefix("sections[") }
            for (key, value) in moved where key.hasPrefix("sections[") {
                let index = Int(key.dropFirst("sections[".count).prefix { $0 != "]" }) ?? 0
                let rest = key.drop { $0 != "]" }
                fields["sections[\(index > section ? index - 1 : index)\(rest)"] = value
            }
            fields["sectionCount"] = String(total - 1)
        }
        return fields
    }
}
