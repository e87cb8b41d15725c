import CPNG
import CQRencode
import Foundation

/// A QR code (libqrencode), as a module matrix, SVG or PNG.
public struct QRCode: Sendable, Equatable {
    /// Modules per side, without the quiet zone.
    public let size: Int
    /// Row-major; true is a dark module.
    public let modules: [Bool]

    public enum Failure: Error, CustomStringConvertible {
        case tooLong(Int)
        case encoding(String)
        public var description: String {
            switch self {
            case .tooLong(let count): "\(count) bytes do not fit in a QR code"
            case .encoding(let reason): reason
            }
        }
    }

    /// Encodes `text` at error-correction level M (15 % of the symbol may be damaged).
    public init(_ text: String) throws {
        guard text.utf8.count <= 2_000 else { throw Failure.tooLong(text.utf8.count) }
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw Failure.encoding("libqrencode could not encode the text (errno \(errno))")
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        modules = (0..<width * width).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size && y < size && modules[y * size + x]
    }

    /// A scalable image: one path of unit squares, with the standard 4-module quiet zone.
    public func svg(quietZone: Int = 4) -> String {
        let side = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while isDark(x: x, y: y) { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    /// 8-bit grey pixels, `scale` pixels per module, with the quiet zone; row-major.
    public func pixels(scale: Int, quietZone: Int = 4) -> (side: Int, bytes: [UInt8]) {
        let side = (size + 2 * quietZone) * scale
        var bytes = [UInt8](repeating: 0xFF, count: side * side)
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                for dy in 0..<scale {
                    let row = ((y + quietZone) * scale + dy) * side
                    for dx in 0..<scale { bytes[row + (x + quietZone) * scale + dx] = 0 }
                }
            }
        }
        return (side, bytes)
    }

    /// A PNG (libpng), `scale` pixels per module.
    public func png(scale: Int = 8) throws -> Data {
        let (side, pixels) = self.pixels(scale: scale)
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(side)
        image.height = png_uint_32(side)
        image.format = png_uint_32(PNG_FORMAT_GRAY)
        var length: png_alloc_size_t = 0
        let sized = pixels.withUnsafeBytes { buffer in
            png_image_write_to_memory(&image, nil, &length, 0, buffer.baseAddress, 0, nil)
        }
        guard sized != 0, length > 0 else { throw Failure.encoding("libpng could not size the image") }
        var output = Data(count: Int(length))
        let written = output.withUnsafeMutableBytes { target in
            pixels.withUnsafeBytes { buffer in
                png_image_write_to_memory(&image, target.baseAddress, &length, 0, buffer.baseAddress, 0, nil)
            }
        }
        png_image_free(&image)
        guard written != 0 else { throw Failure.encoding("libpng could not write the image") }
        return output.prefix(Int(length))
    }
}
