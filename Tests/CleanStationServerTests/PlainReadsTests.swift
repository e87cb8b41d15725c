import CleanStationCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

/// Issue 20: the reads every page makes are plain SQL, not Fluent's reflection. They read what Fluent reads,
/// column for column, on both databases.
@Suite(.serialized) struct PlainReadsTests {
    /// A field added to a model and not to its plain read would be left unset, and Fluent stops the process
    /// where it is used.
    @Test func eachPlainReadNamesEveryFieldOfItsModel() {
        func fields(_ model: any Fields.Type) -> Set<String> { Set(model.keys.map(\.description)) }
        #expect(fields(OrderHistoryEntry.self) == Set(OrderHistoryEntry.columns))
        #expect(fields(ChecklistResult.self) == Set(ChecklistResult.columns))
        #expect(fields(Document.self) == Set(Document.columns))
        #expect(fields(NonconformanceReport.self) == Set(NonconformanceReport.columns))
        #expect(fields(NonconformanceStep.self) == Set(NonconformanceStep.columns))
        #expect(fields(OutsourcedLine.self) == Set(OutsourcedLine.columns))
        #expect(fields(Order.self) == Set(Order.columns))
        #expect(fields(Build.self) == Set(Order.buildColumns))
        #expect(fields(WorkInstruction.self) == Set(WorkInstruction.columns))
        #expect(fields(ChecklistTemplateRecord.self) == Set(ChecklistTemplateRecord.columns))
    }

    @Test(arguments: TestDatabase.all) func thePlainReadsReadWhatFluentReads(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let people = try await ChecklistFidelityTests.People(app)
            let builds = ["B6001", "B6002"]
            let client = try await NonconformanceTests.toFinalQC(app, people, po: "PO-PLAIN-1", builds: builds)
            let orderID = try #require(UUID(uuidString: client.orderID))

            func move(_ entry: OrderHistoryEntry) -> String {
                [
                    entry.id!.uuidString, entry.$order.id.uuidString, "\(entry.at.timeIntervalSince1970)", entry.$user.id.uuidString,
                    entry.fromStatus?.rawValue ?? "-", entry.toStatus.rawValue, entry.note, entry.buildNumber ?? "-", entry.restarts ?? "-",
                    "\(entry.override)", entry.staySeconds.map { "\($0)" } ?? "-",
                ].joined(separator: "|")
            }
            let entries = try await OrderHistoryEntry.query(on: app.db).filter(\.$order.$id == orderID).all()
            let moves = entries.map(move)
            #expect(moves.count >= 10)
            #expect(entries.contains { $0.fromStatus == nil } && entries.contains { $0.fromStatus != nil }, "a first move, and later ones")
            #expect(Set(try await OrderHistoryEntry.of(order: orderID, on: app.db).map(move)) == Set(moves))

            func result(_ row: ChecklistResult) -> String {
                [
                    row.id!.uuidString, row.$order.id.uuidString, row.buildNumber, row.$template.id.uuidString, row.kind.rawValue,
                    row.outcome.rawValue, row.record, row.sha256, row.$signer.id.uuidString, "\(row.signedAt.timeIntervalSince1970)",
                    row.supersedesID?.uuidString ?? "-", row.keyID ?? "-", row.mac ?? "-",
                ].joined(separator: "|")
            }
            let results = try await ChecklistResult.query(on: app.db).filter(\.$buildNumber ~~ builds).all().map(result)
            #expect(results.count == 8, "four checklists of two builds")
            #expect(Set(try await ChecklistResult.of(builds: builds, on: app.db).map(result)) == Set(results))
            #expect(try await ChecklistResult.of(builds: [], on: app.db).isEmpty)

            // A failure, its nonconformance and a disposition.
            #expect(try await client.sign(people.qc, "B6001", "final-qc", failing: "final-qc.pack.mat").status == .created)
            let ncr = try #require(
                try await app.testing().sendRequest(.GET, "api/v1/nonconformances?state=OPEN", headers: people.qc).json.array.first?["id"]?
                    .string)
            let decided = try await app.testing().sendRequest(
                .POST, "api/v1/nonconformances/\(ncr)/disposition", headers: people.qc,
                body: body([
                    "disposition": "USE_AS_IS", "justification": "The customer supplies the mats", "password": .string(testPassword),
                ]))
            #expect(decided.status == .ok, "\(decided.body.string)")
            let finalQC = try await ChecklistResult.query(on: app.db).filter(\.$buildNumber == "B6001").filter(\.$kind == .finalQC)
                .sort(\.$signedAt).sort(\.$id).all().map(result)
            #expect(finalQC.count == 1)
            #expect(try await ChecklistResult.of(build: "B6001", kind: .finalQC, on: app.db).map(result) == finalQC)
            func report(_ row: NonconformanceReport) -> String {
                [
                    row.id!.uuidString, row.number, row.$order.id.uuidString, row.buildNumber, row.kind.rawValue, row.resultID.uuidString,
                    row.failedItems, row.description, row.$openedBy.id.uuidString, "\(row.openedAt.timeIntervalSince1970)",
                ].joined(separator: "|")
            }
            let reports = try await NonconformanceReport.query(on: app.db).filter(\.$buildNumber ~~ builds).sort(\.$openedAt).all()
            #expect(reports.count == 1)
            #expect(try await NonconformanceReport.of(builds: builds, on: app.db).map(report) == reports.map(report))
            func step(_ row: NonconformanceStep) -> String {
                [
                    row.id!.uuidString, row.$nonconformance.id.uuidString, row.step.rawValue, row.disposition ?? "-", row.scope ?? "-",
                    row.justification, row.resultID?.uuidString ?? "-", row.$user.id.uuidString, "\(row.at.timeIntervalSince1970)",
                ].joined(separator: "|")
            }
            let steps = try await NonconformanceStep.query(on: app.db).all()
            #expect(steps.count == 1)
            #expect(try await NonconformanceStep.of(reports: reports.map { $0.id! }, on: app.db).map(step) == steps.map(step))
            #expect(try await NonconformanceReport.of(order: orderID, on: app.db).map(report) == reports.map(report))

            // An outsourced line (of a new order: lines are sent out before Pre-QC), and a work instruction.
            let fresh = try #require(
                UUID(uuidString: try await app.createOrder(headers: people.coordinator, po: "PO-PLAIN-2", builds: ["B6101"])))
            let bom = try await app.testing().sendRequest(.GET, "api/v1/orders/\(fresh)/builds/B6101/bom", headers: people.procurement).json
            let lineID = try #require(bom["lines"]?.array.first?["id"]?.string)
            let outsourced = try await app.testing().sendRequest(
                .POST, "api/v1/orders/\(fresh)/builds/B6101/outsourcing", headers: people.procurement,
                body: body(["lineId": .string(lineID), "supplier": "Acme Welding", "expectedDate": "2027-01-15"]))
            #expect(outsourced.status == .created, "\(outsourced.body.string)")
            func line(_ row: OutsourcedLine) -> String {
                [
                    row.id!.uuidString, row.$order.id.uuidString, row.buildNumber, row.lineID, row.supplier, row.expectedDate ?? "-",
                    row.note,
                    row.status.rawValue, row.updatedAt.map { "\($0.timeIntervalSince1970)" } ?? "-",
                ].joined(separator: "|")
            }
            let lines = try await OutsourcedLine.query(on: app.db).filter(\.$order.$id == fresh).all().map(line)
            #expect(lines.count == 1 && lines.first?.contains("2027-01-15") == true)
            #expect(try await OutsourcedLine.of(order: fresh, on: app.db).map(line) == lines)
            let instruction = try await app.testing().sendRequest(
                .PUT, "api/v1/work-instructions/production.control-boxes", headers: people.admin,
                body: body(["title": "Mount the control boxes", "steps": ["Fit the bracket", "Fix the box"], "safetyNotes": "Power off"]))
            #expect(instruction.status == .ok, "\(instruction.body.string)")
            func instructionFields(_ row: WorkInstruction) -> String {
                [row.id!.uuidString, row.taskItemID, row.title, row.steps, row.safetyNotes, row.toolIDs, row.$image.id?.uuidString ?? "-"]
                    .joined(separator: "|")
            }
            let instructions = try await WorkInstruction.query(on: app.db).all().map(instructionFields)
            #expect(!instructions.isEmpty)
            #expect(Set(try await WorkInstruction.all(on: app.db).map(instructionFields)) == Set(instructions))

            // A result signed before the SIGN entries named its build (version 019): found through its own entry.
            let first = try #require(try await ChecklistResult.query(on: app.db).filter(\.$buildNumber == "B6002").first())
            let older = ChecklistResult()
            older.id = UUID()
            older.$order.id = first.$order.id
            older.buildNumber = first.buildNumber
            older.$template.id = first.$template.id
            older.kind = first.kind
            older.outcome = first.outcome
            older.record = first.record
            older.sha256 = first.sha256
            older.$signer.id = first.$signer.id
            older.signedAt = first.signedAt
            older.supersedesID = first.id
            let olderID = older.id!.uuidString.lowercased()
            let mark = app.recordSeal.seal(RecordSeal.checklistResult(id: olderID, sha256: first.sha256))
            older.keyID = mark.keyID
            older.mac = mark.mac
            try await older.create(on: app.db)
            try await app.db.transaction { transaction in
                try await AuditLog.append(
                    AuditEvent(
                        action: "SIGN", resourceType: "checklist_result", resourceID: olderID,
                        newValue: .object([
                            JSONMember("buildNumber", "B6002"), JSONMember("kind", .string(first.kind.rawValue)),
                            JSONMember("sha256", .string(first.sha256)),
                        ])),
                    actor: .system, on: transaction)
            }
            let signings = try await SignedResults.of(builds: ["B6002"], on: app.db).signings
            let found = try #require(signings.first { $0.resultID == olderID }, "the older entry is read")
            #expect(found.kind == first.kind && found.outcome == nil, "its record is the first's, whose id it is not: not believed")

            func document(_ row: Document) -> String {
                [
                    row.id!.uuidString, row.$order.id.uuidString, row.kind.rawValue, row.fileName, row.contentType, "\(row.size)",
                    row.sha256,
                    row.$uploadedBy.id.uuidString, "\(row.createdAt!.timeIntervalSince1970)",
                ].joined(separator: "|")
            }
            let documents = try await Document.query(on: app.db).filter(\.$order.$id == orderID).sort(\.$createdAt).sort(\.$id).all()
            #expect(documents.count >= 1, "the approved drawing Pre-QC asked for")
            #expect(try await Document.of(order: orderID, on: app.db).map(document) == documents.map(document))

            func order(_ row: Order) -> String {
                [
                    row.id!.uuidString, row.poNumber, row.customerName, row.projectName ?? "-", row.salesPerson, row.customerContact ?? "-",
                    row.wantDate, row.language.rawValue, row.notes, row.sinkFamily.rawValue, row.status.rawValue,
                    row.statusBreakdown ?? "-",
                    row.searchText, row.buildNumbers, row.$createdBy.id.uuidString, "\(row.createdAt!.timeIntervalSince1970)",
                    "\(row.updatedAt!.timeIntervalSince1970)",
                ].joined(separator: "|")
            }
            func build(_ row: Build, bom: Bool) -> String {
                [
                    row.id!.uuidString, row.$order.id.uuidString, "\(row.position)", row.buildNumber, row.configuration,
                    bom ? row.bom : "-",
                    row.$bomApprovedBy.id?.uuidString ?? "-", row.bomApprovedAt.map { "\($0.timeIntervalSince1970)" } ?? "-",
                    row.$claimedBy.id?.uuidString ?? "-", row.claimedAt.map { "\($0.timeIntervalSince1970)" } ?? "-", row.status.rawValue,
                    row.bomRejection ?? "-",
                ].joined(separator: "|")
            }
            let fluent = try #require(try await Order.query(on: app.db).filter(\.$id == orderID).with(\.$builds).first())
            for bom in [true, false] {
                let plain = try #require(try await Order.read(orderID, bom: bom, on: app.db))
                #expect(order(plain) == order(fluent))
                #expect(Set(plain.builds.map { build($0, bom: bom) }) == Set(fluent.builds.map { build($0, bom: bom) }))
            }
            #expect(fluent.builds.allSatisfy { $0.bomApprovedAt != nil }, "an optional column filled")
            #expect(try await Order.read(UUID(), bom: true, on: app.db) == nil)
            #expect(try await Order.read(orderID, on: app.db).map(order) == order(fluent), "the order alone")
            #expect(try await Order.read(UUID(), on: app.db) == nil)
            for expected in fluent.builds {
                let plain = try #require(try await Build.read(order: orderID, number: expected.buildNumber, on: app.db))
                #expect(build(plain, bom: true) == build(expected, bom: true))
            }
            #expect(try await Build.read(order: UUID(), number: "B6001", on: app.db) == nil, "an order that does not exist")
            #expect(try await Build.read(order: orderID, number: "B6999", on: app.db) == nil)

            func template(_ row: ChecklistTemplateRecord) -> String {
                [
                    row.id!.uuidString, row.kind.rawValue, "\(row.version)", row.definition,
                    row.retiredAt.map { "\($0.timeIntervalSince1970)" } ?? "-",
                    "\(row.createdAt!.timeIntervalSince1970)",
                ].joined(separator: "|")
            }
            let buildID = try #require(fluent.builds.first?.id)
            var pinnedKinds: [ChecklistKind] = []
            for kind in ChecklistKind.allCases {
                let pin = try await ChecklistPin.query(on: app.db).filter(\.$build.$id == buildID).filter(\.$kind == kind).first()
                let expected =
                    if let pin { try await ChecklistTemplateRecord.find(pin.$template.id, on: app.db) } else {
                        try await ChecklistTemplateRecord.query(on: app.db).filter(\.$kind == kind).filter(\.$retiredAt == nil)
                            .sort(\.$version, .descending).first()
                    }
                let plain = try await ChecklistTemplateRecord.read(for: buildID, kind, on: app.db)
                #expect(plain.map { template($0.0) } == expected.map(template), "\(kind)")
                #expect(plain?.pinned == (pin != nil), "\(kind)")
                if pin != nil { pinnedKinds.append(kind) }
            }
            // A newer version in use: the pinned build keeps its own, a build without a pin gets the newer, and none
            // gets a retired one.
            let kind = try #require(pinnedKinds.first, "a checklist signed, so pinned")
            let pinned = try #require(try await ChecklistTemplateRecord.read(for: buildID, kind, on: app.db)?.0)
            let newest = try #require(
                try await ChecklistTemplateRecord.query(on: app.db).filter(\.$kind == kind).sort(\.$version, .descending).first())
            let newer = ChecklistTemplateRecord()
            newer.kind = kind
            newer.version = newest.version + 1
            newer.definition = pinned.definition
            try await newer.create(on: app.db)
            #expect(try await ChecklistTemplateRecord.read(for: buildID, kind, on: app.db)?.0.id == pinned.id)
            let unpinned = try await ChecklistTemplateRecord.read(for: UUID(), kind, on: app.db)
            #expect(unpinned?.0.id == newer.id && unpinned?.pinned == false)
            newer.retiredAt = Date()
            try await newer.update(on: app.db)
            let inUse = try #require(
                try await ChecklistTemplateRecord.query(on: app.db).filter(\.$kind == kind).filter(\.$retiredAt == nil)
                    .sort(\.$version, .descending).first())
            #expect(try await ChecklistTemplateRecord.read(for: UUID(), kind, on: app.db)?.0.id == inUse.id)

            let users = try await User.query(on: app.db).all()
            let names = try await User.names(of: users.map { $0.id! } + [UUID()], on: app.db)
            #expect(names == Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0.fullName) }), "an unknown id has no name")
            #expect(try await User.names(of: [UUID](), on: app.db).isEmpty)
        }
    }
}
