import CleanStationCore
import Vapor

/// A nonconformance report as the API answers it, the page shows it and
/// the audit trail keeps it (issue 19).
extension NonconformancesController {
    struct View: APIResponse {
        var id: String
        var number: String
        var orderId: String
        var buildNumber: String
        var kind: ChecklistKind
        var resultId: String
        var state: Nonconformance.State
        var description: String
        /// The failed answers as the signed record keeps them, verbatim (`RecordAnswer` in the document).
        var failedItems: [JSONValue]
        var disposition: String?
        /// The checklists a rework repeats.
        var scope: [ChecklistKind]
        var openedBy: String
        var openedAt: String
        var steps: [StepView]

        static let example = View(
            id: "5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c", number: "NCR-4521-1", orderId: "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
            buildNumber: "4521", kind: .eolTest, resultId: "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d", state: .inRework,
            description: "End-of-line test failed: Drain test",
            failedItems: [
                .object([
                    JSONMember("itemId", "drain-test"), JSONMember("text", "Drain test"), JSONMember("basin", 1),
                    JSONMember("value", false), JSONMember("na", false), JSONMember("note", "Slow drain on basin 1"),
                    JSONMember(
                        "photos",
                        [
                            .object([
                                JSONMember("documentId", "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"),
                                JSONMember("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                                JSONMember("fileName", "drain.jpg"),
                            ])
                        ]), JSONMember("passed", false),
                ])
            ],
            disposition: "REWORK", scope: [.eolTest], openedBy: "Quinn Baker", openedAt: "2026-12-06T09:30:00.000Z",
            steps: [StepView.example])
    }

    struct StepView: APIResponse {
        var step: String
        var disposition: String?
        var scope: [String]
        var justification: String
        var resultId: String?
        var by: String
        var at: String

        static let example = StepView(
            step: "DISPOSITION", disposition: "REWORK", scope: ["EOL_TEST"], justification: "Reseat the drain valve.",
            resultId: "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d", by: "Quinn Baker", at: "2026-12-06T10:00:00.000Z")
    }

    static func view(_ report: NonconformanceReport, steps: [NonconformanceStep], names: [UUID: String]) throws -> View {
        let record = report.record(steps)
        let mine = steps.filter { $0.$nonconformance.id == report.id }.sorted { $0.at < $1.at }
        var scope: [ChecklistKind] = []
        if case .rework(let kinds)? = record.disposition {
            scope = ChecklistKind.allCases.filter(Nonconformance.reworked(kinds, failed: report.kind).contains)
        }
        return View(
            id: try report.requireID().uuidString.lowercased(), number: report.number, orderId: report.$order.id.uuidString.lowercased(),
            buildNumber: report.buildNumber, kind: report.kind, resultId: report.resultID.uuidString.lowercased(), state: record.state,
            description: report.description, failedItems: try JSONParser.parse(report.failedItems).array,
            disposition: record.disposition?.code, scope: scope,
            openedBy: names[report.$openedBy.id] ?? report.$openedBy.id.uuidString.lowercased(),
            openedAt: AuditLog.timestamp(report.openedAt), steps: mine.map { stepView($0, names: names) })
    }

    static func stepView(_ step: NonconformanceStep, names: [UUID: String]) -> StepView {
        StepView(
            step: step.step.rawValue, disposition: step.disposition,
            scope: (step.scope ?? "").split(separator: ",").map(String.init), justification: step.justification,
            resultId: step.resultID.map { $0.uuidString.lowercased() }, by: names[step.$user.id] ?? step.$user.id.uuidString.lowercased(),
            at: AuditLog.timestamp(step.at))
    }
}
