/// A checklist's items and recorded lines as HTML, written in Swift and
/// escaped as Leaf escapes (`escapedForHTML`): thirty to forty items, each with a
/// dozen conditions, were most of the checklist page's time in Leaf (ADR 013).
/// The markup is the one the template had; the page tests and axe-core read it.
enum ChecklistHTML {
    typealias Item = ChecklistPages.Form.Item

    /// The items of a section, each with its answer, N/A box, note, photos,
    /// instruction and error; `signable` adds the photo upload of each.
    static func items(_ items: [Item], signable: Bool) -> String {
        var html = ""
        for item in items { item.applicable ? answerable(item, signable: signable, into: &html) : notApplicable(item, into: &html) }
        return html
    }

    /// The hidden photo form of each item that applies (outside the checklist's form, which may not nest them).
    static func photoForms(_ sections: [ChecklistPages.Form.Section], action: String, csrf: String) -> String {
        var html = ""
        for item in sections.flatMap(\.items) where item.applicable {
            html +=
                #"<form method="post" action=""# + action.escapedForHTML()
                + #"" enctype="multipart/form-data" id="photo-\#(item.index)" hidden>"#
            html +=
                #"<input type="hidden" name="_csrf" value=""# + csrf.escapedForHTML()
                + #""><input type="hidden" name="kind" value="PHOTO">"#
            html += #"<input type="hidden" name="itemId" value=""# + item.id.escapedForHTML() + #""></form>"#
        }
        return html
    }

    /// The blank form's items for print: one list item each.
    static func printItems(_ items: [Item]) -> String {
        var html = ""
        for item in items {
            html += item.applicable ? "<li>" : #"<li class="not-applicable">"#
            html += item.text.escapedForHTML()
            if !item.basin.isEmpty { html += " (" + item.basin.escapedForHTML() + ")" }
            if !item.quantity.isEmpty { html += " " + item.quantity.escapedForHTML() }
            if !item.limits.isEmpty { html += " · " + item.limits.escapedForHTML() + " " + item.unit.escapedForHTML() }
            if !item.applicable { html += " · N/A: " + item.notApplicableReason.escapedForHTML() }
            html += "</li>"
        }
        return html
    }

    /// A signed result's recorded lines as table rows; for print, without the photos' thumbnails.
    static func resultRows(_ lines: [ChecklistPages.Result.Line], print: Bool) -> String {
        var html = ""
        for line in lines {
            html += line.notApplicable ? #"<tr class="not-applicable">"# : line.failed ? #"<tr class="failed">"# : "<tr>"
            html += "<td>" + line.label.escapedForHTML() + "</td><td>" + line.value.escapedForHTML()
            if line.failed { html += print ? " (FAIL)" : " <strong>(FAIL)</strong>" }
            html += "</td><td>" + line.detail.escapedForHTML()
            if !print {
                for photo in line.photos { html += " " + thumbnail(photo) }
            }
            html += "</td></tr>"
        }
        return html
    }

    private static func thumbnail(_ photo: ChecklistPages.Photo) -> String {
        let href = photo.href.escapedForHTML()
        return #"<a href=""# + href + #""><img src=""# + href + #"" alt=""# + photo.label.escapedForHTML() + #"" class="thumb"></a>"#
    }

    private static func notApplicable(_ item: Item, into html: inout String) {
        html += #"<div class="item not-applicable" id=""# + item.anchor.escapedForHTML() + #""><div class="item-text">"#
        html += item.text.escapedForHTML()
        if !item.basin.isEmpty { html += #" <span class="badge neutral">"# + item.basin.escapedForHTML() + "</span>" }
        html += #"</div><div class="item-answer"><span class="badge neutral">N/A</span> <small>"#
        html += item.notApplicableReason.escapedForHTML() + "</small></div></div>\n"
    }

    private static func answerable(_ item: Item, signable: Bool, into html: inout String) {
        let anchor = item.anchor.escapedForHTML()
        let field = "a\(item.index)"
        let name = "answers[\(item.index)]"
        // What a screen reader hears for the item: its text, and its basin where it has one.
        let spoken = item.text.escapedForHTML() + (item.basin.isEmpty ? "" : ", " + item.basin.escapedForHTML())
        let invalid = item.error.map { _ in #" aria-invalid="true" aria-describedby=""# + anchor + #"-error""# }
        html += #"<div class="item"# + (item.error == nil ? "" : " invalid") + #"" id=""# + anchor + #"" data-item>"#
        html += #"<input type="hidden" name=""# + name + #".itemId" value=""# + item.id.escapedForHTML() + #"">"#
        html += #"<div class="item-text">"# + item.text.escapedForHTML()
        if !item.basin.isEmpty { html += #" <span class="badge neutral">"# + item.basin.escapedForHTML() + "</span>" }
        if !item.quantity.isEmpty { html += #" <strong class="quantity">"# + item.quantity.escapedForHTML() + "</strong>" }
        if !item.expected.isEmpty {
            html += #"<br><small class="muted" id=""# + anchor + #"-expected">"# + item.expected.escapedForHTML() + "</small>"
        }
        html += #"</div><div class="item-answer">"#
        switch item.type {
        case "CHECK":
            html += #"<fieldset class="pass-fail""# + (invalid ?? "") + #"><legend class="sr-only">"# + spoken + "</legend>"
            for (value, label) in [("true", "Pass"), ("false", "Fail")] {
                let id = "\(field)-\(label.lowercased())"
                html += #"<input type="radio" id=""# + id + #"" name=""# + name + #".value" value=""# + value + #"""#
                html += (item.value == value ? " checked" : "") + #"><label for=""# + id + #"">"# + label + "</label>"
            }
            html += "</fieldset>"
        case "CHOICE":
            html += #"<label class="sr-only" for=""# + field + #"">"# + spoken + "</label>"
            html += #"<select id=""# + field + #"" name=""# + name + #".value""#
            html += invalid ?? (item.expected.isEmpty ? "" : #" aria-describedby=""# + anchor + #"-expected""#)
            html += #"><option value="">Choose…</option>"#
            for option in item.options {
                html += #"<option value=""# + option.value.escapedForHTML() + #"""# + (option.selected ? " selected" : "") + ">"
                html += option.label.escapedForHTML() + "</option>"
            }
            html += "</select>"
        default:
            html += #"<label class="sr-only" for=""# + field + #"">"# + spoken + "</label>"
            html += #"<input id=""# + field + #"" name=""# + name + #".value" value=""# + item.value.escapedForHTML() + #"""#
            html +=
                invalid
                ?? (!item.limits.isEmpty
                    ? #" aria-describedby=""# + anchor + #"-limits""#
                    : item.expected.isEmpty ? "" : #" aria-describedby=""# + anchor + #"-expected""#)
            if item.type == "NUMBER" {
                html += #" type="number" step="any" inputmode="decimal""#
                if !item.min.isEmpty { html += #" data-min=""# + item.min.escapedForHTML() + #"""# }
                if !item.max.isEmpty { html += #" data-max=""# + item.max.escapedForHTML() + #"""# }
            }
            if item.type == "SERIAL" { html += #" autocomplete="off" placeholder="Serial number""# }
            html += ">"
            if !item.unit.isEmpty { html += #"<span class="unit">"# + item.unit.escapedForHTML() + "</span>" }
            if !item.limits.isEmpty {
                html += #"<span class="limits" id=""# + anchor + #"-limits">"# + item.limits.escapedForHTML()
                html += (item.unit.isEmpty ? "" : " " + item.unit.escapedForHTML()) + "</span>"
            }
        }
        if item.naAllowed {
            html += #"<span class="na"><input type="checkbox" id=""# + field + #"-na" name=""# + name + #".na" value="true""#
            html += (item.na ? " checked" : "") + #"><label for=""# + field + #"-na">N/A</label></span>"#
        }
        html += #"</div><div class="item-note"><label class="sr-only" for=""# + field + #"-note">Note on "# + spoken + "</label>"
        html += #"<input id=""# + field + #"-note" name=""# + name + #".note" value=""# + item.note.escapedForHTML()
        html += #"" placeholder="Note (optional)"></div>"#
        if !item.photos.isEmpty {
            html += #"<ul class="photos">"# + item.photos.map { "<li>" + thumbnail($0) + "</li>" }.joined() + "</ul>"
        }
        if signable {
            html += #"<div class="item-photo"><label for="p\#(item.index)">Photo of this item<span class="sr-only">: "# + spoken
            html += #"</span></label> <input type="file" id="p\#(item.index)" name="file" form="photo-\#(item.index)" "#
            html += #"accept="image/png,image/jpeg" capture="environment"> "#
            html += #"<button class="button quiet" type="submit" form="photo-\#(item.index)">Attach photo<span class="sr-only">: "#
            html += spoken + "</span></button></div>"
        }
        if let instruction = item.instruction {
            let title = instruction.title.escapedForHTML()
            html += #"<details class="instruction"><summary>How to: "# + title + "</summary><ol>"
            html += instruction.steps.map { "<li>" + $0.escapedForHTML() + "</li>" }.joined() + "</ol>"
            if !instruction.safety.isEmpty { html += #"<p class="alert warning">"# + instruction.safety.escapedForHTML() + "</p>" }
            if !instruction.image.isEmpty {
                html +=
                    #"<img src=""# + instruction.image.escapedForHTML() + #"" alt="Illustration: "# + title
                    + #"" class="instruction-image">"#
            }
            html += "</details>"
        }
        if let error = item.error { html += #"<p class="field-error" id=""# + anchor + #"-error">"# + error.escapedForHTML() + "</p>" }
        html += "</div>\n"
    }
}
