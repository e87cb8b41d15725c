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
        let shown = RecordLines(record: try JSONParser.parse(result.record), instance: definition.instantiate(in: target.context))
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

    static func results(_ request: Request) async throws -> APIList<ResultView> {
        APIList(try await results(of: try await target(request, on: request.db), on: request.db))
    }

    /// The signed results of a resolved checklist, oldest first.
    static func results(of target: Target, on database: any Database) async throws -> [ResultView] {
        let results = try await ChecklistResult.of(build: target.build.buildNumber, kind: target.kind, on: database)
        let signed = try ChecklistResult.signedOutcomes(results, on: database)
        return try results.map { try view($0, verified: signed[$0.id!] != nil) }
    }

    /// A signed result as the API answers it: everything from its signed
    /// record, the record itself, and `verified`: whether the record still
    /// matches its hash and seal. The record's answers, items that did not
    /// apply and instrument are its own, verbatim.
    struct ResultView: APIResponse {
        struct Signature: Encodable, Sendable {
            var userId: String
            var initials: String
            var fullName: String
            var signedAt: String
            var meaning: String
            var sha256: String
        }

        var id: String
        var kind: ChecklistKind
        var buildNumber: String
        /// The template version signed, and its id.
        var templateId: String
        var templateVersion: Int
        var outcome: String
        var verified: Bool
        var failedItems: [String]
        var answers: [JSONValue]
        var notApplicable: [JSONValue]
        var instrument: JSONValue?
        var signature: Signature
        var supersedes: String?
        /// The signed record as canonical JSON: what the SHA-256 and the seal cover.
        var record: String

        static let example = ResultView(
            id: "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d", kind: .eolTest, buildNumber: "4521",
            templateId: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", templateVersion: 2, outcome: "FAIL", verified: true,
            failedItems: ["drain-test"], answers: NonconformancesController.View.example.failedItems,
            notApplicable: [
                .object([
                    JSONMember("itemId", "pegboard"), JSONMember("text", "Pegboard fitted"), JSONMember("basin", .null),
                    JSONMember("reason", "the order has no pegboard"),
                ])
            ],
            instrument: .object([
                JSONMember("id", "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e"), JSONMember("tag", "FLOW-01"),
                JSONMember("description", "Flow meter"), JSONMember("calibrationDue", "2027-03-01"),
                JSONMember("certificateSha256", .null),
            ]),
            signature: Signature(
                userId: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b", initials: "QB", fullName: "Quinn Baker",
                signedAt: "2026-12-06T09:30:00.000Z", meaning: "Tested as recorded",
                sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            supersedes: "1f2a3b4c-5d6e-4f7a-8b9c-0d1e2f3a4b5c", record: "{}")
    }

    static func view(_ result: ChecklistResult, verified: Bool) throws -> ResultView {
        let record = try JSONParser.parse(result.record)
        let signature = record["signature"]
        return ResultView(
            id: try result.requireID().uuidString.lowercased(), kind: result.kind, buildNumber: result.buildNumber,
            templateId: record["templateId"]?.string ?? result.$template.id.uuidString.lowercased(),
            templateVersion: Int(record["templateVersion"]?.number ?? 0), outcome: record["outcome"]?.string ?? result.outcome.rawValue,
            verified: verified, failedItems: record["failedItems"]?.array.compactMap(\.string) ?? [],
            answers: record["answers"]?.array ?? [], notApplicable: record["notApplicable"]?.array ?? [],
            instrument: record["instrument"].flatMap { $0 == .null ? nil : $0 },
            signature: ResultView.Signature(
                userId: signature?["userId"]?.string ?? result.$signer.id.uuidString.lowercased(),
                initials: signature?["initials"]?.string ?? "", fullName: signature?["fullName"]?.string ?? "",
                signedAt: signature?["signedAt"]?.string ?? AuditLog.timestamp(result.signedAt),
                meaning: signature?["meaning"]?.string ?? "", sha256: result.sha256),
            supersedes: record["supersedes"]?.string, record: result.record)
    }
}
