import Foundation

/// The device history record of one build, for people: its order and
/// configuration, the approved BOM, every signed checklist with every
/// recorded value, serial numbers, instruments, photos, nonconformances,
/// documents, the status history and the audit entries with their hashes.
/// The JSON manifest beside it names this PDF's SHA-256 and is signed.
public enum DeviceHistoryPDF {
    public struct Section: Sendable {
        public var title: String
        /// Lines shown before the table: who signed, what a record hashes to.
        public var notes: [String]
        public var header: [String]
        public var rows: [Row]
        /// The left edge of each column, in points from the margin.
        public var columns: [Float]

        public struct Row: Sendable {
            public var cells: [String]
            public var flagged: Bool
            public var grey: Bool

            public init(_ cells: [String], flagged: Bool = false, grey: Bool = false) {
                self.cells = cells
                self.flagged = flagged
                self.grey = grey
            }
        }

        public init(title: String, notes: [String] = [], header: [String], rows: [Row], columns: [Float]) {
            self.title = title
            self.notes = notes
            self.header = header
            self.rows = rows
            self.columns = columns
        }
    }

    public struct Record: Sendable {
        public var buildNumber: String
        public var poNumber: String
        public var customer: String
        public var generatedAt: String
        /// Label and value pairs: the order, the build, the shipment.
        public var summary: [(String, String)]
        public var sections: [Section]
        public var chainHead: String
        public var link: String

        public init(
            buildNumber: String, poNumber: String, customer: String, generatedAt: String, summary: [(String, String)], sections: [Section],
            chainHead: String, link: String
        ) {
            self.buildNumber = buildNumber
            self.poNumber = poNumber
            self.customer = customer
            self.generatedAt = generatedAt
            self.summary = summary
            self.sections = sections
            self.chainHead = chainHead
            self.link = link
        }
    }

    public static func render(_ record: Record) throws -> Data {
        let pdf = try PDFWriter(
            title: "Device history record \(record.buildNumber)",
            footer: "CleanStation · device history record · \(record.buildNumber) · \(record.poNumber) · generated \(record.generatedAt)")
        let code = try QRCode(record.link)
        let (side, pixels) = code.pixels(scale: 4)
        try pdf.greyImage(pixels, side: side, points: 80)
        pdf.line("Device history record", size: 18, bold: true)
        pdf.line("Build \(record.buildNumber) · order \(record.poNumber)", size: 12, bold: true)
        pdf.line(record.customer, size: 10)
        pdf.space(24)
        pdf.rule()
        for (label, value) in record.summary {
            pdf.row([label, value], columns: [0, 150], size: 9, wrap: true)
        }
        for section in record.sections {
            pdf.ensureRoom(60)
            pdf.rule()
            pdf.line(section.title, size: 12, bold: true)
            for note in section.notes { pdf.paragraph(note, size: 8) }
            if section.rows.isEmpty {
                pdf.line("None.", size: 9)
                continue
            }
            pdf.row(section.header, columns: section.columns, size: 8, bold: true)
            for row in section.rows {
                pdf.row(row.cells, columns: section.columns, size: 8, bold: row.flagged, grey: row.grey, wrap: true)
            }
        }
        pdf.rule()
        pdf.paragraph("Audit chain head when generated: \(record.chainHead)", size: 8)
        pdf.paragraph(
            "The JSON manifest of this record names this PDF's SHA-256 and is signed (PS256) with the plant's RSA key: "
                + "`cleanstation dhr verify` checks both offline with the key's public half.", size: 8)
        return try pdf.data()
    }
}
