import CleanStationCore
import CleanStationTestSupport
import Foundation
import Testing

@testable import CleanStationExports

/// The PDFs are checked through what a reader sees (`PDFText`).
@Suite struct PDFTests {
    static let bom = BOMDocument(
        buildNumber: "B-1001",
        items: [
            BOMItem(
                id: "T2-BODY-48-60-HA", name: "Sink body 48–60\" height adjustable", kind: .assembly, quantity: 1, inCatalog: true,
                children: (1...60).map { BOMItem(id: "PART-\($0)", name: "Part number \($0)", kind: .part, quantity: $0, inCatalog: true) })
        ],
        lines: (1...60).map { BOMLine(id: "PART-\($0)", name: "Part number \($0)", kind: .part, quantity: $0, inCatalog: true) },
        warnings: ["T2-XYZ is not in the catalogue"])

    @Test func bomPDFListsTheTreeThePickListAndTheWarnings() throws {
        let pdf = try BOMPDF.render(
            Self.bom,
            heading: .init(poNumber: "PO-77", customer: "St. Mary’s Hospital", generatedAt: "2026-11-29T10:00:00Z", link: "https://x/b"))
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let text = try PDFText.of(pdf)
        #expect(text.contains("Bill of materials"))
        #expect(text.contains("Build B-1001"))
        #expect(text.contains("Order PO-77 · St. Mary’s Hospital"))
        #expect(text.contains("T2-BODY-48-60-HA"))
        #expect(text.contains("Pick list (60 parts)"))
        #expect(text.contains("PART-60"))
        #expect(text.contains("T2-XYZ is not in the catalogue"))
        #expect(text.contains("page 2"), "120 rows need more than one page")
    }

    @Test func certificateCarriesTheSignatureAndTheHash() throws {
        let sha = String(repeating: "ab", count: 32)
        let certificate = QCCertificatePDF.Certificate(
            title: "Final QC certificate", poNumber: "PO-77", customer: "St. Mary's", buildNumber: "B-1001",
            checklist: "CLP.T2.004 Final QC",
            templateVersion: "2", outcome: "PASS", signer: "Quinn Check", signedAt: "2026-11-29T10:00:00.000Z",
            meaning: "I verified this sink meets its specification.", sha256: sha,
            answers: [
                .init(label: "Basin 1 drain flows", value: "Yes"), .init(label: "Serial number", value: "SN-123", detail: "label worn"),
                .init(
                    label: "Dosing port mounted (basin 2)", value: "N/A", notApplicable: true,
                    detail: "needs T8-DOSINGESK in the basin's kit"),
            ], instrument: "FLUKE-01 Fluke 52 II, calibration due 2027-01-31", failedItems: [], link: "https://x/b")
        let text = try PDFText.of(try QCCertificatePDF.render(certificate))
        #expect(text.contains("Final QC certificate"))
        #expect(text.contains("Outcome: PASS"))
        #expect(text.contains("Signed by Quinn Check at 2026-11-29T10:00:00.000Z"))
        #expect(text.contains("I verified this sink meets its specification."))
        #expect(text.contains(sha))
        #expect(text.contains("Serial number"))
        #expect(text.contains("SN-123"))
        #expect(text.contains("label worn"))
        #expect(text.contains("Dosing port mounted (basin 2)"), "items that do not apply are printed, as N/A")
        #expect(text.contains("needs T8-DOSINGESK in the"), "the reason wraps below, not cut")
        #expect(text.contains("basin's kit"))
        #expect(text.contains("Instrument: FLUKE-01 Fluke 52 II, calibration due 2027-01-31"))
    }

    /// A long build or PO number is set smaller, never cut: a person reads it off the sink (the browser suite's
    /// numbers of 16 characters were cut to 8).
    @Test func aLabelPrintsLongNumbersWhole() throws {
        let labels = LabelPDF.build(
            number: "E2E-1796620890-12", poNumber: "PO-2026-HOSPITAL-00042", model: "T2-B2", customer: "St. Mary Hospital",
            link: "https://plant.example/orders/1/builds/E2E-1796620890-12")
        let text = try PDFText.of(try LabelPDF.render(labels, title: "Labels"))
        #expect(text.components(separatedBy: "Build E2E-1796620890-12").count == 3, "\(text)")
        #expect(text.components(separatedBy: "PO PO-2026-HOSPITAL-00042").count == 3, "\(text)")
        #expect(!text.contains("…"))
    }

    @Test func textOutsideWindows1252PrintsAsQuestionMarks() {
        let bytes = PDFWriter.withWinAnsi("Ünïcode €5 – 水→") { pointer in Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)))
        }
        #expect(
            bytes.map { UInt8(bitPattern: $0) } == [
                0xDC, 0x6E, 0xEF, 0x63, 0x6F, 0x64, 0x65, 0x20, 0x80, 0x35, 0x20, 0x96, 0x20, 0x3F, 0x2D, 0x3E,
            ])
    }
}
