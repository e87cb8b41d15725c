import CleanStationCore
import Fluent
import Vapor

/// Nonconformance reports for people: the list, and one report with its
/// failed items, its disposition and its verification (issue 16).
enum NonconformancePages {
    struct Row: Encodable {
        var number: String
        var href: String
        var build: String
        var orderHref: String
        var kind: String
        var state: String
        var tone: String
        var openedAt: String
        var description: String
    }

    struct List: Encodable {
        var rows: [Row]
        var states: [Choice]
        var page: Int
        var next: String?
        var previous: String?
    }

    struct Item: Encodable {
        var text: String
        var value: String
        var note: String
    }

    struct Step: Encodable {
        var what: String
        var by: String
        var at: String
        var text: String
    }

    struct Detail: Encodable {
        var id: String
        var links: NonconformanceLinks
        var row: Row
        var items: [Item]
        var steps: [Step]
        var resultHref: String
        var canDecide: Bool
        /// Why the disposition waits: the build is no longer where it failed.
        var elsewhere: String
        var canApprove: Bool
        /// Why the one looking may not approve (they decided it), shown instead of the form.
        var approvalRefused: String
        var dispositions: [Choice]
        var scopes: [Choice]
    }

    static func list(_ request: Request) async throws -> Response {
        let stateText = request.query[String.self, at: "state"] ?? "OPEN"
        let state = Nonconformance.State(rawValue: stateText)
        var errors: [FieldError] = []
        let page = request.boundedQuery("page", default: 1, range: 1...1_000_000, &errors)
        let reports = try await NonconformancesController.list(state: state, orderID: nil, page: page, on: request.db)
        let link = { (number: Int) in SiteURL.nonconformances.with(query: "state=\(stateText)&page=\(number)") }
        let view = List(
            rows: reports.map(row),
            states: ([("ALL", "All")] + Nonconformance.State.allCases.map { ($0.rawValue, $0.words) }).map {
                Choice(value: $0.0, label: $0.1, selected: $0.0 == stateText)
            }, page: page, next: reports.count == NonconformancesController.pageSize ? link(page + 1) : nil,
            previous: page > 1 ? link(page - 1) : nil)
        return try await Chrome.render(request, "nonconformances", title: "Nonconformances", view, section: SiteURL.nonconformances.path)
    }

    static func row(_ report: NonconformancesController.View) -> Row {
        Row(
            number: report.number, href: SiteURL.nonconformance(.value(report.id)).path, build: report.buildNumber,
            orderHref: SiteURL.order(.value(report.orderId)).with(fragment: "build-\(report.buildNumber)"), kind: report.kind.words,
            state: report.state.words,
            tone: report.state == .closed ? "success" : report.state == .open ? "danger" : "warning",
            openedAt: OrderRow.shortTime(report.openedAt), description: report.description)
    }

    static func show(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        let report = try await NonconformancesController.report(request, on: request.db)
        let steps = try await NonconformanceStep.of(reports: [try report.requireID()], on: request.db)
        let shown = try NonconformancesController.view(
            report, steps: steps, names: try await User.names(of: [report.$openedBy.id] + steps.map(\.$user.id), on: request.db))
        let record = report.record(steps)
        let position = ChecklistKind.allCases.firstIndex(of: report.kind)!
        let approval = Nonconformance.refusal(.approve, role: principal.role, actor: principal.userID, record: record)
        // Decided where the failure was found, as the API asks (409 otherwise): elsewhere the page says why.
        let build = try await Build.query(on: request.db).filter(\.$buildNumber == report.buildNumber).first()
        let inPlace = build?.status == OrderPolicy.recordingStatus(report.kind)
        let detail = Detail(
            id: shown.id, links: NonconformanceLinks(report: shown.id), row: row(shown),
            items: shown.failedItems.map(RecordAnswer.init).map { answer in
                Item(text: answer.text, value: recorded(answer.value), note: answer.note ?? "")
            },
            steps: shown.steps.map { step in
                let what: String =
                    switch step.step {
                    case "DISPOSITION": record.disposition?.words ?? "Disposition"
                    case "APPROVAL": "Second approval"
                    default: "Closed"
                    }
                return Step(what: what, by: step.by, at: OrderRow.shortTime(step.at), text: step.justification)
            },
            resultHref:
                SiteURL.checklist(report.$order.id, report.buildNumber, report.kind).path,
            canDecide: inPlace && Nonconformance.refusal(.decide, role: principal.role, actor: principal.userID, record: record) == nil,
            elsewhere: !inPlace && record.state == .open
                ? "Build \(report.buildNumber) is \((build?.status ?? .cancelled).words.lowercased()), not where its \(report.kind.words) failed: "
                    + "an administrator's override brings it back before the disposition." : "",
            canApprove: approval == nil,
            approvalRefused: record.state == .awaitingApproval ? approval?.message ?? "" : "",
            dispositions: Nonconformance.Disposition.codes.filter { $0 != "RETURN_TO_SUPPLIER" || report.kind == .preQC }.map {
                Choice(value: $0, label: AuditWords.sentence($0), selected: $0 == "REWORK")
            },
            scopes: ChecklistKind.allCases.enumerated().filter { index, kind in
                index <= position && (kind != .preQC || report.kind == .preQC)
            }.map { _, kind in Choice(value: kind.rawValue, label: kind.words, selected: kind == report.kind) })
        return try await Chrome.render(
            request, "nonconformance", title: report.number, detail, section: SiteURL.nonconformances.path,
            breadcrumbs: [
                Chrome.Link(label: "Nonconformances", href: SiteURL.nonconformances.path, current: false),
                Chrome.Link(label: report.number, href: SiteURL.nonconformance(.value(detail.id)).path, current: true),
            ])
    }

    /// A recorded value in words: Pass or Fail, a number, or a choice's code spelled out.
    static func recorded(_ value: JSONValue?) -> String {
        switch value {
        case .bool(let passed)?: passed ? "Pass" : "Fail"
        case .number(let number)?: JSONSerializer.format(number)
        case .string(let text)?: text.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" } ? AuditWords.sentence(text) : text
        case nil, .null?: "—"
        case let other?: JSONSerializer.string(other, style: .compact)
        }
    }

    static func decide(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let input = NonconformancesController.DispositionInput(
            disposition: fields.value("disposition") ?? "",
            scope: fields.value("disposition") == "REWORK" ? fields.values("scope").map { .string($0) } : [],
            justification: fields.value("justification") ?? "", password: fields.value("password") ?? "")
        let back = SiteURL.nonconformance(.id(try request.uuidParameter("ncrID", "The nonconformance"))).path
        return try await Flash.perform(request, then: back, "Disposition recorded.") {
            _ = try await NonconformancesController.decide(request, input)
        }
    }

    static func approve(_ request: Request) async throws -> Response {
        let input = NonconformancesController.Signature(password: FormFields(request).value("password") ?? "")
        let back = SiteURL.nonconformance(.id(try request.uuidParameter("ncrID", "The nonconformance"))).path
        return try await Flash.perform(request, then: back, "Use as is approved; the nonconformance is closed.") {
            _ = try await NonconformancesController.approve(request, input)
        }
    }
}
