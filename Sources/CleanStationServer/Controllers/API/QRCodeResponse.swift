import CleanStationCore
import CleanStationExports
import Vapor

/// A QR code as SVG (the default) or PNG (`?format=png`), for labels.
enum QRCodeResponse {
    static func make(_ request: Request, link: String, name: String) throws -> Response {
        let code = try QRCode(link)
        switch request.query[String.self, at: "format"] ?? "svg" {
        case "svg":
            return Response.download(Data(code.svg().utf8), type: "image/svg+xml", filename: "\(name)-qr.svg", inline: true)
        case "png":
            return Response.download(try code.png(scale: 8), type: "image/png", filename: "\(name)-qr.png", inline: true)
        default:
            throw APIError.validation([FieldError(field: "format", message: "must be svg or png")])
        }
    }
}

extension Response {
    /// Bytes the application made, with their type and a file name to save them under.
    static func download(_ data: Data, type: String, filename: String, inline: Bool = false) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        // The name without quotes, backslashes or control characters, which would end or break the header.
        let safe = String(filename.unicodeScalars.filter { $0 != "\"" && $0 != "\\" && !CharacterSet.controlCharacters.contains($0) })
        headers.replaceOrAdd(name: .contentDisposition, value: "\(inline ? "inline" : "attachment"); filename=\"\(safe)\"")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

extension Application {
    /// `PUBLIC_URL`: where users reach the application.
    var publicURL: String { config.publicURL }

    /// The build's own page (`OrderPages.build`), where its QR code leads.
    func publicLink(toBuild buildNumber: String, of orderID: UUID) -> String {
        publicURL + SiteURL.build(orderID, buildNumber).path
    }

    /// The catalogue item's own page (`CatalogPages.item`), where its QR code leads.
    func publicLink(toItem id: String) -> String {
        publicURL + SiteURL.catalogItem(.value(id)).path
    }
}
