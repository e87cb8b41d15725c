import Foundation

/// Labels on 100 × 50 mm stock, one per page: a QR code (which opens the
/// labelled thing's page) at the left, and what it is in words at the right.
public enum LabelPDF {
    public struct Label: Sendable {
        /// In large print: "Build B1001", or an item's number.
        public var heading: String
        public var lines: [String]
        /// Small print at the foot: where the label goes.
        public var placement: String
        /// The page's address, encoded in the QR code.
        public var link: String

        public init(heading: String, lines: [String], placement: String, link: String) {
            self.heading = heading
            self.lines = lines
            self.placement = placement
            self.link = link
        }
    }

    /// Where each of a build's labels goes: CLQ A6 asks for one on the right side of the skirt and one on the back.
    public static let buildPlacements = ["Skirt, right side, bottom left", "Back"]

    /// A build's two labels, each saying where it goes.
    public static func build(number: String, poNumber: String, model: String, customer: String, link: String) -> [Label] {
        buildPlacements.map {
            Label(heading: "Build \(number)", lines: ["PO \(poNumber)", model, customer], placement: $0, link: link)
        }
    }

    public static func render(_ labels: [Label], title: String) throws -> Data {
        let pdf = try PDFWriter(title: title, footer: nil, size: .label, margin: 12)
        for (index, label) in labels.enumerated() {
            if index > 0 { pdf.newPage() }
            let (side, pixels) = try QRCode(label.link).pixels(scale: 4, quietZone: 2)
            let code: Float = 117
            try pdf.greyImage(pixels, side: side, points: code, left: true)
            let indent = code + 10
            // The numbers a person reads off the sink are never cut: smaller type first (the browser suite's
            // build numbers of 16 characters were cut to 8 at 16 pt).
            pdf.identifier(label.heading, size: 16, minimum: 6, bold: true, indent: indent)
            for (number, line) in label.lines.prefix(3).enumerated() {
                if number == 0 {
                    pdf.identifier(line, size: 10, minimum: 6, indent: indent)
                } else {
                    pdf.line(line, size: number == 2 ? 9 : 10, indent: indent, fitted: true)
                }
            }
            pdf.space(6)
            pdf.line(label.placement, size: 7, indent: indent, fitted: true)
            pdf.line("Torvan Medical · CleanStation", size: 7, indent: indent, fitted: true)
        }
        return try pdf.data()
    }
}
