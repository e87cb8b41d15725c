import Foundation

/// The certificate of a signed QC result: what was checked, the outcome,
/// who signed it with what meaning, and the record's SHA-256, with a QR
/// code linking to the build's page.
public enum QCCertificatePDF {
    public struct Certificate: Sendable {
        public var title: String
        public var poNumber: String
        public var customer: String
        public var buildNumber: String
        public var checklist: String
        public var templateVersion: String
        public var outcome: String
        public var signer: String
        public var signedAt: String
        public var meaning: String
        public var sha256: String
        /// Every item of the checklist, in its order: answered, or N/A.
        public var answers: [Line]
        /// The calibrated instrument the result names, with its due date.
        public var instrument: String?
        public var failedItems: [String]
        public var link: String

        public struct Line: Sendable {
            public var label: String
            public var value: String
            public var failed: Bool
            /// Shown greyed, with the reason in `detail`.
            public var notApplicable: Bool
            /// The note, the photos by SHA-256, or why the item did not apply.
            public var detail: String

            public init(label: String, value: String, failed: Bool = false, notApplicable: Bool = false, detail: String = "") {
                self.label = label
                self.value = value
                self.failed = failed
                self.notApplicable = notApplicable
                self.detail = detail
            }
        }

        public init(
            title: String, poNumber: String, customer: String, buildNumber: String, checklist: String, templateVersion: String,
            outcome: String, signer: String, signedAt: String, meaning: String, sha256: String, answers: [Line],
            instrument: String? = nil, failedItems: [String], link: String
        ) {
            self.title = title
            self.poNumber = poNumber
            self.customer = customer
            self.buildNumber = buildNumber
            self.checklist = checklist
            self.templateVersion = templateVersion
            self.outcome = outcome
            self.signer = signer
            self.signedAt = signedAt
            self.meaning = meaning
            self.sha256 = sha256
            self.answers = answers
            self.instrument = instrument
            self.failedItems = failedItems
            self.link = link
        }
    }

    public static func render(_ certificate: Certificate) throws -> Data {
        let pdf = try PDFWriter(
            title: "\(certificate.title) \(certificate.buildNumber)",
            footer: "CleanStation · \(certificate.title) · \(certificate.buildNumber) · record \(certificate.sha256.prefix(12))")
        let code = try QRCode(certificate.link)
        let (side, pixels) = code.pixels(scale: 4)
        try pdf.greyImage(pixels, side: side, points: 90)
        pdf.line(certificate.title, size: 18, bold: true)
        pdf.line("Build \(certificate.buildNumber) · order \(certificate.poNumber)", size: 12, bold: true)
        pdf.line(certificate.customer, size: 10)
        pdf.line("\(certificate.checklist), template version \(certificate.templateVersion)", size: 10)
        pdf.space(30)
        pdf.rule()
        pdf.line("Outcome: \(certificate.outcome)", size: 14, bold: true)
        if !certificate.failedItems.isEmpty {
            pdf.paragraph("Failed items: " + certificate.failedItems.joined(separator: ", "), size: 10)
        }
        pdf.space(6)
        pdf.line("Signed by \(certificate.signer) at \(certificate.signedAt)", size: 10, bold: true)
        pdf.paragraph("Meaning of the signature: \(certificate.meaning)", size: 10)
        pdf.line("Record SHA-256: \(certificate.sha256)", size: 8)
        if let instrument = certificate.instrument { pdf.paragraph("Instrument: \(instrument)", size: 10) }
        pdf.rule()
        pdf.line("Answers (N/A: the item does not apply to this build)", size: 12, bold: true)
        for line in certificate.answers {
            pdf.row(
                [line.label, line.failed ? "\(line.value) (FAIL)" : line.value, line.detail], columns: [0, 250, 360], size: 8,
                bold: line.failed, grey: line.notApplicable, wrap: true)
        }
        return try pdf.data()
    }
}
