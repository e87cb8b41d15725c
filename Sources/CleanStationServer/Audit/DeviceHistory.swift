import CleanStationCore
import CleanStationExports
import Fluent
import Foundation
import SQLKit
import Vapor

/// The device history record of one build (ADR 015; ISO 13485 §4.2.5 and
/// §7.5.9): everything the plant recorded about it, in one JSON manifest for
/// machines and one PDF for people. The manifest names the PDF's SHA-256,
/// carries each signed record verbatim and each audit entry with its hash,
/// and is signed (PS256) with the plant's RSA key, which the database does not
/// hold: `cleanstation dhr verify` checks it offline with the public half.
/// It is made only from records that can be believed: a signed result or an
/// audit entry that does not match its hash or seal stops it, and so does a
/// result the sealed SIGN entries do not name, or one they name that is gone.
enum DeviceHistory {
    static let format = "cleanstation-dhr/1"

    /// Why a record cannot be made: the build is unknown, or one of its records does not hold.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    struct Files: Sendable {
        /// `{manifest, signature}`, pretty-printed.
        var manifest: Data
        var pdf: Data
        var manifestSHA256: String
        var pdfSHA256: String
        var keyID: String
    }

    /// Reads the build's records in one snapshot, checks each, and makes both files.
    static func make(_ buildNumber: String, app: Application, on database: any Database, now: Date = Date()) async throws -> Files {
        let (manifest, record) = try await database.transaction { transaction in
            let sql = transaction as! any SQLDatabase
            if sql.dialect.name == "postgresql" { try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run() }
            return try await gather(buildNumber, app: app, on: transaction, now: now)
        }
        return try files(manifest, record, signer: app.recordSigner)
    }

    /// The PDF, and the manifest naming its SHA-256, signed.
    static func files(_ manifest: JSONValue, _ record: DeviceHistoryPDF.Record, signer: RecordSigner) throws -> Files {
        let pdf = try DeviceHistoryPDF.render(record)
        let pdfSHA256 = SHA256.hash(data: pdf).hex
        let full = JSONValue.object(
            manifest.members + [
                JSONMember("pdf", .object([JSONMember("sha256", .string(pdfSHA256)), JSONMember("bytes", .number(Double(pdf.count)))]))
            ])
        let signature = try signer.sign(JSONSerializer.data(full, style: .canonical))
        let file = JSONValue.object([
            JSONMember("manifest", full),
            JSONMember(
                "signature",
                .object([
                    JSONMember("algorithm", .string(RecordSigner.algorithm)), JSONMember("keyId", .string(signer.keyID)),
                    JSONMember("value", .string(signature.base64EncodedString())),
                ])),
        ])
        let bytes = JSONSerializer.data(file, style: .pretty)
        return Files(
            manifest: bytes, pdf: pdf, manifestSHA256: SHA256.hash(data: bytes).hex, pdfSHA256: pdfSHA256, keyID: signer.keyID)
    }

    static func gather(
        _ buildNumber: String, app: Application, on database: any Database, now: Date
    ) async throws -> (JSONValue, DeviceHistoryPDF.Record) {
        guard let build = try await Build.query(on: database).filter(\.$buildNumber == buildNumber).first() else {
            throw Refused(description: "no build is numbered \(buildNumber)")
        }
        guard let order = try await Order.find(build.$order.id, on: database) else {
            throw Refused(description: "the order of \(buildNumber) is missing")
        }
        let orderID = try order.requireID()
        let seal = try database.recordSeal

        // The signed results, each believed only when its record, hash, seal and columns agree.
        let results = try await ChecklistResult.query(on: database).filter(\.$buildNumber == buildNumber).sort(\.$signedAt).sort(\.$id)
            .all()
        var signed: [(result: ChecklistResult, record: JSONValue)] = []
        for result in results {
            switch result.signedRecord(checkedWith: seal) {
            case .failure(let problem):
                throw Refused(
                    description: "result \(result.id!.uuidString.lowercased()) (\(result.kind.rawValue)) of \(buildNumber): \(problem)")
            case .success(let record): signed.append((result, record))
            }
        }
        let templates = Dictionary(
            try await ChecklistTemplateRecord.query(on: database).filter(\.$id ~~ Set(results.map { $0.$template.id })).all().map {
                ($0.id!, $0)
            },
            uniquingKeysWith: { first, _ in first })
        let reports = try await NonconformanceReport.query(on: database).filter(\.$buildNumber == buildNumber).sort(\.$openedAt).all()
        let steps = try await NonconformanceStep.query(on: database).filter(\.$nonconformance.$id ~~ reports.map { $0.id! }).sort(\.$at)
            .all()
        let history = try await OrderHistoryEntry.query(on: database).filter(\.$order.$id == orderID).sort(\.$at).all()
            .filter { $0.buildNumber == nil || $0.buildNumber == buildNumber }
        let documents = try await Document.query(on: database).filter(\.$order.$id == orderID).all().sorted { $0.fileName < $1.fileName }
        let shipment = try await ShipmentBuild.query(on: database).filter(\.$buildNumber == buildNumber).with(\.$shipment).first()?.shipment
        var userIDs = Set(
            results.map { $0.$signer.id } + history.map { $0.$user.id } + reports.map { $0.$openedBy.id } + steps.map { $0.$user.id })
        if let approver = build.$bomApprovedBy.id { userIDs.insert(approver) }
        let users = Dictionary(
            try await User.query(on: database).filter(\.$id ~~ userIDs).all().map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first })
        func person(_ id: UUID?) -> String { id.flatMap { users[$0] }.map { "\($0.fullName) (\($0.initials))" } ?? "—" }

        // The audit entries of the build, its order, its results and its nonconformances, each holding its hash and seal.
        let sql = database as! any SQLDatabase
        let resultIDs = results.map { $0.id!.uuidString.lowercased() }
        let reportIDs = reports.map { $0.id!.uuidString.lowercased() }
        let lots = try await LotsController.lines(of: build, on: database, catalog: app.catalogStore.snapshot.catalog)
        let lotIDs = lots.map { "\(buildNumber)/\($0.itemId)" }
        let entries = try await sql.select().columns(AuditRecord.columns.map { SQLColumn($0) }).from("audit_log")
            .where {
                $0.where { $0.where("resource_type", .equal, "build").where("resource_id", .equal, buildNumber) }
                    .orWhere { $0.where("resource_type", .equal, "order").where("resource_id", .equal, orderID.uuidString.lowercased()) }
                    .orWhere {
                        $0.where("resource_type", .equal, "checklist_result").where(
                            "resource_id", .in, resultIDs.isEmpty ? [""] : resultIDs)
                    }
                    .orWhere {
                        $0.where("resource_type", .equal, "nonconformance").where("resource_id", .in, reportIDs.isEmpty ? [""] : reportIDs)
                    }
                    .orWhere { $0.where("resource_type", .equal, "build_lot").where("resource_id", .in, lotIDs.isEmpty ? [""] : lotIDs) }
            }
            .orderBy("seq").all().map(AuditRecord.init(row:))
        for entry in entries where entry.computedHash() != entry.hash || !entry.sealHolds(seal) {
            throw Refused(
                description:
                    "audit entry \(entry.seq) of \(buildNumber) does not match its hash or seal: `cleanstation audit verify` says more")
        }
        // Each lot as its last sealed entry recorded it: a lot rewritten in the database is not filed.
        for line in lots {
            guard let lot = line.lot else { continue }
            let recorded = entries.last { $0.resourceType == "build_lot" && $0.resourceID == "\(buildNumber)/\(line.itemId)" }
            guard
                let recorded, recorded.outcome == "SUCCESS",
                (try? JSONParser.parse(Data((recorded.newValue ?? "").utf8)))?["lot"]?.string == lot
            else {
                throw Refused(description: "the lot of \(line.itemId) on \(buildNumber) is not the one its audit entry recorded")
            }
        }
        try complete(signed.map(\.result), against: entries, build: buildNumber)
        guard let headRow = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first() else {
            throw Refused(description: "audit_head is missing")
        }
        let head = (seq: try headRow.decode(column: "seq", as: Int64.self), hash: try headRow.decode(column: "hash", as: String.self))

        // The manifest, member by member, and the PDF's sections from the same values.
        let configuration = try JSONParser.parse(Data(build.configuration.utf8))
        let bom = try JSONParser.parse(Data(build.bom.utf8))
        let orderJSON = JSONValue.object([
            JSONMember("id", .string(orderID.uuidString.lowercased())), JSONMember("poNumber", .string(order.poNumber)),
            JSONMember("customer", .string(order.customerName)), JSONMember("project", order.projectName.map { .string($0) } ?? .null),
            JSONMember("salesPerson", .string(order.salesPerson)), JSONMember("wantDate", .string(order.wantDate)),
            JSONMember("language", .string(order.language.rawValue)),
        ])
        let shipmentJSON: JSONValue =
            shipment.map {
                .object([
                    JSONMember("shippedOn", .string($0.shippedOn)), JSONMember("carrier", .string($0.carrier)),
                    JSONMember("trackingNumber", .string($0.trackingNumber)),
                ])
            } ?? .null
        let buildJSON = JSONValue.object([
            JSONMember("buildNumber", .string(buildNumber)), JSONMember("position", .number(Double(build.position))),
            JSONMember("status", .string(build.status.rawValue)), JSONMember("configuration", configuration),
            JSONMember("shipment", shipmentJSON),
        ])
        let bomJSON = JSONValue.object([
            JSONMember("approvedAt", build.bomApprovedAt.map { .string(AuditLog.timestamp($0)) } ?? .null),
            JSONMember("approvedBy", build.$bomApprovedBy.id.map { .string(person($0)) } ?? .null), JSONMember("document", bom),
        ])

        let context = try ChecklistsController.context(of: build, language: order.language)
        var checklists: [JSONValue] = []
        var serials: [JSONValue] = []
        var instruments: [JSONValue] = []
        var photos: [JSONValue] = []
        var sections: [DeviceHistoryPDF.Section] = []
        for (result, record) in signed {
            let id = result.id!.uuidString.lowercased()
            guard let template = templates[result.$template.id] else {
                throw Refused(description: "the template of result \(id) is missing")
            }
            let definition = try template.template()
            let instance = definition.instantiate(in: context)
            let lines = RecordLines(record: record, instance: instance)
            checklists.append(
                .object([
                    JSONMember("id", .string(id)), JSONMember("kind", .string(result.kind.rawValue)),
                    JSONMember("form", .string(definition.form)),
                    JSONMember("templateId", .string(result.$template.id.uuidString.lowercased())),
                    JSONMember("templateVersion", .number(Double(template.version))),
                    JSONMember("outcome", .string(result.outcome.rawValue)),
                    JSONMember("signer", .string(lines.signer)),
                    JSONMember("signedAt", .string(lines.signedAt ?? AuditLog.timestamp(result.signedAt))),
                    JSONMember("sha256", .string(result.sha256)), JSONMember("record", .string(result.record)),
                ]))
            serials += definition.serials(in: record).map { serial in
                .object([
                    JSONMember("resultId", .string(id)), JSONMember("itemId", .string(serial.itemID)),
                    JSONMember("label", .string(serial.label)),
                    JSONMember("value", .string(serial.value)),
                ])
            }
            for answer in (record["answers"]?.array ?? []).map(RecordAnswer.init) {
                for photo in answer.photos {
                    photos.append(
                        .object([
                            JSONMember("resultId", .string(id)), JSONMember("itemId", .string(answer.itemID)),
                            JSONMember("documentId", .string(photo.id)),
                            JSONMember("sha256", .string(photo.sha256)),
                        ]))
                }
            }
            if let instrument = record["instrument"], instrument != .null {
                instruments.append(.object([JSONMember("resultId", .string(id)), JSONMember("instrument", instrument)]))
            }
            sections.append(
                DeviceHistoryPDF.Section(
                    title: "\(definition.form) \(definition.name), template version \(template.version): \(result.outcome.rawValue)",
                    notes: [
                        "Signed by \(lines.signer) at \(lines.signedAt ?? AuditLog.timestamp(result.signedAt)). Meaning: \(lines.meaning)",
                        "Record \(id), SHA-256 \(result.sha256)",
                    ] + (lines.instrument.map { ["Instrument: \($0)"] } ?? []),
                    header: ["Item", "Value", "Note, photos, why N/A"],
                    rows: lines.lines.map {
                        .init(
                            [$0.label, $0.failed ? "\($0.value) (FAIL)" : $0.value, $0.detail], flagged: $0.failed, grey: $0.notApplicable)
                    },
                    columns: [0, 250, 360]))
        }

        let stepsByReport = Dictionary(grouping: steps, by: { $0.$nonconformance.id })
        let nonconformances: [JSONValue] = reports.map { report in
            .object([
                JSONMember("number", .string(report.number)), JSONMember("kind", .string(report.kind.rawValue)),
                JSONMember("resultId", .string(report.resultID.uuidString.lowercased())),
                JSONMember("failedItems", (try? JSONParser.parse(Data(report.failedItems.utf8))) ?? .string(report.failedItems)),
                JSONMember("description", .string(report.description)),
                JSONMember("openedAt", .string(AuditLog.timestamp(report.openedAt))),
                JSONMember("openedBy", .string(person(report.$openedBy.id))),
                JSONMember(
                    "steps",
                    .array(
                        (stepsByReport[report.id!] ?? []).map { step in
                            .object([
                                JSONMember("step", .string(step.step.rawValue)),
                                JSONMember("disposition", step.disposition.map { .string($0) } ?? .null),
                                JSONMember("scope", step.scope.map { .string($0) } ?? .null),
                                JSONMember("justification", .string(step.justification)),
                                JSONMember("resultId", step.resultID.map { .string($0.uuidString.lowercased()) } ?? .null),
                                JSONMember("by", .string(person(step.$user.id))), JSONMember("at", .string(AuditLog.timestamp(step.at))),
                            ])
                        })),
            ])
        }
        let documentsJSON: [JSONValue] = documents.map {
            .object([
                JSONMember("id", .string($0.id!.uuidString.lowercased())), JSONMember("kind", .string($0.kind.rawValue)),
                JSONMember("fileName", .string($0.fileName)), JSONMember("contentType", .string($0.contentType)),
                JSONMember("bytes", .number(Double($0.size))), JSONMember("sha256", .string($0.sha256)),
            ])
        }
        let historyJSON: [JSONValue] = history.map {
            .object([
                JSONMember("at", .string(AuditLog.timestamp($0.at))),
                JSONMember("from", $0.fromStatus.map { .string($0.rawValue) } ?? .null),
                JSONMember("to", .string($0.toStatus.rawValue)), JSONMember("by", .string(person($0.$user.id))),
                JSONMember("note", .string($0.note)),
                JSONMember("override", .bool($0.override)), JSONMember("scope", .string($0.buildNumber == nil ? "order" : "build")),
            ])
        }
        let lotsJSON: [JSONValue] = lots.map { line in
            .object([
                JSONMember("itemId", .string(line.itemId)), JSONMember("name", line.name.map(JSONValue.string) ?? .null),
                JSONMember("quantity", .number(Double(line.quantity))), JSONMember("lot", line.lot.map(JSONValue.string) ?? .null),
                JSONMember("recordedBy", line.recordedBy.map(JSONValue.string) ?? .null),
                JSONMember("recordedAt", line.recordedAt.map(JSONValue.string) ?? .null),
            ])
        }
        let manifest = JSONValue.object([
            JSONMember("format", .string(format)), JSONMember("generatedAt", .string(AuditLog.timestamp(now))),
            JSONMember("order", orderJSON),
            JSONMember("build", buildJSON), JSONMember("bom", bomJSON), JSONMember("checklists", .array(checklists)),
            JSONMember("serialNumbers", .array(serials)), JSONMember("instruments", .array(instruments)),
            JSONMember("photos", .array(photos)), JSONMember("lots", .array(lotsJSON)),
            JSONMember("nonconformances", .array(nonconformances)), JSONMember("documents", .array(documentsJSON)),
            JSONMember("statusHistory", .array(historyJSON)), JSONMember("auditEntries", .array(entries.map(\.jsonValue))),
            JSONMember("chainHead", .object([JSONMember("seq", .number(Double(head.seq))), JSONMember("hash", .string(head.hash))])),
        ])

        func flattened(_ items: [JSONValue], depth: Int) -> [DeviceHistoryPDF.Section.Row] {
            items.flatMap { item in
                [
                    DeviceHistoryPDF.Section.Row([
                        item["itemNumber"]?.string ?? "", String(repeating: "  ", count: depth) + (item["id"]?.string ?? ""),
                        item["name"]?.string ?? "", item["quantity"]?.number.map(JSONSerializer.format) ?? "",
                    ])
                ] + flattened(item["children"]?.array ?? [], depth: depth + 1)
            }
        }
        let bomLines = flattened(bom["items"]?.array ?? [], depth: 0)
        sections.insert(
            DeviceHistoryPDF.Section(
                title: "Approved bill of materials",
                notes: [
                    "Approved by \(build.$bomApprovedBy.id.map(person) ?? "nobody yet") at \(build.bomApprovedAt.map(AuditLog.timestamp) ?? "—")"
                ],
                header: ["Item no.", "Part", "Description", "Qty"], rows: bomLines, columns: [0, 55, 190, 450]), at: 0)
        sections += [
            DeviceHistoryPDF.Section(
                title: "Serial numbers", header: ["Item", "Serial number"],
                rows: serials.map { .init([$0["label"]?.string ?? "", $0["value"]?.string ?? ""]) }, columns: [0, 300]),
            DeviceHistoryPDF.Section(
                title: "Lots", header: ["Part", "Lot", "Recorded"],
                rows: lots.map {
                    .init([$0.itemId, $0.lot ?? "not recorded", [$0.recordedBy, $0.recordedAt].compactMap { $0 }.joined(separator: ", ")])
                },
                columns: [0, 170, 300]),
            DeviceHistoryPDF.Section(
                title: "Photos (by SHA-256)", header: ["Item", "SHA-256"],
                rows: photos.map { .init([$0["itemId"]?.string ?? "", $0["sha256"]?.string ?? ""]) }, columns: [0, 170]),
            DeviceHistoryPDF.Section(
                title: "Nonconformances", header: ["Number", "Checklist", "Disposition and verification"],
                rows: reports.map { report in
                    .init([
                        report.number, report.kind.rawValue,
                        ([report.description]
                            + (stepsByReport[report.id!] ?? []).map {
                                "\($0.step.rawValue) \($0.disposition ?? "") by \(person($0.$user.id)): \($0.justification)"
                            })
                            .joined(separator: " · "),
                    ])
                }, columns: [0, 80, 170]),
            DeviceHistoryPDF.Section(
                title: "Documents (by SHA-256)", header: ["File", "Kind", "SHA-256"],
                rows: documents.map { .init([$0.fileName, $0.kind.rawValue, $0.sha256]) }, columns: [0, 160, 230]),
            DeviceHistoryPDF.Section(
                title: "Status history (overrides in bold)", header: ["When", "From → to", "By, note"],
                rows: history.map {
                    .init(
                        [
                            AuditLog.timestamp($0.at),
                            "\($0.fromStatus?.rawValue ?? "—") → \($0.toStatus.rawValue)\($0.override ? " OVERRIDE" : "")",
                            "\(person($0.$user.id)): \($0.note)",
                        ],
                        flagged: $0.override)
                }, columns: [0, 120, 300]),
            DeviceHistoryPDF.Section(
                title: "Audit entries", header: ["Seq", "When, action", "Hash"],
                rows: entries.map { .init([String($0.seq), "\($0.at) \($0.action) \($0.resourceType)", $0.hash]) }, columns: [0, 45, 230]),
        ]
        var summary: [(String, String)] = [
            ("Order", "\(order.poNumber) for \(order.customerName)\(order.projectName.map { ", \($0)" } ?? "")"),
            ("Want date", order.wantDate), ("Build", "\(buildNumber), \(build.status.rawValue)"),
            ("Configuration", try SinkConfiguration.read(Data(build.configuration.utf8)).map { "\($0.model.rawValue)" }.get()),
        ]
        if let shipment { summary.append(("Shipped", "\(shipment.shippedOn) by \(shipment.carrier), tracking \(shipment.trackingNumber)")) }
        summary.append(("Generated", AuditLog.timestamp(now)))
        let record = DeviceHistoryPDF.Record(
            buildNumber: buildNumber, poNumber: order.poNumber, customer: order.customerName, generatedAt: AuditLog.timestamp(now),
            summary: summary,
            sections: sections, chainHead: "entry \(head.seq), \(head.hash)", link: app.publicLink(toBuild: buildNumber, of: orderID))
        return (manifest, record)
    }
}

extension DeviceHistory {
    /// The results are the ones the build's sealed SIGN entries name, with the SHA-256 each names: a result deleted
    /// or moved to another build, or one added behind the application, stops the record (as `SignedResults` counts).
    static func complete(_ results: [ChecklistResult], against entries: [AuditRecord], build: String) throws {
        var named: [String: (seq: Int64, sha256: String)] = [:]
        for entry in entries where entry.action == "SIGN" {
            let value = entry.newValue.flatMap { try? JSONParser.parse(Data($0.utf8)) }
            // Filed under the build (the result's id in the entry), or, before version 020, under the result.
            let id =
                entry.resourceType == "build"
                ? value?["resultId"]?.string : entry.resourceType == "checklist_result" ? entry.resourceID : nil
            if let id { named[id] = (entry.seq, value?["sha256"]?.string ?? "") }
        }
        let rows = Dictionary(results.map { ($0.id!.uuidString.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        for (id, entry) in named.sorted(by: { $0.value.seq < $1.value.seq }) {
            guard let row = rows[id] else {
                throw Refused(description: "audit entry \(entry.seq) records the signing of result \(id) for \(build), which is missing")
            }
            guard row.sha256 == entry.sha256 else {
                throw Refused(description: "result \(id) of \(build) differs from its SIGN entry \(entry.seq) in the audit trail")
            }
        }
        for id in rows.keys.sorted() where named[id] == nil {
            throw Refused(description: "result \(id) of \(build) has no SIGN entry in the audit trail: it was added behind the application")
        }
    }
}
