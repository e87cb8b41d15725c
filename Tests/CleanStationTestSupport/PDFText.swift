import Foundation

/// The text of a PDF as a reader sees it, through poppler's `pdftotext`
/// (Debian's poppler-utils, which `make test` installs).
public enum PDFText {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func of(_ pdf: Data) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cs-\(UUID().uuidString).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-layout", file.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "pdftotext could not read the PDF") }
        return String(decoding: data, as: UTF8.self)
    }
}
