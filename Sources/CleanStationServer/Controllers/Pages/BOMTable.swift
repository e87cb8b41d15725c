import CleanStationCore

/// A BOM's rows as HTML, written in Swift and escaped with
/// `escapedForHTML`, as Leaf escapes: a build's tree is a hundred rows or more, and Leaf spent
/// more on their loop than the rest of the order page (ADR 013).
enum BOMTable {
    /// The tree's rows in document order, each indented by its depth; the
    /// page's script collapses them to the top-level lines.
    static func treeRows(_ items: [BOMItem]) -> String {
        var html = ""
        func rows(_ items: [BOMItem], depth: Int) {
            for item in items {
                let id = item.id.escapedForHTML()
                html += #"<tr class="d\#(min(depth, 5))" data-depth="\#(depth)"><td>"#
                html +=
                    item.children.isEmpty
                    ? #"<span class="toggle-space" aria-hidden="true"></span>"#
                    : #"<button type="button" class="toggle" aria-expanded="true" aria-label="Collapse "# + id + #"" hidden>▾</button>"#
                html += "<code>" + id + "</code></td><td>" + (item.name ?? "").escapedForHTML()
                html += #"</td><td class="num">\#(item.quantity)</td></tr>"#
                rows(item.children, depth: depth + 1)
            }
        }
        rows(items, depth: 0)
        return html
    }

    /// The flat list's rows: item, name, kind in words, quantity.
    static func lineRows(_ lines: [BOMLine]) -> String {
        var html = ""
        for line in lines {
            html += "<tr><td><code>" + line.id.escapedForHTML() + "</code></td><td>" + (line.name ?? "").escapedForHTML()
            html += "</td><td>" + AuditWords.sentence(line.kind.rawValue).escapedForHTML()
            html += #"</td><td class="num">\#(line.quantity)</td></tr>"#
        }
        return html
    }

    /// The lines as the choices of a select: "id · name".
    static func lineOptions(_ lines: [BOMLine]) -> String {
        var html = ""
        for line in lines {
            html +=
                #"<option value=""# + line.id.escapedForHTML() + #"">"# + "\(line.id) · \(line.name ?? "")".escapedForHTML() + "</option>"
        }
        return html
    }
}
