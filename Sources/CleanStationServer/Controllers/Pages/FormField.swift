import CleanStationCore
import Foundation

/// One input of a generated form, with its label, value and error; the
/// `field` template draws every kind alike (label, hint, unit, error, and
/// `aria-describedby` tying them together).
struct FormField: Encodable {
    var name: String
    var id: String
    var label: String
    var type: String
    var value: String
    var checked: Bool
    var options: [Choice]
    var error: String?
    var hint: String?
    var unit: String?
    var required: Bool
    var showWhen: String?
    var showValue: String?
    var min: String?
    var step: String?
    var filter: String?
    /// The ids of the hint and the error that exist, for `aria-describedby`; empty when neither does.
    var describedBy = ""

    init(
        _ name: String, _ label: String, type: String = "text", value: String = "", checked: Bool = false, options: [Choice] = [],
        errors: [String: String] = [:], hint: String? = nil, unit: String? = nil, required: Bool = false,
        showWhen: (name: String, value: String)? = nil, min: String? = nil, step: String? = nil, filter: String? = nil
    ) {
        self.name = name
        self.id = "f-" + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        self.label = label
        self.type = type
        self.value = value
        self.checked = checked
        self.options = options
        self.error = errors[name]
        self.hint = hint
        self.unit = unit
        self.required = required
        self.showWhen = showWhen?.name
        self.showValue = showWhen?.value
        self.min = min
        self.step = step
        self.filter = filter
        self.describedBy = [hint.map { _ in id + "-hint" }, error.map { _ in id + "-error" }].compactMap { $0 }.joined(separator: " ")
    }

    /// A select of `values`, each shown by `label`, with `selected` chosen.
    static func choices(
        _ values: [String], selected: String, blank: String? = nil, label: (String) -> String = AuditWords.sentence
    )
        -> [Choice]
    {
        (blank.map { [Choice(value: "", label: $0, selected: selected.isEmpty)] } ?? [])
            + values.map { Choice(value: $0, label: label($0), selected: $0 == selected) }
    }
}

/// Fields shown together under a heading.
struct FieldGroup: Encodable {
    var title: String
    var hint: String?
    /// The basin a row belongs to (1-based), hidden by the script when the
    /// chosen model has fewer basins.
    var basin: Int?
    var modelField: String?
    /// A CSS class laying the fields out, such as `rows-3` for rows of three.
    var layout: String?
    var fields: [FormField]

    init(
        _ title: String, hint: String? = nil, basin: Int? = nil, modelField: String? = nil, layout: String? = nil, _ fields: [FormField]
    ) {
        self.title = title
        self.hint = hint
        self.layout = layout
        self.basin = basin
        self.modelField = modelField
        self.fields = fields
    }
}
