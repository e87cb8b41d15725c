import CleanStationCore
import Foundation

/// A build's BOM as a printable PDF: the tree as the CSV export has it
/// (level, item number or custom series, id, name with its options such as
/// the pegboard colour, quantity per parent, kind), then the pick list with
/// the total quantity of every part, then the data gaps.
public enum BOMPDF {
    /// Where the BOM came from, printed in its header.
    public struct Heading: Sendable {
        public var poNumber: String?
        public var customer: String?
        public var generatedAt: String
        /// The page a QR code in the header links to (the build's page), if any.
        public var link: String?

        public init(poNumber: String? = nil, customer: String? = nil, generatedAt: String, link: String? = nil) {
            self.poNumber = poNumber
            self.customer = customer
            self.generatedAt = generatedAt
            self.link = link
        }
    }

    public static func render(_ bom: BOMDocument, heading: Heading) throws -> Data {
        let pdf = try PDFWriter(
            title: "BOM \(bom.buildNumber)", footer: "CleanStation · BOM \(bom.buildNumber) · \(heading.generatedAt)")
        let top = pdf.y
        if let link = heading.link {
            let code = try QRCode(link)
            let (side, pixels) = code.pixels(scale: 4)
            try pdf.greyImage(pixels, side: side, points: 72)
        }
        pdf.line("Bill of materials", size: 18, bold: true)
        pdf.line("Build \(bom.buildNumber)", size: 12, bold: true)
        if let poNumber = heading.poNumber { pdf.line("Order \(poNumber)" + (heading.customer.map { " · \($0)" } ?? ""), size: 10) }
        pdf.line("Generated \(heading.generatedAt)", size: 9)
        pdf.space(max(0, 80 - (top - pdf.y)))
        pdf.rule()

        let tree: [Float] = [0, 30, 90, 215, 430, 460]
        pdf.line("Structure", size: 12, bold: true)
        pdf.row(["Level", "Item no.", "Part", "Description", "Qty", "Kind"], columns: tree, bold: true)
        func write(_ item: BOMItem, level: Int) {
            let indent = String(repeating: "  ", count: level - 1)
            let name = [item.name ?? "", item.options].filter { !$0.isEmpty }.joined(separator: " · ")
            pdf.row(
                [String(level), item.partNumber, indent + item.id, name, String(item.quantity), item.kind.rawValue], columns: tree,
                wrap: true)
            for child in item.children { write(child, level: level + 1) }
        }
        for item in bom.items { write(item, level: 1) }

        pdf.space(10)
        let list: [Float] = [0, 170, 430, 465]
        pdf.line("Pick list (\(bom.lines.count) parts)", size: 12, bold: true)
        pdf.row(["Part", "Description", "Total", "Kind"], columns: list, bold: true)
        for line in bom.lines { pdf.row([line.id, line.name ?? "", String(line.quantity), line.kind.rawValue], columns: list) }

        if !bom.warnings.isEmpty {
            pdf.space(10)
            pdf.line("Warnings", size: 12, bold: true)
            for warning in bom.warnings { pdf.paragraph("• " + warning, size: 9) }
        }
        return try pdf.data()
    }
}
