import Foundation
import Testing

@testable import CleanStationExports

@Suite struct QRCodeTests {
    let link = "https://cleanstation.torvan.com/orders/7d3c5a2e-0000-4000-8000-000000000001/builds/B-1001"

    /// The three finder patterns: a dark 7×7 ring, a light ring, a dark 3×3 core.
    @Test func finderPatternsSitInThreeCorners() throws {
        let code = try QRCode(link)
        #expect((code.size - 17) % 4 == 0, "a QR code has 17 + 4·version modules per side")
        for (left, top) in [(0, 0), (code.size - 7, 0), (0, code.size - 7)] {
            for y in 0..<7 {
                for x in 0..<7 {
                    let ring = max(abs(x - 3), abs(y - 3))
                    #expect(code.isDark(x: left + x, y: top + y) == (ring != 2), "module (\(left + x), \(top + y))")
                }
            }
        }
    }

    @Test func longerTextNeedsALargerSymbol() throws {
        #expect(try QRCode(link + String(repeating: "x", count: 200)).size > QRCode(link).size)
        #expect(throws: QRCode.Failure.self) { try QRCode(String(repeating: "x", count: 3_000)) }
    }

    @Test func svgDrawsEveryDarkModuleOnce() throws {
        let code = try QRCode(link)
        let svg = code.svg()
        let side = code.size + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\""))
        // Each run is "M x y h n v1 h-n z": the widths add up to the dark modules.
        let widths = svg.split(separator: "h").dropFirst().compactMap { part -> Int? in
            part.hasPrefix("-") ? nil : Int(part.prefix { $0.isNumber })
        }
        #expect(widths.reduce(0, +) == code.modules.filter { $0 }.count)
    }

    @Test func pngHasTheScaledSizeAndPixels() throws {
        let code = try QRCode(link)
        let png = try code.png(scale: 5)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // IHDR: width and height, big-endian, right after the chunk header.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == (code.size + 8) * 5 && height == width)
        let (side, pixels) = code.pixels(scale: 5)
        #expect(side == width)
        #expect(pixels[0] == 0xFF, "the quiet zone is white")
        #expect(pixels[(4 * 5) * side + 4 * 5] == 0x00, "the finder pattern's corner is black")
    }
}
