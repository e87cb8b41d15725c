import CleanStationCore
import Fluent
import Vapor

/// An order: its timeline, builds, BOMs, documents and the actions the
/// signed-in role may take now.
enum OrderPages {
    static func show(_ request: Request) async throws -> Response {
        let detail = try await detail(request)
        return try await Chrome.render(
            request, "order", title: detail.poNumber, detail, section: SiteURL.orders.path,
            breadcrumbs: [
                Chrome.Link(label: "Orders", href: SiteURL.orders.path, current: false),
                Chrome.Link(label: detail.poNumber, href: SiteURL.order(.value(detail.id)).path, current: true),
            ])
    }

    /// One build alone, at the address its QR code encodes (the traveller on the sink): its status, configuration,
    /// checklists with their outcomes, holder, BOM and the actions the signed-in role may take, as on the order page.
    static func build(_ request: Request) async throws -> Response {
        let number = (request.parameters.get("buildNumber") ?? "").uppercased()
        var detail = try await detail(request, only: number)
        guard let build = detail.builds.first(where: { $0.number == number }) else { throw APIError.notFound("The build") }
        detail.builds = [build]
        detail.single = true
        return try await Chrome.render(
            request, "build", title: "Build \(number)", detail, section: SiteURL.orders.path,
            breadcrumbs: [
                Chrome.Link(label: "Orders", href: SiteURL.orders.path, current: false),
                Chrome.Link(label: detail.poNumber, href: SiteURL.order(.value(detail.id)).path, current: false),
                Chrome.Link(label: "Build \(number)", href: build.links.page, current: true),
            ])
    }

    static func printable(_ request: Request) async throws -> Response {
        let detail = try await detail(request)
        return try await Chrome.render(request, "order-print", title: "Order \(detail.poNumber)", detail, section: nil)
    }

    /// The order's page; with `only`, that build's part of it alone (the rest of the order is not read or written).
    static func detail(_ request: Request, only: String? = nil) async throws -> Detail {
        let principal = try request.principal()
        let id = try request.uuidParameter("orderID", "The order")
        // Made once: each `request.db` makes the database anew (Fluent's driver asks the runtime for its opaque type).
        let database = request.db
        guard let order = try await Order.read(id, bom: true, on: database) else {
            throw APIError.notFound("The order")
        }
        // The rest of the order's reads are independent: at once, so that the page waits for the database about once.
        // The records bring the order's history and outsourced lines; they are not read again here.
        let role = principal.role
        let orderBuilds = only.map { number in order.builds.filter { $0.buildNumber == number } } ?? order.builds
        async let documentsRead = Document.of(order: id, on: database)
        async let recordsRead = BuildRecords.read(orderID: id, builds: orderBuilds, on: database)
        async let shipmentsRead = ShipmentsController.list(of: id, on: database)
        async let commentsRead = CommentsController.comments(of: id, on: database)
        async let assemblersRead =
            orderBuilds.contains { OrderPolicy.refusal(.assign, role: role, facts: .init(status: $0.status)) == nil }
            ? User.query(on: database).filter(\.$role == .assembler).filter(\.$isActive == true).sort(\.$fullName).all() : []
        let documents = try await documentsRead
        let records = try await recordsRead
        var userIDs = Set(records.history.map(\.$user.id) + documents.map(\.$uploadedBy.id))
        for build in orderBuilds {
            if let id = build.$bomApprovedBy.id { userIDs.insert(id) }
            if let id = build.$claimedBy.id { userIDs.insert(id) }
        }
        let names = try await User.names(of: userIDs, on: database)
        let orderID = id.uuidString.lowercased()
        let assemblers = try await assemblersRead.map { Choice(value: $0.id!.uuidString.lowercased(), label: $0.fullName, selected: false) }
        // The order's nonconformances come with its builds' records (a build number read under another order is
        // not this order's), newest first as the list shows them.
        let reports = records.reports.filter { $0.$order.id == id }.sorted { ($1.openedAt, $0.number) < ($0.openedAt, $1.number) }
        let canOutsource = OrderPolicy.refusal(.outsource, role: role, facts: .init(status: order.status)) == nil
        let outsourced = records.outsourced.sorted { ($0.buildNumber, $0.lineID) < ($1.buildNumber, $1.lineID) }
        let builds = try orderBuilds.sorted { $0.position < $1.position }.map { build -> BuildView in
            // A build with a nonconformance open is sent back by its disposition, on the report's page.
            // The newest one open, where a reworked build failed again (the records hold them oldest first).
            let open = records.openReports(of: build.buildNumber).last { $0.$order.id == id }
            let sink = try DecodedText.sink(build.configuration)
            let bom = try DecodedText.bom(build.bom)
            let base = { (page: SiteURL.BuildPage?) in SiteURL.build(.value(orderID), .value(build.buildNumber), page).path }
            // The buttons ask the rules the API obeys.
            let policyFacts = OrderPolicy.Facts(
                status: build.status, bomApproved: build.bomApprovedAt != nil, held: build.$claimedBy.id != nil,
                heldByActor: build.$claimedBy.id == principal.userID)
            func may(_ action: OrderPolicy.Action) -> Bool { OrderPolicy.refusal(action, role: role, facts: policyFacts) == nil }
            return BuildView(
                number: build.buildNumber, links: BuildLinks(order: orderID, build: build.buildNumber), status: StatusView(build.status),
                bomRejection: build.bomRejection ?? "",
                canRejectBOM: may(.rejectBOM),
                transitions: Self.transitions(of: build, role: role, facts: records.facts(for: build)).filter {
                    open == nil || !$0.backwards
                },
                canOverride: role == .admin && build.status != .shipped,
                canReadDeviceHistory: may(.readDeviceHistory),
                nonconformance: open.flatMap(\.id).map { SiteURL.nonconformance(.id($0)).path } ?? "",
                nonconformanceNumber: open?.number ?? "",
                facts: facts(of: sink), approved: build.bomApprovedAt != nil,
                approvedBy: build.$bomApprovedBy.id.flatMap { names[$0] } ?? "",
                canApprove: may(.approveBOM),
                heldBy: build.$claimedBy.id.flatMap { names[$0] } ?? "",
                canClaim: may(.claim),
                canRelease: may(.release),
                canAssign: !assemblers.isEmpty && may(.assign),
                checklists: ChecklistKind.allCases.map { kind in
                    ChecklistLink(
                        label: ChecklistPages.title(kind), href: base(.checklist(.value(kind.pathName))),
                        outcome: records.current(kind, of: build.buildNumber).map { signing in
                            guard let outcome = signing.outcome else { return "NOT VERIFIED" }
                            // A failure accepted as it is still says FAIL: the device history shows what was found.
                            return records.outcome(kind, of: build.buildNumber) != outcome ? "FAIL, accepted as is" : outcome.rawValue
                        } ?? "")
                },
                tasksHref: base(.tasks), treeRows: BOMTable.treeRows(bom.items), lineRows: BOMTable.lineRows(bom.lines),
                lineCount: bom.lines.count, lineOptions: canOutsource ? BOMTable.lineOptions(bom.lines) : "",
                warnings: bom.warnings)
        }
        let history = records.history.sorted { ($0.at, $0.toStatus.rawValue) < ($1.at, $1.toStatus.rawValue) }.map { entry in
            HistoryEntry(
                at: OrderRow.shortTime(AuditLog.timestamp(entry.at)), by: names[entry.$user.id] ?? "",
                from: entry.fromStatus.map(\.words) ?? "",
                to: (entry.buildNumber.map { "\($0): " } ?? "") + entry.toStatus.words + (entry.override ? " (override)" : ""),
                note: entry.note)
        }
        // The order's buttons move every build that may move: offered when one may, else shown with the reason.
        let sorted = orderBuilds.sorted { $0.position < $1.position }
        let perBuild = builds.map { (build: BuildView) in build.transitions }
        var transitions: [Transition] = []
        for transition in perBuild.flatMap({ $0 }) where !transitions.contains(where: { $0.to == transition.to }) {
            let all = perBuild.flatMap { $0 }.filter { $0.to == transition.to }
            var merged = all.first { $0.blocked == nil } ?? transition
            let ready = all.filter { $0.blocked == nil }.count
            let active = sorted.filter { ![.shipped, .cancelled].contains($0.status) }.count
            if ready > 0, ready < active { merged.label += " (\(ready) of \(active) builds)" }
            transitions.append(merged)
        }
        let shipments = try await shipmentsRead
        let due = OrderRow.due(order.wantDate, today: OrderRequest.today(), status: order.status)
        return Detail(
            id: orderID, links: OrderLinks(order: orderID), poNumber: order.poNumber, customerName: order.customerName,
            projectName: order.projectName ?? "",
            salesPerson: order.salesPerson, wantDate: order.wantDate, language: order.language.label, notes: order.notes,
            status: StatusView(order.status), timeline: timeline(order.status), history: history, builds: builds,
            documents: documents.map { document in
                DocumentView(
                    href: SiteURL.document(.id(document.id!)).path, kind: documentKindName(document.kind),
                    fileName: document.fileName,
                    size: ByteCountFormatter.string(fromByteCount: document.size, countStyle: .file),
                    by: names[document.$uploadedBy.id] ?? "", at: OrderRow.shortTime(document.createdAt.map(AuditLog.timestamp)))
            },
            documentKinds: Document.Kind.allCases.map { Choice(value: $0.rawValue, label: documentKindName($0), selected: false) },
            transitions: transitions, canCancel: role == .admin && ![.shipped, .cancelled].contains(order.status),
            canEdit: OrderPolicy.refusal(.editOrder, role: role, facts: .init(status: Lifecycle.furthest(of: sorted.map(\.status)))) == nil,
            canUpload: role != .serviceDepartment,
            tracker: OutsourcingPages.Tracker(
                lines: OutsourcingPages.lines(outsourced, orders: [id: order], canAdvance: OrderPolicy.procurement.contains(role)),
                back: SiteURL.order(.value(orderID)).path),
            canOutsource: canOutsource,
            comments: try await commentsRead.map { Comment(author: $0.author, at: OrderRow.shortTime($0.createdAt), text: $0.text) },
            assemblers: assemblers,
            breakdown: Lifecycle.breakdown(of: sorted.map(\.status)).map { "\($0.count) × \($0.status.words)" },
            due: due.0, dueTone: due.1,
            customerContact: try OrdersController.contact(order, cipher: request.application.fieldCipher) ?? "",
            canEditHeader: OrderPolicy.refusal(.editHeader, role: role, facts: .init(status: order.status)) == nil,
            shipments: shipments.map { shipment in
                ShipmentView(
                    shippedOn: shipment.shippedOn, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber,
                    builds: shipment.builds.joined(separator: ", "),
                    packingList: SiteURL.packingList(.value(orderID), .value(shipment.id)).path)
            },
            shippable: sorted.filter { OrderPolicy.refusal(.ship, role: role, facts: .init(status: $0.status)) == nil }.map {
                Choice(value: $0.buildNumber, label: $0.buildNumber, selected: true)
            },
            today: OrderRequest.today(),
            nonconformances: reports.map { report in
                NCRLink(
                    number: report.number, href: SiteURL.nonconformance(.value(report.id?.uuidString.lowercased() ?? "")).path,
                    build: report.buildNumber, state: report.record(records.steps).state.words, description: report.description)
            },
            overrideChoices: OrderStatus.allCases.filter { $0 != .shipped }.map {
                Choice(value: $0.rawValue, label: $0.words, selected: false)
            },
            needs: needs(
                of: sorted, records: records, hasDrawing: documents.contains { $0.kind == .drawing }, canUpload: role != .serviceDepartment)
        )
    }

    /// Each build's next forward move that its records do not allow yet, with who makes it, and the
    /// approved drawing that Pre-QC will ask for, with where to upload it.
    static func needs(of builds: [Build], records: BuildRecords, hasDrawing: Bool, canUpload: Bool) -> [Need] {
        var needs: [Need] = []
        if !hasDrawing, builds.contains(where: { [.orderCreated, .partsSent, .readyForPreQC].contains($0.status) }) {
            needs.append(
                Need(
                    text: "Pre-QC needs the approved drawing on this order.", href: canUpload ? "#documents" : nil,
                    link: canUpload ? "Upload it under Documents" : nil))
        }
        for build in builds {
            guard let next = Lifecycle.transitions.first(where: { $0.from == build.status && !$0.backwards && $0.to != .shipped }),
                let role = next.roles.first(where: { $0 != .admin }),
                case .failure(.precondition(let reason)) = Lifecycle.check(
                    from: next.from, to: next.to, role: role, facts: records.facts(for: build), note: nil)
            else { continue }
            let named = OrderPolicy.naming(reason, build: build.buildNumber)
            needs.append(
                Need(
                    text: "\(named.prefix(1).uppercased() + named.dropFirst()) (\(Chrome.roleName(role))).",
                    href: "#build-\(build.buildNumber)",
                    link: "Go to \(build.buildNumber)"))
        }
        return needs
    }

    /// The moves `role` may make of one build from where it stands, each
    /// enabled or with the reason the lifecycle gives (the API's 409).
    static func transitions(of build: Build, role: Role, facts: Lifecycle.Facts) -> [Transition] {
        Lifecycle.transitions.filter { $0.from == build.status && $0.roles.contains(role) && $0.to != .shipped }.map { transition in
            var blocked: String?
            if case .failure(.precondition(let reason)) = Lifecycle.check(
                from: transition.from, to: transition.to, role: role, facts: facts, note: nil)
            {
                let named = OrderPolicy.naming(reason, build: build.buildNumber)
                blocked = named.prefix(1).uppercased() + named.dropFirst() + "."
            }
            return Transition(
                to: transition.to.rawValue, label: transition.words, backwards: transition.backwards, blocked: blocked)
        }
    }

    static func timeline(_ status: OrderStatus) -> [Step] {
        let stages: [OrderStatus] = OrderStatus.allCases.filter { $0 != .cancelled }
        let reached = stages.firstIndex(of: status) ?? -1
        return stages.enumerated().map { index, stage in
            Step(
                label: stage.words,
                state: status == .cancelled ? "skipped" : index < reached ? "done" : index == reached ? "current" : "todo")
        }
    }

    static func documentKindName(_ kind: Document.Kind) -> String {
        switch kind {
        case .po: "Purchase order"
        case .drawing: "Approved drawing"
        case .photo: "Photo"
        case .qcForm: "QC form"
        case .other: "Other"
        }
    }

    /// The configuration in words, as the floor reads it.
    static func facts(of sink: SinkConfiguration) -> [Fact] {
        func number(_ value: Double) -> String { JSONSerializer.format(value) }
        var facts = [
            Fact(label: "Model", value: sink.model.rawValue),
            Fact(label: "Size", value: "\(number(sink.width))″ × \(number(sink.length))″"),
            Fact(label: "Legs", value: "\(sink.legs.model.rawValue), \(AuditWords.sentence(sink.legs.type.rawValue))"),
            Fact(label: "Feet", value: AuditWords.sentence(sink.feet.rawValue)),
            Fact(label: "Workflow", value: AuditWords.sentence(sink.workflowDirection.rawValue)),
        ]
        for (index, basin) in sink.basins.enumerated() {
            let size: String =
                switch basin.size {
                case .standard(let standard): standard.rawValue.split(separator: "X").map { "\($0)″" }.joined(separator: " × ")
                case .custom(let width, let length, let depth): "custom \(number(width))×\(number(length))×\(number(depth))"
                }
            let extras = [basin.pTrap ? "P-trap" : nil, basin.basinLight ? "light" : nil].compactMap { $0 }
            facts.append(
                Fact(
                    label: "Basin \(index + 1)",
                    value: ([AuditWords.sentence(basin.type.rawValue), size] + extras).joined(separator: ", ")))
        }
        if let pegboard = sink.pegboard {
            let size: String =
                switch pegboard.size {
                case .sameAsSink: "same as sink"
                case .custom(let width, let length): "\(number(width))″ × \(number(length))″"
                }
            facts.append(
                Fact(
                    label: "Pegboard",
                    value: [AuditWords.sentence(pegboard.type.rawValue), pegboard.color.map { AuditWords.sentence($0.rawValue) }, size]
                        .compactMap { $0 }.joined(
                            separator: ", ")))
        }
        for faucet in sink.withDefaults().faucets {
            facts.append(
                Fact(
                    label: "Faucet",
                    value:
                        "\(faucet.quantity) × \(AuditWords.sentence(faucet.type.rawValue)), \(AuditWords.sentence(faucet.placement.rawValue))"
                ))
        }
        for sprayer in sink.sprayers {
            facts.append(
                Fact(
                    label: "Sprayer",
                    value:
                        "\(sprayer.quantity) × \(AuditWords.sentence(sprayer.type.rawValue)), \(AuditWords.sentence(sprayer.location.rawValue))"
                ))
        }
        if !sink.accessories.isEmpty {
            facts.append(
                Fact(label: "Accessories", value: sink.accessories.map { "\($0.quantity) × \($0.id)" }.joined(separator: ", ")))
        }
        return facts
    }
}
