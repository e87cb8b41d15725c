import CleanStationCore
import Crypto
import Fluent
import Vapor

/// The test equipment register: calibrated instruments with their due
/// dates and certificates. An end-of-line test names the instrument it used
/// (ChecklistsController), and one past its due date is refused.
enum InstrumentsController {
    /// Today in UTC, `YYYY-MM-DD`: an instrument may be used up to and including its due date.
    /// The plant's day (`PlantTime`): an instrument due today is still in date until the plant's midnight.
    static func today(_ now: Date = Date()) -> String {
        OrderRequest.today(now)
    }

    /// A test instrument of the register.
    struct InstrumentView: APIResponse {
        var id: String
        var tag: String
        var description: String
        /// `YYYY-MM-DD`, the last day it may be used.
        var calibrationDue: String
        var overdue: Bool
        var retired: Bool
        var certificate: Certificate?

        struct Certificate: Encodable, Sendable {
            var fileName: String
            var sha256: String
            var href: String
        }

        static let example = InstrumentView(
            id: "0b9f6a52-2f0e-4c1e-8d0a-6b1f3c2d4e5f", tag: "DMM-07", description: "Fluke 87V multimeter", calibrationDue: "2027-03-31",
            overdue: false, retired: false,
            certificate: Certificate(
                fileName: "DMM-07-2026.pdf", sha256: String(repeating: "ab", count: 32),
                href: "/api/v1/instruments/0b9f6a52-2f0e-4c1e-8d0a-6b1f3c2d4e5f/certificate"))
    }

    static func view(_ instrument: Instrument, today: String = today()) -> InstrumentView {
        let id = instrument.id!.uuidString.lowercased()
        return InstrumentView(
            id: id, tag: instrument.tag, description: instrument.description, calibrationDue: instrument.calibrationDue,
            overdue: instrument.calibrationDue < today, retired: instrument.retiredAt != nil,
            certificate: instrument.certificateSHA256.map { sha256 in
                InstrumentView.Certificate(
                    fileName: instrument.certificateFileName ?? "", sha256: sha256, href: "/api/v1/instruments/\(id)/certificate")
            })
    }

    /// What a signed record keeps of the instrument used.
    static func recordView(_ instrument: Instrument) -> JSONValue {
        .object([
            JSONMember("id", .string(instrument.id!.uuidString.lowercased())), JSONMember("tag", .string(instrument.tag)),
            JSONMember("description", .string(instrument.description)), JSONMember("calibrationDue", .string(instrument.calibrationDue)),
            JSONMember("certificateSha256", instrument.certificateSHA256.map { .string($0) } ?? .null),
        ])
    }

    static func list(_ request: Request) async throws -> APIList<InstrumentView> {
        let today = today()
        return APIList(try await Instrument.query(on: request.db).sort(\.$tag).all().map { view($0, today: today) })
    }

    /// `YYYY-MM-DD`, a real day.
    static func isDate(_ text: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return text.count == 10 && formatter.date(from: text).map { formatter.string(from: $0) == text } == true
    }

    /// `{tag, description, calibrationDue}`: an instrument entered in the register.
    struct NewInstrument: APIInput {
        var tag: String
        var description: String
        var calibrationDue: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> NewInstrument? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["tag", "description", "calibrationDue"]) else { return nil }
            let tag = reader.requiredString(object, "tag")
            let description = reader.requiredString(object, "description")
            let due = reader.requiredString(object, "calibrationDue")
            guard let tag, let description, let due else { return nil }
            return NewInstrument(tag: tag, description: description, calibrationDue: due)
        }

        func check(_ reader: inout JSONFieldReader) -> Instrument? {
            let tag = tag.trimmingCharacters(in: .whitespaces)
            if !(2...40).contains(tag.count) || !tag.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
                reader.fail(.root.key("tag"), "2 to 40 letters, digits, '-', '_' or '.'")
            }
            let description = description.trimmingCharacters(in: .whitespaces)
            if !(2...200).contains(description.count) { reader.fail(.root.key("description"), "must have 2 to 200 characters") }
            if !isDate(calibrationDue) { reader.fail(.root.key("calibrationDue"), "must be a date, YYYY-MM-DD") }
            let instrument = Instrument()
            instrument.tag = tag
            instrument.description = description
            instrument.calibrationDue = calibrationDue
            return instrument
        }
    }

    static func create(_ request: Request) async throws -> Response {
        try await create(request, try request.input(NewInstrument.self))
    }

    static func create(_ request: Request, _ input: NewInstrument) async throws -> Response {
        let instrument = try input.checked()
        do {
            try await request.db.transaction { transaction in
                try await instrument.create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: "CREATE", resourceType: "instrument", resourceID: instrument.id?.uuidString.lowercased(),
                        newValue: recordView(instrument)),
                    actor: request.auditActor, on: transaction)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("An instrument tagged \(instrument.tag) is in the register already.")
        }
        let response = try await view(instrument).encodeResponse(for: request)
        response.status = .created
        return response
    }

    static func find(_ request: Request, on database: any Database) async throws -> Instrument {
        let id = try request.uuidParameter("instrumentID", "The instrument")
        guard let instrument = try await Instrument.find(id, on: database) else { throw APIError.notFound("The instrument") }
        return instrument
    }

    /// A new due date after a calibration, a corrected description, or retirement.
    /// `{description?, calibrationDue?, retired?}`: what changes; what is left out stays.
    struct InstrumentChange: APIInput {
        typealias Checked = InstrumentChange
        var description: String?
        var calibrationDue: String?
        var retired: Bool?

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> InstrumentChange? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["description", "calibrationDue", "retired"]) else { return nil }
            return InstrumentChange(
                description: reader.optionalString(object, "description"), calibrationDue: reader.optionalString(object, "calibrationDue"),
                retired: reader.member(object, "retired", required: false).flatMap { reader.bool($0, at: .root.key("retired")) })
        }

        func check(_ reader: inout JSONFieldReader) -> InstrumentChange? {
            var change = self
            change.description = description?.trimmingCharacters(in: .whitespaces)
            if let description = change.description, !(2...200).contains(description.count) {
                reader.fail(.root.key("description"), "must have 2 to 200 characters")
            }
            if let calibrationDue, !isDate(calibrationDue) { reader.fail(.root.key("calibrationDue"), "must be a date, YYYY-MM-DD") }
            return change
        }
    }

    static func update(_ request: Request) async throws -> InstrumentView {
        try await update(request, try request.input(InstrumentChange.self))
    }

    static func update(_ request: Request, _ input: InstrumentChange) async throws -> InstrumentView {
        let change = try input.checked()
        let instrument = try await find(request, on: request.db)
        let before = recordView(instrument)
        if let description = change.description { instrument.description = description }
        if let due = change.calibrationDue { instrument.calibrationDue = due }
        if let retired = change.retired { instrument.retiredAt = retired ? (instrument.retiredAt ?? Date()) : nil }
        try await request.db.transaction { transaction in
            try await instrument.save(on: transaction)
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "instrument", resourceID: instrument.id?.uuidString.lowercased(), oldValue: before,
                    newValue: .object(recordView(instrument).members + [JSONMember("retired", .bool(instrument.retiredAt != nil))])),
                actor: request.auditActor, on: transaction)
        }
        return view(instrument)
    }

    struct Upload: Content {
        var file: File?
    }

    /// The calibration certificate (PDF, PNG or JPEG), checked against its bytes.
    static func uploadCertificate(_ request: Request) async throws -> InstrumentView {
        let instrument = try await find(request, on: request.db)
        guard request.headers.contentType?.type == "multipart" else {
            throw APIError.validation([FieldError(field: "", message: "send multipart/form-data with the field file")])
        }
        guard let file = try request.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            throw APIError.validation([FieldError(field: "file", message: "is required and must not be empty")])
        }
        let limit = request.application.config.uploadLimitBytes
        guard file.data.readableBytes <= limit else {
            throw APIError(.payloadTooLarge, "PAYLOAD_TOO_LARGE", "Files may have at most \(limit / 1_048_576) MiB.")
        }
        let bytes = Data(buffer: file.data)
        guard let type = ContentSniffer.verifiedType(of: bytes) else {
            throw APIError.validation([FieldError(field: "file", message: "must be a PDF, PNG or JPEG file")])
        }
        let sha256 = SHA256.hash(data: bytes).hex
        try await request.application.documentStorage.store(bytes, sha256: sha256)
        let before = recordView(instrument)
        instrument.certificateSHA256 = sha256
        instrument.certificateFileName = String(String(file.filename.split(separator: "/").last ?? "certificate").prefix(255))
        instrument.certificateContentType = type
        try await request.db.transaction { transaction in
            try await instrument.save(on: transaction)
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "instrument", resourceID: instrument.id?.uuidString.lowercased(), oldValue: before,
                    newValue: recordView(instrument)),
                actor: request.auditActor, on: transaction)
        }
        return view(instrument)
    }

    static func certificate(_ request: Request) async throws -> Response {
        let instrument = try await find(request, on: request.db)
        guard let sha256 = instrument.certificateSHA256 else { throw APIError.notFound("The certificate of \(instrument.tag)") }
        let bytes = try await request.application.documentStorage.read(sha256: sha256)
        try await AuditLog.recordExport(
            request, resourceType: "instrument", resourceID: instrument.tag,
            details: [JSONMember("export", "calibration certificate"), JSONMember("sha256", .string(sha256))])
        return Response.download(
            bytes, type: instrument.certificateContentType ?? "application/octet-stream",
            filename: instrument.certificateFileName ?? "\(instrument.tag)-certificate")
    }
}
