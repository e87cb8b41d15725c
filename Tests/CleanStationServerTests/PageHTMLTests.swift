import CleanStationCore
import Foundation
import LeafKit
import NIOCore
import NIOPosix
import Testing

@testable import CleanStationServer

/// The rows the order and checklist pages write in Swift instead of Leaf's
/// loops: escaped like Leaf's `#( )`, and with the markup the page's script,
/// the labels and axe-core rely on.
@Suite struct PageHTMLTests {
    static let hostile = #"<img src=x onerror="alert(1)"> & 'quoted'"#
    static let escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quoted&#39;"

    @Test func theBOMTreeIsIndentedUnderItsParentAndEscaped() {
        let tree = [
            BOMItem(
                id: "T2-BODY", name: Self.hostile, kind: .assembly, quantity: 1, inCatalog: true,
                children: [BOMItem(id: "709.82", name: "Leg", kind: .part, quantity: 4, inCatalog: true)]),
            BOMItem(id: "T-CUSTOM\"1", name: nil, kind: .custom, quantity: 2, inCatalog: false),
        ]
        let html = BOMTable.treeRows(tree)
        let rows = html.components(separatedBy: "</tr>").filter { !$0.isEmpty }
        #expect(rows.count == 3)
        #expect(rows[0].hasPrefix(#"<tr class="d0" data-depth="0">"#) && rows[0].contains(#"aria-label="Collapse T2-BODY""#))
        #expect(rows[0].contains("<td>\(Self.escaped)</td>") && !html.contains("<img"))
        #expect(rows[1].hasPrefix(#"<tr class="d1" data-depth="1">"#) && rows[1].contains(#"class="toggle-space""#))
        #expect(rows[1].contains(#"<td class="num">4</td>"#))
        #expect(rows[2].contains("<code>T-CUSTOM&quot;1</code>") && rows[2].contains("<td></td>"))

        let lines = [BOMLine(id: "709.82", name: Self.hostile, kind: .part, quantity: 4, inCatalog: true)]
        #expect(
            BOMTable.lineRows(lines)
                == "<tr><td><code>709.82</code></td><td>\(Self.escaped)</td><td>Part</td><td class=\"num\">4</td></tr>")
        #expect(BOMTable.lineOptions(lines) == #"<option value="709.82">709.82 · "# + Self.escaped + "</option>")
    }

    static func item(
        _ type: String, index: Int = 3, applicable: Bool = true, value: String = "", error: String? = nil, limits: String = "",
        expected: String = ""
    ) -> ChecklistPages.Form.Item {
        ChecklistPages.Form.Item(
            index: index, id: "eol.flow", anchor: "item-eol-flow", text: Self.hostile, type: type, basin: "Basin 2",
            applicable: applicable, notApplicableReason: applicable ? "" : "Does not apply: no \(Self.hostile).", naAllowed: true,
            unit: "L/min", limits: limits, min: limits.isEmpty ? "" : "2", max: limits.isEmpty ? "" : "8",
            options: [Choice(value: "A\"B", label: "Option <A>", selected: value == "A\"B")], value: value, na: false,
            note: "note \"quoted\"", quantity: "", expected: expected,
            photos: [ChecklistPages.Photo(href: "/documents/p1", label: "Photo 1")],
            instruction: nil, error: error)
    }

    @Test func aChecklistItemIsEscapedAndNamedForScreenReaders() {
        let html = ChecklistHTML.items([Self.item("NUMBER", value: "9\"", limits: "min 2, max 8")], signable: true)
        #expect(!html.contains("<img src=x"), "every text is escaped")
        #expect(html.contains(#"<label class="sr-only" for="a3">"# + Self.escaped + ", Basin 2</label>"))
        #expect(html.contains(#"value="9&quot;" aria-describedby="item-eol-flow-limits" type="number""#))
        #expect(html.contains(#"data-min="2" data-max="8""#))
        #expect(html.contains(#"<span class="limits" id="item-eol-flow-limits">min 2, max 8 L/min</span>"#))
        #expect(html.contains(#"name="answers[3].na" value="true">"#), "N/A allowed, not checked")
        #expect(html.contains(#"value="note &quot;quoted&quot;""#))
        #expect(html.contains(#"form="photo-3""#) && html.contains(#"<img src="/documents/p1" alt="Photo 1" class="thumb">"#))
        #expect(!ChecklistHTML.items([Self.item("NUMBER")], signable: false).contains("photo-3"), "no upload where it cannot be signed")
    }

    @Test func aMissingAnswerIsMarkedOnPassAndFail() {
        let html = ChecklistHTML.items([Self.item("CHECK", value: "false", error: "answer <Pass> or Fail")], signable: false)
        #expect(html.hasPrefix(#"<div class="item invalid" id="item-eol-flow" data-item>"#))
        #expect(html.contains(#"<fieldset class="pass-fail" aria-invalid="true" aria-describedby="item-eol-flow-error">"#))
        #expect(html.contains(#"value="false" checked>"#) && !html.contains(#"value="true" checked"#))
        #expect(html.contains(#"<p class="field-error" id="item-eol-flow-error">answer &lt;Pass&gt; or Fail</p>"#))

        let choice = ChecklistHTML.items([Self.item("CHOICE", value: "A\"B", expected: "Ordered: A")], signable: false)
        #expect(choice.contains(#"aria-describedby="item-eol-flow-expected"><option value="">Choose…</option>"#))
        #expect(choice.contains(#"<option value="A&quot;B" selected>Option &lt;A&gt;</option>"#))
    }

    @Test func anItemThatDoesNotApplySaysWhyAndTakesNoAnswer() {
        let html = ChecklistHTML.items([Self.item("CHECK", index: -1, applicable: false)], signable: true)
        #expect(html.hasPrefix(#"<div class="item not-applicable" id="item-eol-flow">"#))
        #expect(html.contains("<small>Does not apply: no \(Self.escaped).</small>"))
        #expect(!html.contains("answers[") && !html.contains("photo-"))
        let section = ChecklistPages.Form.Section(
            title: "Flow", items: [Self.item("CHECK", index: -1, applicable: false), Self.item("TEXT")])
        let forms = ChecklistHTML.photoForms([section], action: "/a?b=\"c\"", csrf: "t&k")
        #expect(forms.components(separatedBy: "<form ").count == 2, "one photo form, for the item that applies")
        #expect(forms.contains(#"action="/a?b=&quot;c&quot;""#) && forms.contains(#"value="t&amp;k""#))
    }

    /// Our escaping is LeafKit's, character for character: every scalar up to U+07FF, a few beyond (a combining accent,
    /// CJK, an emoji and its joiner), and texts that mix them with the five escaped characters.
    @Test func escapingIsLeafKits() {
        var texts = (0...0x7FF).compactMap(Unicode.Scalar.init).map { String(Character($0)) }
        texts += ["e\u{301}", "工場", "🧼", "👩\u{200D}🔧", "", "plain text", Self.hostile, "a&&b<<'\"\">>", "Ø < 5 mm & “quoted”"]
        texts += texts.prefix(300).map { $0 + "<" + $0 + "&" }
        for text in texts {
            #expect(Array(text.escapedForHTML().utf8) == Array(text.htmlEscaped().utf8), "\(text.unicodeScalars.map(\.value))")
        }
    }

    /// The where-used rows, written in Swift, are the rows the template's loop wrote: the loop is rendered here by
    /// LeafKit with the same values (one row of each kind, a hostile text in every cell).
    @Test func theWhereUsedRowsAreTheTemplatesRows() async throws {
        let status = StatusView(.readyForPreQC)
        let rows = [
            TraceabilityPages.View.Row(
                poNumber: Self.hostile, customer: "St. Mary's <East>", build: "B1&2", href: "/orders/o-1/builds/B1%262", status: status,
                quantity: 12, shippedOn: "Not shipped", lot: Self.hostile),
            TraceabilityPages.View.Row(
                poNumber: "PO-2", customer: "", build: "B3", href: "/orders/o-2/builds/B3", status: StatusView(.shipped), quantity: 1,
                shippedOn: "2026-11-30", lot: ""),
        ]
        let serials = [true, false].map { current in
            TraceabilityPages.View.SerialRow(
                serial: "SN\"1", item: Self.hostile, checklist: "End-of-line test", poNumber: "PO<1>", build: "B1&2",
                href: "/orders/o-1/builds/B1%262", status: status, signedAt: "2026-12-01", current: current)
        }
        func data(_ status: StatusView) -> LeafData { .dictionary(["tone": .string(status.tone), "label": .string(status.label)]) }
        let rowData = rows.map { row -> LeafData in
            .dictionary([
                "poNumber": .string(row.poNumber), "customer": .string(row.customer), "build": .string(row.build),
                "href": .string(row.href), "status": data(row.status), "quantity": .int(row.quantity),
                "shippedOn": .string(row.shippedOn), "lot": .string(row.lot),
            ])
        }
        let serialData = serials.map { row -> LeafData in
            .dictionary([
                "serial": .string(row.serial), "item": .string(row.item), "checklist": .string(row.checklist),
                "poNumber": .string(row.poNumber), "build": .string(row.build), "href": .string(row.href), "status": data(row.status),
                "signedAt": .string(row.signedAt), "current": .bool(row.current),
            ])
        }
        // The loops as where-used.leaf had them before the rows moved to Swift.
        let template = """
            #for(row in rows):<tr><td>#(row.poNumber)</td><td>#(row.customer)</td><td><a href="#(row.href)">#(row.build)</a></td>\
            <td><span class="badge #(row.status.tone)">#(row.status.label)</span></td><td class="num">#(row.quantity)</td>\
            <td>#(row.shippedOn)</td><td>#(row.lot)</td></tr>#endfor|\
            #for(row in serialRows):<tr><td><code>#(row.serial)</code></td><td>#(row.item)</td><td>#(row.checklist)\
            #if(!row.current): <span class="badge">superseded</span>#endif</td><td>#(row.poNumber)</td>\
            <td><a href="#(row.href)">#(row.build)</a></td><td><span class="badge #(row.status.tone)">#(row.status.label)</span></td>\
            <td>#(row.signedAt)</td></tr>#endfor
            """
        struct Memory: LeafSource {
            let text: String
            func file(template: String, escape: Bool, on eventLoop: any EventLoop) throws -> EventLoopFuture<ByteBuffer> {
                eventLoop.makeSucceededFuture(ByteBuffer(string: text))
            }
        }
        let sources = LeafSources()
        try sources.register(using: Memory(text: template))
        let renderer = LeafRenderer(
            configuration: LeafConfiguration(rootDirectory: "/"), sources: sources,
            eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        let rendered = try await renderer.render(path: "rows", context: ["rows": .array(rowData), "serialRows": .array(serialData)]).get()
        let parts = String(buffer: rendered).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        // Byte for byte: String's == would also take another spelling of the same characters.
        #expect(
            parts.map { Array($0.utf8) } == [
                Array(TraceabilityPages.View.Row.html(rows).utf8), Array(TraceabilityPages.View.SerialRow.html(serials).utf8),
            ])
        #expect(!parts[0].contains("<img") && parts[1].contains("superseded"), "the reference escapes, and has both kinds of row")
    }

    /// The fixed addresses reach the templates as one prepared value: the same keys and addresses as their encoding
    /// gives, which is what Leaf's encoder read before.
    @Test func theTemplatesHaveEveryFixedAddress() throws {
        let encoded = try JSONDecoder().decode([String: String].self, from: JSONEncoder().encode(Chrome.Site.fixed))
        let data = (Chrome.Site.fixed.leafData.dictionary ?? [:]).mapValues(\.string)
        #expect(encoded.count > 20 && data == encoded.mapValues(Optional.some))
        #expect(encoded["whereUsed"] == SiteURL.whereUsed.path && encoded["adminCatalog"] == SiteURL.admin(.catalog).path)
    }

    @Test func anItemsAnchorIsItsIdWithDashes() {
        #expect(ChecklistPages.Form.Item.anchor(of: "eol.flow.b2") == "item-eol-flow-b2")
    }
}
