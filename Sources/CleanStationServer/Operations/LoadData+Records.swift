import CleanStationCore
import Crypto
import Foundation
import Vapor

/// What a build at scale has behind it (issue 18's reports measure these):
/// its moves with hours between them, the checklists signed on the way,
/// each sealed with its SIGN entry as the application signs one, a Final QC
/// failed once in seven with its nonconformance, and a shipment when it
/// has shipped.
extension LoadData {
    struct Trail {
        var history: [OrderHistoryEntry] = []
        var results: [ChecklistResult] = []
        var reports: [NonconformanceReport] = []
        var shipments: [Shipment] = []
        var shipped: [ShipmentBuild] = []
        var events: [(AuditEvent, UUID)] = []
    }

    struct People {
        var coordinator: UUID
        var procurement: UUID
        var assembler: UUID
        var qc: UUID
    }

    /// The checklist signed to leave a status.
    static func signedToLeave(_ status: OrderStatus) -> [ChecklistKind] {
        switch status {
        case .readyForPreQC: [.preQC]
        case .readyForProduction: [.production, .eolTest]
        case .testingComplete: [.packaging]
        case .readyForFinalQC: [.finalQC]
        default: []
        }
    }

    /// When order `number` entered each step of its path: from up to 540 days ago, 8 to 47 hours a step.
    static func times(of number: Int, path: [OrderStatus], now: Date) -> [Date] {
        var at = now.addingTimeInterval(-Double(number % 540 + 2) * 86_400)
        return path.indices.map { index in
            at = at.addingTimeInterval(Double(8 + (number * 7 + index * 13) % 40) * 3_600)
            return AuditLog.toTheMillisecond(at)
        }
    }

    static func trail(
        of builds: [Build], order: Order, number: Int, now: Date, people: People, templates: [ChecklistKind: UUID], seal: RecordSeal,
        into trail: inout Trail
    ) {
        let orderID = order.id!
        let path = path(to: order.status)
        let times = times(of: number, path: path, now: now)
        for build in builds {
            var from = OrderStatus.orderCreated
            var movedAt: Date?
            for (step, at) in zip(path, times) {
                for kind in signedToLeave(from) {
                    let signedAt = at.addingTimeInterval(-3_600)
                    var supersedes: UUID?
                    if kind == .finalQC, number % 7 == 0 {
                        let failed = result(
                            build, kind: kind, outcome: .fail, at: signedAt.addingTimeInterval(-7_200), supersedes: nil, people: people,
                            templates: templates, seal: seal, into: &trail)
                        let report = NonconformanceReport()
                        report.id = UUID()
                        report.number = "NCR-\(build.buildNumber)-1"
                        report.$order.id = orderID
                        report.buildNumber = build.buildNumber
                        report.kind = kind
                        report.resultID = failed
                        let item = ["final-qc.hi-pot", "final-qc.leak", "final-qc.labels"][number % 3]
                        report.failedItems = JSONSerializer.string(
                            .array([.object([JSONMember("itemId", .string(item)), JSONMember("passed", .bool(false))])]), style: .canonical)
                        report.description = "Load data"
                        report.$openedBy.id = people.qc
                        report.openedAt = signedAt.addingTimeInterval(-7_200)
                        trail.reports.append(report)
                        supersedes = failed
                    }
                    _ = result(
                        build, kind: kind, outcome: .pass, at: signedAt, supersedes: supersedes, people: people, templates: templates,
                        seal: seal, into: &trail)
                }
                trail.history.append(
                    OrderHistoryEntry(
                        orderID: orderID, at: at, userID: people.procurement, from: from, to: step, note: "",
                        buildNumber: build.buildNumber,
                        staySeconds: movedAt.map { at.timeIntervalSince($0) }))
                from = step
                movedAt = at
            }
        }
        if order.status == .shipped, let at = times.last {
            let shipment = Shipment()
            shipment.id = UUID()
            shipment.$order.id = orderID
            shipment.shippedOn = OrderRequest.today(at)
            shipment.carrier = "Load Freight"
            shipment.trackingNumber = "LOAD-\(number)"
            shipment.$createdBy.id = people.coordinator
            shipment.createdAt = at
            trail.shipments.append(shipment)
            for build in builds {
                let line = ShipmentBuild()
                line.id = UUID()
                line.$shipment.id = shipment.id!
                line.buildNumber = build.buildNumber
                trail.shipped.append(line)
            }
        }
    }

    /// A result sealed as `ChecklistsController.sign` seals one, with its SIGN entry.
    private static func result(
        _ build: Build, kind: ChecklistKind, outcome: ChecklistEvaluation.Outcome, at: Date, supersedes: UUID?, people: People,
        templates: [ChecklistKind: UUID], seal: RecordSeal, into trail: inout Trail
    ) -> UUID {
        let signer = [.preQC, .finalQC].contains(kind) ? people.qc : people.assembler
        let row = ChecklistResult()
        row.id = UUID()
        let id = row.id!.uuidString.lowercased()
        row.$order.id = build.$order.id
        row.buildNumber = build.buildNumber
        row.$template.id = templates[kind]!
        row.kind = kind
        row.outcome = outcome
        row.$signer.id = signer
        row.signedAt = AuditLog.toTheMillisecond(at)
        row.supersedesID = supersedes
        row.record = JSONSerializer.string(
            .object([
                JSONMember("answers", .array([])), JSONMember("buildNumber", .string(build.buildNumber)), JSONMember("id", .string(id)),
                JSONMember("kind", .string(kind.rawValue)), JSONMember("orderId", .string(build.$order.id.uuidString.lowercased())),
                JSONMember("outcome", .string(outcome.rawValue)),
                JSONMember(
                    "signature",
                    .object([
                        JSONMember("signedAt", .string(AuditLog.timestamp(row.signedAt))),
                        JSONMember("userId", .string(signer.uuidString.lowercased())),
                    ])),
                JSONMember("supersedes", supersedes.map { .string($0.uuidString.lowercased()) } ?? .null),
                JSONMember("templateId", .string(templates[kind]!.uuidString.lowercased())),
            ]), style: .canonical)
        row.sha256 = SHA256.hash(data: Data(row.record.utf8)).hex
        let mark = seal.seal(RecordSeal.checklistResult(id: id, sha256: row.sha256))
        row.keyID = mark.keyID
        row.mac = mark.mac
        trail.results.append(row)
        trail.events.append(
            (
                AuditEvent(
                    action: "SIGN", resourceType: "build", resourceID: build.buildNumber,
                    newValue: .object([
                        JSONMember("resultId", .string(id)), JSONMember("orderId", .string(build.$order.id.uuidString.lowercased())),
                        JSONMember("kind", .string(kind.rawValue)), JSONMember("buildNumber", .string(build.buildNumber)),
                        JSONMember("outcome", .string(outcome.rawValue)), JSONMember("sha256", .string(row.sha256)),
                    ])), signer
            ))
        return row.id!
    }
}
