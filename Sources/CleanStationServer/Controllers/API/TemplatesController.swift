import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// Checklist template administration (admin): a template in use is never
/// edited; an edit is the next version, and old versions can be retired
/// while their results keep pointing at them.
enum TemplatesController {
    /// A version of a checklist template, without its items.
    struct TemplateSummary: APIResponse {
        var id: String
        var kind: ChecklistKind
        var version: Int
        var name: String
        /// The customer's form it transcribes.
        var form: String
        var retired: Bool
        /// How many items it has.
        var items: Int

        static let example = TemplateSummary(
            id: "4d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a", kind: .finalQC, version: 3, name: "Final QC", form: "CLQ.T2.001.V01",
            retired: false, items: 42)
    }

    static func list(_ request: Request) async throws -> APIList<TemplateSummary> {
        let records = try await ChecklistTemplateRecord.query(on: request.db).sort(\.$kind).sort(\.$version).all()
        return APIList(try records.map { try summary($0) })
    }

    static func show(_ request: Request) async throws -> JSONValue {
        let record = try await find(request, on: request.db)
        return .object(try summary(record).json.members + [JSONMember("definition", try JSONParser.parse(record.definition))])
    }

    static func newVersion(_ request: Request) async throws -> Response {
        let template: ChecklistTemplate
        do {
            template = try JSONDecoder().decode(ChecklistTemplate.self, from: JSONSerializer.data(try request.jsonBody()))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.validation([FieldError(field: "", message: "is not a checklist template: \(error.localizedDescription)")])
        }
        let response = try await publish(request, template).encodeResponse(for: request)
        response.status = .created
        return response
    }

    /// A new version of the template the path names, from `template`'s sections and items.
    static func publish(_ request: Request, _ template: ChecklistTemplate) async throws -> TemplateSummary {
        let base = try await find(request, on: request.db)
        var template = template
        template.kind = base.kind
        let edited = template
        let errors = edited.validationErrors()
        guard errors.isEmpty else { throw APIError.validation(errors) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let record = ChecklistTemplateRecord()
        do {
            try await request.db.transaction { transaction in
                var next = edited
                next.version =
                    (try await ChecklistTemplateRecord.query(on: transaction).filter(\.$kind == base.kind).max(\.$version) ?? 0) + 1
                record.kind = base.kind
                record.version = next.version
                record.definition = String(decoding: try encoder.encode(next), as: UTF8.self)
                try await record.create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "CREATE", resourceType: "checklist_template", resourceID: record.id?.uuidString.lowercased(),
                        newValue: .object([
                            JSONMember("kind", .string(base.kind.rawValue)), JSONMember("version", .number(Double(record.version))),
                        ])),
                    actor: request.auditActor, on: transaction)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("Another version of \(base.kind.rawValue) was created at the same time; try again.")
        }
        return try summary(record)
    }

    static func retire(_ request: Request) async throws -> TemplateSummary {
        let record = try await find(request, on: request.db)
        try await request.db.transaction { transaction in
            guard record.retiredAt == nil else { throw APIError.conflict("Version \(record.version) is retired already.") }
            let active = try await ChecklistTemplateRecord.query(on: transaction).filter(\.$kind == record.kind).filter(\.$retiredAt == nil)
                .count()
            guard active > 1 else {
                throw APIError.conflict(
                    "Version \(record.version) is the only active \(record.kind.rawValue) template: add a new version first.")
            }
            let sql = transaction as! any SQLDatabase
            try await sql.update(ChecklistTemplateRecord.schema).set("retired_at", to: Date()).where("id", .equal, record.requireID()).run()
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "checklist_template", resourceID: record.id?.uuidString.lowercased(),
                    newValue: .object([JSONMember("retired", true)])),
                actor: request.auditActor, on: transaction)
        }
        return try summary(try await find(request, on: request.db))
    }

    private static func find(_ request: Request, on database: any Database) async throws -> ChecklistTemplateRecord {
        let id = try request.uuidParameter("templateID", "The template")
        guard let record = try await ChecklistTemplateRecord.find(id, on: database) else { throw APIError.notFound("The template") }
        return record
    }

    private static func summary(_ record: ChecklistTemplateRecord) throws -> TemplateSummary {
        let template = try record.template()
        return TemplateSummary(
            id: try record.requireID().uuidString.lowercased(), kind: record.kind, version: record.version, name: template.name,
            form: template.form, retired: record.retiredAt != nil, items: template.items.count)
    }
}
