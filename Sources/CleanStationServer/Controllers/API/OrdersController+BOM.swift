import CleanStationCore
import CleanStationExports
import Fluent
import SQLKit
import Vapor

/// A build's BOM: read, exported, previewed and approved; its labels and its code.
extension OrdersController {
    // MARK: BOMs

    static func build(_ request: Request) async throws -> Build {
        let orderID = try request.uuidParameter("orderID", "The order")
        guard let number = request.parameters.get("buildNumber")?.uppercased(),
            let build = try await Build.read(order: orderID, number: number, on: request.db)
        else { throw APIError.notFound("The build") }
        return build
    }

    static func bom(_ request: Request) async throws -> Response {
        let build = try await build(request)
        switch request.query[String.self, at: "format"] ?? "json" {
        case "json":
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(string: build.bom))
        case "csv":
            let document = try JSONDecoder().decode(BOMDocument.self, from: Data(build.bom.utf8))
            try await exported(build, "csv", request)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(build.buildNumber)-bom.csv\"")
            return Response(status: .ok, headers: headers, body: .init(string: document.csv()))
        case "pdf":
            let document = try JSONDecoder().decode(BOMDocument.self, from: Data(build.bom.utf8))
            guard let order = try await Order.find(build.$order.id, on: request.db) else { throw APIError.notFound("The order") }
            try await exported(build, "pdf", request)
            let heading = BOMPDF.Heading(
                poNumber: order.poNumber, customer: order.customerName, generatedAt: AuditLog.timestamp(Date()),
                link: request.application.publicLink(toBuild: build.buildNumber, of: build.$order.id))
            return Response.download(
                try BOMPDF.render(document, heading: heading), type: "application/pdf", filename: "\(build.buildNumber)-bom.pdf")
        default:
            throw APIError.validation([FieldError(field: "format", message: "must be json, csv or pdf")])
        }
    }

    /// A build's export in the audit trail: what (`bom`, `labels`), in which format where there are several.
    private static func exported(_ build: Build, _ format: String?, _ request: Request, export: String = "bom") async throws {
        try await AuditLog.recordExport(
            request, resourceType: "build", resourceID: build.buildNumber,
            details: [JSONMember("export", .string(export))] + (format.map { [JSONMember("format", .string($0))] } ?? [])
                + [JSONMember("orderId", .string(build.$order.id.uuidString.lowercased()))])
    }

    /// The build's two labels (skirt and back, CLQ A6) as a PDF for 100 × 50 mm stock, each with the QR code of its page.
    static func labels(_ request: Request) async throws -> Response {
        let build = try await build(request)
        guard let order = try await Order.find(build.$order.id, on: request.db) else { throw APIError.notFound("The order") }
        let sink = try SinkConfiguration.read(Data(build.configuration.utf8)).get()
        let labels = LabelPDF.build(
            number: build.buildNumber, poNumber: order.poNumber, model: sink.model.rawValue, customer: order.customerName,
            link: request.application.publicLink(toBuild: build.buildNumber, of: build.$order.id))
        let pdf = try LabelPDF.render(labels, title: "Labels of build \(build.buildNumber)")
        // Recorded once the labels exist, as every export.
        try await exported(build, nil, request, export: "labels")
        return Response.download(pdf, type: "application/pdf", filename: "\(build.buildNumber)-labels.pdf", inline: true)
    }

    /// A QR code linking to the build's page, to print on labels and travellers.
    static func buildQRCode(_ request: Request) async throws -> Response {
        let build = try await build(request)
        return try QRCodeResponse.make(
            request, link: request.application.publicLink(toBuild: build.buildNumber, of: build.$order.id), name: build.buildNumber)
    }

    static func approveBOM(_ request: Request) async throws -> OrderDetail {
        let build = try await build(request)
        try await approveBOM(of: build, by: try request.principal(), actor: request.auditActor, on: request.db)
        return try await detail(of: build.$order.id, request: request)
    }

    static func approveBOM(
        of found: Build, by principal: Principal, actor: AuditActor, on database: any Database, now: Date = Date()
    )
        async throws
    {
        let orderID = found.$order.id
        try await database.transaction { transaction in
            try await lock(orderID, on: transaction)
            guard let build = try await Build.find(found.id, on: transaction) else { throw APIError.notFound("The build") }
            let facts = OrderPolicy.Facts(status: build.status, bomApproved: build.bomApprovedAt != nil)
            if let refusal = OrderPolicy.refusal(.approveBOM, role: principal.role, facts: facts) {
                throw APIError(refusal, naming: build.buildNumber)
            }
            build.bomRejection = nil
            build.bomApprovedAt = now
            build.$bomApprovedBy.id = principal.userID
            try await build.update(on: transaction)
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "build", resourceID: build.buildNumber,
                    newValue: .object([JSONMember("bomApproved", true)])),
                actor: actor, on: transaction, now: now)
        }
    }

    static func previewBOM(_ request: Request) async throws -> JSONValue {
        guard case .object(let members) = try request.jsonBody() else {
            throw APIError.validation([FieldError(field: "", message: "must be an object")])
        }
        var reader = JSONFieldReader()
        let language =
            members.first { $0.key == "language" }.map { reader.enumeration(Language.self, $0.value, at: .root.key("language")) } ?? .en
        let configuration = SinkConfiguration.read(.object(members.filter { $0.key != "language" }), at: .root, reader: &reader)
        guard let configuration, let language, reader.errors.isEmpty else { throw APIError.validation(reader.errors) }
        return request.application.bomGenerator.bom(for: configuration, language: language).jsonValue
    }
}
