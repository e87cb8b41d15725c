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
            let moves = try await OrderHistoryEntry.query(on: app.db).filter(\.$order.$id == orderID).all().map(move)
            #expect(moves.count >= 10)
            #expect(moves.contains { $0.contains("|-|") }, "a first move, from no status")
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
            #expect(try await OutsourcedLine.of(order: orderID, on: app.db).isEmpty)

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

            let users = try await User.query(on: app.db).all()
            let names = try await User.names(of: users.map { $0.id! } + [UUID()], on: app.db)
            #expect(names == Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0.fullName) }), "an unknown id has no name")
            #expect(try await User.names(of: [UUID](), on: app.db).isEmpty)
        }
    }
}
