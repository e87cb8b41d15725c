import CHaru
import Foundation

/// Pages of text, rules and images through libharu (libhpdf), top to
/// bottom: `line` moves down and starts a new page when the page is full.
/// A4 with a footer by default; labels are smaller pages without one.
/// Text uses the standard Helvetica fonts in WinAnsi (Windows-1252);
/// characters outside it print as "?".
final class PDFWriter {
    private let document: HPDF_Doc
    private var page: HPDF_Page
    private let regular: HPDF_Font
    private let bold: HPDF_Font
    let margin: Float
    private(set) var y: Float = 0
    private(set) var pageCount = 0
    let width: Float
    let height: Float
    /// Printed at the foot of every page, with the page number; none on a label.
    private let footer: String?

    /// A page's size in points (1/72 inch).
    struct PageSize {
        var width: Float
        var height: Float
        static let a4 = PageSize(width: 595.276, height: 841.89)
        /// 100 × 50 mm label stock.
        static let label = PageSize(width: 283.465, height: 141.732)
    }

    enum Failure: Error, CustomStringConvertible {
        case library(String)
        var description: String {
            switch self {
            case .library(let step): "libharu failed to \(step)"
            }
        }
    }

    init(title: String, footer: String?, size: PageSize = .a4, margin: Float = 50) throws {
        guard let document = HPDF_New(nil, nil) else { throw Failure.library("create a document") }
        self.document = document
        HPDF_SetCompressionMode(document, UInt32(HPDF_COMP_ALL))
        guard let regular = HPDF_GetFont(document, "Helvetica", "WinAnsiEncoding"),
            let bold = HPDF_GetFont(document, "Helvetica-Bold", "WinAnsiEncoding"), let first = HPDF_AddPage(document)
        else {
            HPDF_Free(document)
            throw Failure.library("start the document")
        }
        page = first
        self.regular = regular
        self.bold = bold
        self.footer = footer
        self.margin = margin
        width = size.width
        height = size.height
        Self.withWinAnsi(title) { _ = HPDF_SetInfoAttr(document, HPDF_INFO_TITLE, $0) }
        _ = HPDF_SetInfoAttr(document, HPDF_INFO_CREATOR, "CleanStation")
        startPage()
    }

    deinit { HPDF_Free(document) }

    /// Starts a new page when less than `needed` points remain above the footer.
    func ensureRoom(_ needed: Float) {
        if y - needed < margin + (footer == nil ? 0 : 20) { newPage() }
    }

    func newPage() {
        if let next = HPDF_AddPage(document) { page = next }
        startPage()
    }

    private func startPage() {
        HPDF_Page_SetWidth(page, width)
        HPDF_Page_SetHeight(page, height)
        pageCount += 1
        y = height - margin
        if let footer { text("\(footer) · page \(pageCount)", x: margin, y: margin - 10, size: 8) }
    }

    /// Writes one line of text at the current height and moves down.
    /// With `fitted`, a text wider than the rest of the line is cut, with an ellipsis.
    func line(_ text: String, size: Float = 10, bold isBold: Bool = false, indent: Float = 0, spacing: Float = 1.45, fitted: Bool = false) {
        ensureRoom(size * spacing)
        y -= size * spacing
        let shown = fitted ? fit(text, size: size, width: width - 2 * margin - indent, bold: isBold) : text
        self.text(shown, x: margin + indent, y: y, size: size, bold: isBold)
    }

    /// A line read whole or not at all (a build or PO number on a label): set smaller, down to `minimum`, until
    /// it fits, in the line height of `size`; cut only if it does not fit even then.
    func identifier(_ text: String, size: Float, minimum: Float, bold isBold: Bool = false, indent: Float = 0) {
        let room = width - 2 * margin - indent
        var shown = size
        while shown > minimum, textWidth(text, size: shown, bold: isBold) > room { shown -= 0.5 }
        line(text, size: shown, bold: isBold, indent: indent, spacing: 1.45 * size / shown, fitted: true)
    }

    /// Wraps `text` to the printable width.
    func paragraph(_ text: String, size: Float = 10, indent: Float = 0) {
        for wrapped in wrap(text, size: size, width: width - 2 * margin - indent) { line(wrapped, size: size, indent: indent) }
    }

    /// One row of cells at the given column offsets, each cut to its
    /// column, or with `wrap` continued on the lines below it; `grey` for a
    /// row that does not count.
    func row(_ cells: [String], columns: [Float], size: Float = 9, bold isBold: Bool = false, grey: Bool = false, wrap wraps: Bool = false)
    {
        let limits = cells.indices.map { index in
            (index + 1 < columns.count ? columns[index + 1] : width - 2 * margin) - columns[index] - 6
        }
        let lines = cells.enumerated().map { index, cell in
            wraps ? wrap(cell, size: size, width: limits[index]) : [fit(cell, size: size, width: limits[index], bold: isBold)]
        }
        let height = lines.map(\.count).max() ?? 1
        ensureRoom(size * 1.5 + size * 1.3 * Float(height - 1))
        y -= size * 1.5
        if grey { HPDF_Page_SetGrayFill(page, 0.45) }
        for (index, cellLines) in lines.enumerated() {
            for (number, line) in cellLines.enumerated() {
                text(line, x: margin + columns[index], y: y - size * 1.3 * Float(number), size: size, bold: isBold)
            }
        }
        y -= size * 1.3 * Float(height - 1)
        if grey { HPDF_Page_SetGrayFill(page, 0) }
    }

    func rule(gap: Float = 6) {
        ensureRoom(gap * 2)
        y -= gap
        HPDF_Page_SetLineWidth(page, 0.5)
        HPDF_Page_MoveTo(page, margin, y)
        HPDF_Page_LineTo(page, width - margin, y)
        HPDF_Page_Stroke(page)
        y -= gap / 2
    }

    func space(_ points: Float) {
        ensureRoom(points)
        y -= points
    }

    /// An 8-bit grey image of `side`×`side` pixels, drawn `points` wide at the right margin (or the left), top at the current height.
    func greyImage(_ pixels: [UInt8], side: Int, points: Float, left: Bool = false) throws {
        let image = pixels.withUnsafeBufferPointer { buffer in
            HPDF_LoadRawImageFromMem(document, buffer.baseAddress, HPDF_UINT(side), HPDF_UINT(side), HPDF_CS_DEVICE_GRAY, 8)
        }
        guard let image else { throw Failure.library("load an image") }
        HPDF_Page_DrawImage(page, image, left ? margin : width - margin - points, y - points, points, points)
    }

    func data() throws -> Data {
        guard HPDF_SaveToStream(document) == HPDF_OK else { throw Failure.library("write the document") }
        var size = HPDF_GetStreamSize(document)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        guard HPDF_ReadFromStream(document, &bytes, &size) == HPDF_OK || size > 0 else { throw Failure.library("read the document") }
        return Data(bytes.prefix(Int(size)))
    }

    // MARK: Text

    private func text(_ text: String, x: Float, y: Float, size: Float, bold isBold: Bool = false) {
        HPDF_Page_BeginText(page)
        HPDF_Page_SetFontAndSize(page, isBold ? bold : regular, size)
        Self.withWinAnsi(text) { _ = HPDF_Page_TextOut(page, x, y, $0) }
        HPDF_Page_EndText(page)
    }

    private func textWidth(_ text: String, size: Float, bold isBold: Bool) -> Float {
        HPDF_Page_SetFontAndSize(page, isBold ? bold : regular, size)
        return Self.withWinAnsi(text) { HPDF_Page_TextWidth(page, $0) }
    }

    private func fit(_ text: String, size: Float, width: Float, bold isBold: Bool) -> String {
        guard textWidth(text, size: size, bold: isBold) > width else { return text }
        var cut = text
        while !cut.isEmpty, textWidth(cut + "…", size: size, bold: isBold) > width { cut.removeLast() }
        return cut + "…"
    }

    private func wrap(_ text: String, size: Float, width: Float) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if !current.isEmpty, textWidth(candidate, size: size, bold: false) > width {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// The text as a NUL-terminated Windows-1252 C string.
    static func withWinAnsi<T>(_ text: String, _ body: (UnsafePointer<CChar>) -> T) -> T {
        var bytes = text.unicodeScalars.flatMap { scalar -> [UInt8] in
            if scalar.value < 0x80 || (0xA0...0xFF).contains(scalar.value) { return [UInt8(scalar.value)] }
            switch scalar {
            case "€": return [0x80]
            case "…": return [0x85]
            case "–": return [0x96]
            case "—": return [0x97]
            case "‘": return [0x91]
            case "’": return [0x92]
            case "“": return [0x93]
            case "”": return [0x94]
            case "•": return [0x95]
            case "→": return Array("->".utf8)
            default: return [UInt8(ascii: "?")]
            }
        }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0) }
        }
    }
}
