import CleanStationCore
import CleanStationExports
import Fluent
import Vapor

/// A checklist's signed results: the list, and the certificate of one as a PDF.
extension ChecklistsController {
    /// The certificate of the build's latest signed result of this checklist
    /// (or of `?result=ID`), as a PDF: every answer, the items that did not
    /// apply (N/A), the instrument and the photos by SHA-256.
    static func certificate(_ request: Request) async throws -> Response {
        let target = try await target(request, on: request.db)
        var query = ChecklistResult.query(on: request.db).filter(\.$buildNumber == target.build.buildNumber).filter(\.$kind == target.kind)
        if let text = request.query[String.self, at: "result"] {
            guard let id = UUID(uuidString: text) else {
                throw APIError.validation([FieldError(field: "result", message: "must be a UUID")])
            }
            query = query.filter(\.$id == id)
        }
        guard let result = try await query.sort(\.$signedAt, .descending).sort(\.$id, .descending).first() else {
            throw APIError.notFound("A signed \(target.kind.rawValue) result of \(target.build.buildNumber)")
        }
        guard let template = try await ChecklistTemplateRecord.find(result.$template.id, on: request.db) else {
            throw APIError.notFound("The result's template")
        }
        let definition = try template.template()
        let shown = ResultView(record: try JSONParser.parse(result.record), instance: definition.instantiate(in: target.context))
        let certificate = QCCertificatePDF.Certificate(
            title: "\(definition.name) certificate", poNumber: target.order.poNumber, customer: target.order.customerName,
            buildNumber: result.buildNumber, checklist: "\(definition.form) \(definition.name)", templateVersion: String(template.version),
            outcome: try ChecklistResult.signedOutcomes([result], on: request.db)[result.id!]?.rawValue
                ?? "NOT VERIFIED: the record does not match its hash or seal",
            signer: shown.signer,
            signedAt: shown.signedAt ?? AuditLog.timestamp(result.signedAt),
            meaning: shown.meaning, sha256: result.sha256,
            answers: shown.lines.map { line in
                QCCertificatePDF.Certificate.Line(
                    label: line.label, value: line.value, failed: line.failed, notApplicable: line.notApplicable,
                    detail: line.detail)
            },
            instrument: shown.instrument, failedItems: shown.failedLabels,
            link: request.application.publicLink(toBuild: result.buildNumber, of: try target.order.requireID()))
        try await AuditLog.recordExport(
            request, resourceType: "build", resourceID: result.buildNumber,
            details: [
                JSONMember("export", "certificate"), JSONMember("kind", .string(target.kind.rawValue)),
                JSONMember("resultId", .string(try result.requireID().uuidString.lowercased())),
            ])
        return Response.download(
            try QCCertificatePDF.render(certificate), type: "application/pdf",
            filename: "\(result.buildNumber)-\(target.kind.rawValue.lowercased())-certificate.pdf")
    }

    static func results(_ request: Request) async throws -> JSONValue {
        .array(try await results(of: try await target(request, on: request.db), on: request.db))
    }

    /// The signed results of a resolved checklist, oldest first.
    static func results(of target: Target, on database: any Database) async throws -> [JSONValue] {
        let results = try await ChecklistResult.query(on: database).filter(\.$buildNumber == target.build.buildNumber)
            .filter(\.$kind == target.kind).sort(\.$signedAt).sort(\.$id).all()
        let signed = try ChecklistResult.signedOutcomes(results, on: database)
        return try results.map { try view($0, verified: signed[$0.id!] != nil) }
    }
}
