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
        /// Label and value of every answer, in the checklist's order.
        public var answers: [(String, String)]
        public var failedItems: [String]
        public var link: String

        public init(
            title: String, poNumber: String, customer: String, buildNumber: String, checklist: String, templateVersion: String,
            outcome: String, signer: String, signedAt: String, meaning: String, sha256: String, answers: [(String, String)],
            failedItems: [String], link: String
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
        pdf.rule()
        pdf.line("Answers", size: 12, bold: true)
        for (label, value) in certificate.answers { pdf.row([label, value], columns: [0, 330], size: 9) }
        return try pdf.data()
    }
}
