import Foundation

/// Horizontal bar charts drawn on the server (issue 18): no script, and no
/// colour needed to read one. Every bar carries its value in words, a
/// marker (a 90th percentile) is a drawn line with its own words, and the
/// table under each chart holds the same numbers.
enum SVGChart {
    struct Bar {
        var label: String
        var value: Double
        /// What the bar says, after its end: "12.5 h", "9 of 10 (90%)".
        var text: String
        /// A second value drawn as a line across the bar's row (same scale).
        var marker: Double?
    }

    static let width = 720
    static let labelWidth = 230
    static let barWidth = 300
    static let rowHeight = 26

    /// An `<svg role="img">` titled `title`; bars scaled to `maximum` (or the largest value or marker).
    static func bars(_ bars: [Bar], title: String, maximum: Double? = nil) -> String {
        let top = max(maximum ?? bars.map { max($0.value, $0.marker ?? 0) }.max() ?? 0, 1e-9)
        let height = max(bars.count, 1) * rowHeight + 8
        func x(_ value: Double) -> Int { labelWidth + Int((Double(barWidth) * min(value, top) / top).rounded()) }
        var svg =
            #"<svg class="chart" role="img" viewBox="0 0 \#(width) \#(height)" width="100%" preserveAspectRatio="xMinYMin meet" "#
            + #"xmlns="http://www.w3.org/2000/svg"><title>\#(title.escapedForHTML())</title>"#
        if bars.isEmpty {
            svg += #"<text x="0" y="18" class="chart-empty">Nothing to show for these months.</text>"#
        }
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight + 4
            let end = x(bar.value)
            svg +=
                #"<text x="\#(labelWidth - 8)" y="\#(y + 15)" text-anchor="end" class="chart-label">\#(bar.label.escapedForHTML())</text>"#
            svg +=
                #"<rect x="\#(labelWidth)" y="\#(y + 3)" width="\#(max(end - labelWidth, 1))" height="\#(rowHeight - 10)" class="chart-bar"/>"#
            var textX = end + 6
            if let marker = bar.marker {
                let at = x(marker)
                svg += #"<line x1="\#(at)" x2="\#(at)" y1="\#(y)" y2="\#(y + rowHeight - 4)" class="chart-marker"/>"#
                textX = max(textX, at + 6)
            }
            svg += #"<text x="\#(textX)" y="\#(y + 15)" class="chart-value">\#(bar.text.escapedForHTML())</text>"#
        }
        return svg + "</svg>"
    }
}
