import CleanStationCore
import Vapor

/// The test equipment register for admins: instruments, their calibration
/// due dates and certificates (InstrumentsController).
enum InstrumentPages {
    struct Register: Encodable {
        struct Row: Encodable {
            var id: String
            var tag: String
            var description: String
            var due: String
            var overdue: Bool
            var retired: Bool
            var certificate: String
            var certificateName: String
            var links: InstrumentLinks
        }

        var rows: [Row]
        var fields: [FormField]
        var errors: [String]
    }

    static func list(_ request: Request) async throws -> Response {
        try await render(request, values: [:], errors: [:])
    }

    static func render(
        _ request: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let rows = try await InstrumentsController.list(request).items.map { row in
            Register.Row(
                id: row.id, tag: row.tag, description: row.description, due: row.calibrationDue, overdue: row.overdue, retired: row.retired,
                certificate: row.certificate == nil ? "" : SiteURL.instrumentCertificate(.value(row.id)).path,
                certificateName: row.certificate?.fileName ?? "", links: InstrumentLinks(instrument: row.id))
        }
        let fields = [
            FormField("tag", "Asset tag", value: values["tag"] ?? "", errors: errors, hint: "As written on the instrument", required: true),
            FormField("description", "Description", value: values["description"] ?? "", errors: errors, required: true),
            FormField(
                "calibrationDue", "Calibration due", type: "date", value: values["calibrationDue"] ?? "", errors: errors,
                hint: "The last day it may be used", required: true),
        ]
        let view = Register(rows: rows, fields: fields, errors: errors.filter { $0.key.isEmpty }.map(\.value))
        let response = try await Chrome.render(
            request, "instruments", title: "Test instruments", view, section: SiteURL.admin(.instruments).path)
        response.status = status
        return response
    }

    static func create(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let values = Dictionary(uniqueKeysWithValues: ["tag", "description", "calibrationDue"].map { ($0, fields.value($0) ?? "") })
        let input = InstrumentsController.NewInstrument(
            tag: values["tag"] ?? "", description: values["description"] ?? "", calibrationDue: values["calibrationDue"] ?? "")
        do {
            _ = try await InstrumentsController.create(request, input)
        } catch let error as APIError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await render(request, values: values, errors: error.fieldMessages, status: error.status)
        }
        return Flash.redirect(request, to: SiteURL.admin(.instruments).path, "Instrument \(values["tag"] ?? "") added to the register.")
    }

    /// A new due date after calibration, or retirement.
    static func update(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let input = InstrumentsController.InstrumentChange(
            calibrationDue: fields.text("calibrationDue"), retired: fields.value("retired").map { $0 == "true" })
        return try await Flash.perform(request, then: SiteURL.admin(.instruments).path, "Instrument updated.") {
            _ = try await InstrumentsController.update(request, input)
        }
    }

    static func upload(_ request: Request) async throws -> Response {
        try await Flash.perform(request, then: SiteURL.admin(.instruments).path, "Calibration certificate attached.") {
            _ = try await InstrumentsController.uploadCertificate(request)
        }
    }
}
