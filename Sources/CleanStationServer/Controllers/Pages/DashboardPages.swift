import CleanStationCore
import Fluent
import LeafKit
import SQLKit
import Vapor

/// The dashboards of each role and the notifications.
enum DashboardPages {
    static func home(_ request: Request) async throws -> Response {
        request.redirect(to: Chrome.home(for: try request.principal().role))
    }

    // MARK: Coordinator: every order

    struct OrderList: Encodable {
        /// One section, so that the page shows its table as the queues do.
        var sections: [Queue.Section]
        /// "1000+" when the list counted no further (`totalExact`).
        var total: String
        var q: String
        var wantFrom: String
        var wantTo: String
        var statuses: [Choice]
        var sorts: [Choice]
        var descending: Bool
        var page: Int
        var pages: String
        var previous: String?
        var next: String?
        var canCreate: Bool
        var from: Int
        var to: Int
    }

    static func orders(_ request: Request) async throws -> Response {
        let list = try await OrdersController.list(request)
        let today = OrderRequest.today()
        let (total, page, limit) = (list.total, list.page, list.limit)
        let pages = max(1, (total + limit - 1) / limit)
        let more = list.totalExact ? "" : "+"
        let status = request.query[String.self, at: "status"] ?? ""
        let sort = request.query[String.self, at: "sort"] ?? "createdAt"
        let q = request.query[String.self, at: "q"] ?? ""
        let order = request.query[String.self, at: "order"] ?? "desc"
        let wantFrom = request.query[String.self, at: "wantFrom"] ?? ""
        let wantTo = request.query[String.self, at: "wantTo"] ?? ""
        func link(_ page: Int) -> String {
            var query = URLComponents()
            query.queryItems = [
                URLQueryItem(name: "q", value: q), URLQueryItem(name: "status", value: status), URLQueryItem(name: "sort", value: sort),
                URLQueryItem(name: "order", value: order), URLQueryItem(name: "wantFrom", value: wantFrom),
                URLQueryItem(name: "wantTo", value: wantTo), URLQueryItem(name: "page", value: String(page)),
            ]
            return SiteURL.orders.with(query: query.percentEncodedQuery ?? "")
        }
        let sortNames = [
            ("createdAt", "Created"), ("wantDate", "Want date"), ("poNumber", "PO number"), ("customerName", "Customer"),
            ("status", "Status"),
        ]
        let role = try request.principal().role
        let view = OrderList(
            sections: [
                Queue.Section(
                    title: "Orders", hint: "", table: OrderRow.table(list.items.map { OrderRow($0, today: today) }))
            ],
            total: "\(total)\(more)", q: q, wantFrom: wantFrom, wantTo: wantTo,
            statuses: [Choice(value: "", label: "Any status", selected: status.isEmpty)]
                + OrderStatus.allCases.map { Choice(value: $0.rawValue, label: $0.words, selected: $0.rawValue == status) },
            sorts: sortNames.map { Choice(value: $0.0, label: $0.1, selected: $0.0 == sort) }, descending: order == "desc",
            page: page, pages: "\(pages)\(more)", previous: page > 1 ? link(page - 1) : nil, next: page < pages ? link(page + 1) : nil,
            canCreate: OrderPolicy.coordinators.contains(role), from: total == 0 ? 0 : (page - 1) * limit + 1, to: min(total, page * limit))
        return try await Chrome.render(request, "orders", title: "Orders", view, section: SiteURL.orders.path)
    }

    // MARK: Queues of procurement, QC and production

    struct Queue: Encodable {
        struct Section: Encodable {
            /// The anchor and the `section` query value that pages it.
            var key: String = "orders"
            var title: String
            var hint: String
            /// The table of its orders (`OrderRow.table`), empty when there are none.
            var table: String
            /// Every order in the section, or "1000+" past `countCap` (counted no further).
            var count: String = ""
            /// Of them, wanted before today, and wanted within `WantDate.riskDays` (each capped as `count`; "0" when none).
            var overdue = "0"
            var dueSoon = "0"
            /// Past the cap, the order list with the section's status, which reaches every order.
            var viewAll: String?
            var page: Int = 1
            var previous: String?
            var next: String?
            /// More than one page: the pager shows.
            var paged = false
        }

        var sections: [Section]
        /// What needs this person today, over their queues: leads the page (`render`).
        var today: Today?
        var pendingServiceRequests: Int?
        /// Procurement's home links to the parts the waiting builds need.
        var partsLink = false
        var myBuilds: [Held]?
        /// Held beyond the ones shown.
        var moreHeld: Int?
        var tracker: OutsourcingPages.Tracker?
    }

    struct Today: Encodable {
        var overdue: String
        var dueSoon: String
        var riskDays: Int
        var anything: Bool
    }

    /// A queue page, led by what is overdue or due soon over its queues: counted once over all of them,
    /// so that an order with builds in two queues counts once.
    ///
    /// The page's reads are independent: they run at once (`queue` starts its own together), so that a page waits
    /// for the database about once, not once per query, which under load was most of a page's time.
    static func render(
        _ request: Request, _ title: String, statuses: [OrderStatus], section: String, queue: @Sendable () async throws -> Queue
    ) async throws -> Response {
        async let counted = counts(statuses, dueConditions(), on: request.readDB)
        var queue = try await queue()
        let due = try await counted
        queue.today = Today(overdue: capped(due[0]), dueSoon: capped(due[1]), riskDays: WantDate.riskDays, anything: due[0] + due[1] > 0)
        return try await Chrome.render(request, "queue", title: title, queue, section: section)
    }

    /// A held build as its query reads it.
    struct HeldRow: Decodable {
        enum CodingKeys: String, CodingKey {
            case buildNumber = "build_number", status, orderID = "order_id", poNumber = "po_number"
        }

        var buildNumber: String
        var status: OrderStatus
        var orderID: UUID
        var poNumber: String
    }

    struct Held: Encodable {
        var buildNumber: String
        var poNumber: String
        var href: String
        var status: StatusView
    }

    static func procurement(_ request: Request) async throws -> Response {
        try await render(request, "Procurement", statuses: [.orderCreated, .partsSent], section: SiteURL.procurement.path) {
            async let pending = ServiceOrder.query(on: request.readDB).filter(\.$status == .pending).count()
            async let boms = section(
                request, "boms", "BOMs to approve", "Orders just created: check each build's BOM, approve it, then send the parts.",
                [.orderCreated])
            async let parts = section(
                request, "parts-sent", "Parts sent", "Waiting for outsourced lines to come back before Pre-QC.", [.partsSent])
            async let tracker = OutsourcingPages.open(on: request.readDB)
            return Queue(
                sections: [try await boms, try await parts], pendingServiceRequests: try await pending, partsLink: true,
                tracker: try await tracker)
        }
    }

    struct PartsNeeded: Encodable {
        var shortage: ProcurementController.Shortage
        /// How many builds the totals take at most (`ProcurementController.buildLimit`).
        var limit: Int
    }

    /// The parts still to send, for the orders wanted by a date (the API's typed result).
    static func partsNeeded(_ request: Request) async throws -> Response {
        let view = PartsNeeded(shortage: try await ProcurementController.shortage(request), limit: ProcurementController.buildLimit)
        return try await Chrome.render(request, "parts-needed", title: "Parts needed", view, section: SiteURL.procurement.path)
    }

    static func qc(_ request: Request) async throws -> Response {
        try await render(request, "Quality control", statuses: [.readyForPreQC, .readyForFinalQC], section: SiteURL.qc.path) {
            async let preQC = section(
                request, "pre-qc", "Awaiting Pre-QC", "Parts are in: inspect each build before production.", [.readyForPreQC])
            async let finalQC = section(
                request, "final-qc", "Awaiting Final QC", "Packed sinks to inspect before shipping.", [.readyForFinalQC])
            return Queue(sections: [try await preQC, try await finalQC])
        }
    }

    static func production(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        return try await render(
            request, "Production", statuses: [.readyForProduction, .testingComplete, .packagingComplete], section: SiteURL.production.path
        ) {
            async let held = principal.role == .assembler ? Self.held(by: principal.userID, on: request.db) : nil
            async let ready = section(request, "ready", "Ready for production", "Claim a build to start on it.", [.readyForProduction])
            async let toPackage = section(
                request, "to-package", "Tested, to package", "Record each build's packaging checklist.", [.testingComplete])
            async let packed = section(request, "packed", "Packed", "Hand over to Final QC.", [.packagingComplete])
            let mine = try await held
            return Queue(
                sections: [try await ready, try await toPackage, try await packed], myBuilds: mine?.builds,
                moreHeld: mine.flatMap { $0.count > heldShown ? $0.count - heldShown : nil })
        }
    }

    /// The builds an assembler holds, the first `heldShown` of them (an assembler holds a few; a page of thousands
    /// helps nobody), and how many in all, in one query of the four columns shown: a build's model carries its
    /// configuration and BOM, and decoding 50 of them with their orders was a sixth of the page's CPU.
    static func held(by user: UUID, on database: any Database) async throws -> (builds: [Held], count: Int) {
        let rows = try await (database as! any SQLDatabase).raw(
            """
            SELECT builds.build_number, builds.status, orders.id AS order_id, orders.po_number, count(*) OVER () AS total FROM builds
            JOIN orders ON orders.id = builds.order_id WHERE builds.claimed_by = \(bind: user)
            ORDER BY builds.build_number LIMIT \(literal: heldShown)
            """
        ).all()
        let builds = try rows.map { try $0.decode(model: HeldRow.self) }.map { row in
            Held(
                buildNumber: row.buildNumber, poNumber: row.poNumber,
                href: SiteURL.build(row.orderID, row.buildNumber, .tasks).path, status: StatusView(row.status))
        }
        return (builds, try rows.first?.decode(column: "total", as: Int.self) ?? 0)
    }

    /// "1000+" past the cap, else the number.
    static func capped(_ count: Int) -> String {
        count > countCap ? "\(countCap)+" : "\(count)"
    }

    /// The held builds an assembler's home page shows.
    static let heldShown = 50

    /// Rows a queue section shows at once, and how far its count goes before it says "1000+".
    static let pageSize = 25
    static let countCap = 1000

    /// The orders with a build in one of `statuses`, as a query of `columns` with `dates` (a want-date condition):
    /// an order whose builds stand together is found by its own status (indexed); only the few whose builds stand
    /// apart (`status_breakdown`, a partial index) are looked up in their builds. Two queries in one, so that each
    /// keeps its index (an OR of the two made PostgreSQL scan every order: 250 ms at 100,000). `tail` ends each
    /// part on its own (an order and a limit, so that a page reads each part off its index only as far as it shows).
    static func queued(
        _ statuses: [OrderStatus], _ columns: SQLRaw, _ dates: SQLQueryString = "", eachPart tail: SQLQueryString = ""
    ) -> SQLQueryString {
        let stages = SQLList(statuses.map { SQLBind($0.rawValue) })
        return """
            SELECT * FROM (SELECT \(columns) FROM orders WHERE orders.status IN (\(stages)) \(dates) \(tail)) AS together
            UNION ALL
            SELECT * FROM (SELECT \(columns) FROM orders WHERE orders.status_breakdown IS NOT NULL AND orders.status NOT IN (\(stages))
                \(dates) AND EXISTS (SELECT 1 FROM builds WHERE builds.order_id = orders.id AND builds.status IN (\(stages))) \(tail)) AS apart
            """
    }

    /// How many of those orders there are under each of `conditions` (a want-date condition, or none), each counted
    /// no further than `countCap`: one query, one subquery each.
    static func counts(_ statuses: [OrderStatus], _ conditions: [SQLQueryString], on database: any Database) async throws -> [Int] {
        var query: SQLQueryString = "SELECT "
        for (index, dates) in conditions.enumerated() {
            if index > 0 { query = query + ", " }
            query =
                query + "(SELECT count(*) FROM (" + queued(statuses, SQLRaw("1 AS one"), dates)
                + " LIMIT \(literal: countCap + 1)) AS capped)"
                + " AS n\(literal: index)"
        }
        let row = try await (database as! any SQLDatabase).raw(query).first()
        return try conditions.indices.map { try row?.decode(column: "n\($0)", as: Int.self) ?? 0 }
    }

    /// The want-date conditions of the orders wanted before today, and of those wanted within `WantDate.riskDays`.
    static func dueConditions() -> [SQLQueryString] {
        let today = OrderRequest.today()
        return [
            "AND orders.want_date < \(bind: today)",
            "AND orders.want_date >= \(bind: today) AND orders.want_date <= \(bind: WantDate.riskHorizon(today))",
        ]
    }

    /// One queue of a page, 25 orders at a time in want-date order: each build moves on its own, so an order waits
    /// in every queue one of its builds is in. `?section=KEY&page=N` pages the section named `key`; the others stay
    /// on their first page. Pages go as far as the count does (`countCap`); past it, the order list reaches the rest.
    static func section(
        _ request: Request, _ key: String, _ title: String, _ hint: String, _ statuses: [OrderStatus]
    ) async throws -> Queue.Section {
        var page = 1
        if request.query[String.self, at: "section"] == key {
            var errors: [FieldError] = []
            page = request.boundedQuery("page", default: 1, range: 1...(countCap / pageSize), &errors)
            if !errors.isEmpty { throw APIError.validation(errors) }
        }
        let columns = SQLRaw(OrderListRow.names.map { "orders.\($0)" }.joined(separator: ", "))
        // Each part ordered and cut to the page's end first, so that PostgreSQL reads a status's orders off the
        // index by want date up to that page instead of sorting all of them (10,000 at a status at 100,000 orders).
        let inOrder: SQLQueryString = "ORDER BY want_date, po_number, id"
        async let counting = counts(statuses, [""] + dueConditions(), on: request.readDB)
        let orders = try await (request.readDB as! any SQLDatabase).raw(
            queued(statuses, columns, eachPart: inOrder + " LIMIT \(literal: page * pageSize + 1)") + " " + inOrder
                + " LIMIT \(literal: pageSize + 1) OFFSET \(literal: (page - 1) * pageSize)"
        ).all().map(OrderListRow.init(row:))
        let counted = try await counting
        let today = OrderRequest.today()
        // The page's own route, not the address as typed (`//qc` would make links to a host).
        let base = "/" + (request.route?.path.map(\.description).joined(separator: "/") ?? "")
        func link(_ number: Int) -> String { "\(base)?section=\(key)&page=\(number)#\(key)" }
        let more = orders.count > pageSize && page < countCap / pageSize
        let viewAll =
            counted[0] > countCap && statuses.count == 1
            ? SiteURL.orders.with(query: "status=\(statuses[0].rawValue)&sort=wantDate&order=asc") : nil
        return Queue.Section(
            key: key, title: title, hint: hint,
            table: OrderRow.table(
                orders.prefix(pageSize).map {
                    OrderRow($0, buildNumbers: $0.buildNumbers.split(separator: ",").map(String.init), today: today)
                }),
            count: Self.capped(counted[0]), overdue: Self.capped(counted[1]), dueSoon: Self.capped(counted[2]),
            viewAll: viewAll, page: page, previous: page > 1 ? link(page - 1) : nil, next: more ? link(page + 1) : nil,
            paged: page > 1 || more || viewAll != nil)
    }

    // MARK: Families not built yet

    struct Construction: Encodable {
        var family: String
    }

    static func underConstruction(_ request: Request) async throws -> Response {
        let family = request.parameters.get("family") == "instrosink" ? "InstroSink" : "Endoscope"
        return try await Chrome.render(
            request, "construction", title: family, Construction(family: family), section: request.url.path)
    }

    // MARK: Notifications

    struct Notifications: Encodable {
        struct Item: Encodable {
            var id: String
            var title: String
            var at: String
            var read: Bool
            var href: String?
            var readAction: String
        }

        var items: [Item]
    }

    static func notifications(_ request: Request) async throws -> Response {
        let items = try await NotificationsController.list(request).items.map { item in
            Notifications.Item(
                id: item.id, title: item.title, at: OrderRow.shortTime(item.createdAt), read: item.read,
                href: item.orderId.map { SiteURL.order(.value($0)).path }, readAction: SiteURL.notificationRead(.value(item.id)).path)
        }
        return try await Chrome.render(
            request, "notifications", title: "Notifications", Notifications(items: items), section: SiteURL.notifications.path)
    }

    /// The unread count, which the script polls to keep the bell current.
    static func unread(_ request: Request) async throws -> Response {
        let unread = try await NotificationsController.unreadCount(of: try request.principal(), request)
        return try await JSONValue.object([JSONMember("unread", .number(Double(unread)))]).encodeResponse(for: request)
    }

    static func markRead(_ request: Request) async throws -> Response {
        _ = try await NotificationsController.markRead(request)
        return Flash.redirect(request, to: SiteURL.notifications.path, "Marked as read.")
    }
}
