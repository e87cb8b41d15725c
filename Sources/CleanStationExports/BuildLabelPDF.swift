import Foundation

/// A build's labels on 100 × 50 mm stock, one per page: its QR code (which
/// opens the build's page) at the left and the build in words at the right.
/// CLQ A6 asks for one on the right side of the skirt and one on the back,
/// so each build gets both, each saying where it goes.
public enum BuildLabelPDF {
    public struct Label: Sendable {
        public var buildNumber: String
        public var poNumber: String
        public var model: String
        public var customer: String
        /// The build page's address, encoded in the QR code.
        public var link: String

        public init(buildNumber: String, poNumber: String, model: String, customer: String, link: String) {
            self.buildNumber = buildNumber
            self.poNumber = poNumber
            self.model = model
            self.customer = customer
            self.link = link
        }
    }

    /// Where each of a build's labels goes (CLQ A6).
    public static let placements = ["Skirt, right side, bottom left", "Back"]

    public static func render(_ labels: [Label]) throws -> Data {
        let pdf = try PDFWriter(
            title: "Build labels " + labels.map(\.buildNumber).joined(separator: ", "), footer: nil, size: .label, margin: 12)
        var first = true
        for label in labels {
            let (side, pixels) = try QRCode(label.link).pixels(scale: 4, quietZone: 2)
            for placement in placements {
                if !first { pdf.newPage() }
                first = false
                let code: Float = 117
                try pdf.greyImage(pixels, side: side, points: code, left: true)
                let indent = code + 10
                pdf.line("Build \(label.buildNumber)", size: 16, bold: true, indent: indent, fitted: true)
                pdf.line("PO \(label.poNumber)", size: 10, indent: indent, fitted: true)
                pdf.line(label.model, size: 10, indent: indent, fitted: true)
                pdf.line(label.customer, size: 9, indent: indent, fitted: true)
                pdf.space(6)
                pdf.line(placement, size: 7, indent: indent, fitted: true)
                pdf.line("Torvan Medical · CleanStation", size: 7, indent: indent, fitted: true)
            }
        }
        return try pdf.data()
    }
}
