import CleanStationCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// `cleanstation demo --orders N --load-users N`: data at scale for load
/// tests, in minutes: orders over every status with their builds, BOMs,
/// history and chained audit entries, written in batches of 500 orders per
/// transaction (multi-row inserts), and sign-in accounts for virtual users.
/// Run it on a quiet database: it holds the audit head for each batch.
public enum LoadData {
    public struct Report: Sendable {
        public var orders: Int
        public var builds: Int
        public var auditEntries: Int
        public var users: [String]
        public var password: String?
    }

    /// The path an order walks to reach each status, after ORDER_CREATED.
    static func path(to status: OrderStatus) -> [OrderStatus] {
        let main: [OrderStatus] = [
            .partsSent, .readyForPreQC, .readyForProduction, .testingComplete, .packagingComplete, .readyForFinalQC, .readyForShip,
            .shipped,
        ]
        if status == .cancelled { return [.cancelled] }
        guard let index = main.firstIndex(of: status) else { return [] }
        return Array(main[...index])
    }

    public static func generate(
        _ app: Application, orders count: Int, loadUsers: Int, progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Report {
        try Demo.refuseProduction(app.config)
        try await prepareDatabase(app)
        // Made-up orders never go into a database that real people use, whatever ENVIRONMENT says.
        let sql = app.db as! any SQLDatabase
        let real =
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(User.schema)
            .where("email", .notLike, "%@demo.torvan.test").where("email", .notLike, "%@load.torvan.test").first()?
            .decode(column: "n", as: Int.self) ?? 0
        guard real == 0 else {
            throw Abort(
                .forbidden, reason: "this database has \(real) accounts besides the demo's: load-test data is added only to a demo database"
            )
        }
        var report = Report(orders: 0, builds: 0, auditEntries: 0, users: [], password: nil)
        if loadUsers > 0 { (report.users, report.password) = try await createUsers(app, count: loadUsers) }
        guard count > 0 else { return report }
        let staff = try await User.query(on: app.db).filter(\.$isActive == true).all()
        func someone(_ role: Role) throws -> UUID {
            guard let user = staff.first(where: { $0.role == role }) else {
                throw Abort(.internalServerError, reason: "no active \(role.rawValue): run `cleanstation demo` first")
            }
            return try user.requireID()
        }
        let coordinator = try someone(.productionCoordinator)
        let procurement = try someone(.procurementSpecialist)
        let assembler = try someone(.assembler)
        let people = People(coordinator: coordinator, procurement: procurement, assembler: assembler, qc: try someone(.qcPerson))
        // The newest version of each checklist's template.
        let templates = Dictionary(
            try await ChecklistTemplateRecord.query(on: app.db).sort(\.$version).all().map { ($0.kind, try $0.requireID()) },
            uniquingKeysWith: { _, newer in newer })
        let seal = app.recordSeal
        let tag = String(UUID().uuidString.prefix(6))
        let customers = ["St. Mary Hospital", "Lakeside Medical Center", "Northgate Clinic", "Riverside General", "Harbor View Surgical"]
        let statuses = OrderStatus.allCases
        let batchSize = 500
        var start = 0
        while start < count {
            let end = min(start + batchSize, count)
            let now = Date()
            var orders: [Order] = []
            var builds: [Build] = []
            var parts: [BuildPart] = []
            var history: [OrderHistoryEntry] = []
            var events: [(AuditEvent, UUID)] = []
            var trail = Trail()
            for number in start..<end {
                let status = statuses[number % statuses.count]
                let order = Order()
                order.id = UUID()
                order.poNumber = "PO-LOAD-\(tag)-\(number + 1)"
                order.customerName = customers[number % customers.count]
                order.projectName = "Load \(number % 97)"
                order.salesPerson = "Jane Roe"
                order.wantDate = OrderRequest.today(now.addingTimeInterval(Double(30 + number % 120) * 86_400))
                order.language = [Language.en, .fr, .sp][number % 3]
                order.notes = ""
                order.sinkFamily = .mdrd
                order.status = status
                order.$createdBy.id = coordinator
                let configurations = (0..<(number % 3 == 0 ? 2 : 1)).map {
                    Demo.sampleSink(buildNumber: "L\(tag)-\(number + 1)-\($0 + 1)", variant: number + $0)
                }
                OrdersController.index(order, buildNumbers: configurations.map(\.buildNumber))
                orders.append(order)
                let orderID = order.id!
                for (position, configuration) in configurations.enumerated() {
                    let build = Build()
                    build.id = UUID()
                    build.$order.id = orderID
                    build.position = position
                    build.buildNumber = configuration.buildNumber
                    build.status = status
                    build.configuration = JSONSerializer.string(configuration.jsonValue)
                    let bom = app.bomGenerator.bom(for: configuration, language: order.language)
                    build.bom = JSONSerializer.string(bom.jsonValue)
                    parts += BuildPart.rows(of: bom, build: build.id!)
                    if status != .orderCreated && status != .cancelled {
                        build.$bomApprovedBy.id = procurement
                        build.bomApprovedAt = now
                    }
                    if OrderPolicy.holdingStatuses.contains(
                        status)
                    {
                        build.$claimedBy.id = assembler
                        build.claimedAt = now
                    }
                    builds.append(build)
                }
                // Created the day before its first move (`times`).
                let created = Self.times(of: number, path: path(to: status), now: now).first.map { $0.addingTimeInterval(-86_400) } ?? now
                history.append(
                    OrderHistoryEntry(orderID: orderID, at: created, userID: coordinator, from: nil, to: .orderCreated, note: ""))
                events.append(
                    (
                        AuditEvent(
                            action: "CREATE", resourceType: "order", resourceID: orderID.uuidString.lowercased(),
                            newValue: OrdersController.summary(order, builds: configurations)), coordinator
                    ))
                var from = OrderStatus.orderCreated
                Self.trail(
                    of: Array(builds.suffix(configurations.count)), order: order, number: number, now: now, people: people,
                    templates: templates,
                    seal: seal, into: &trail)
                for step in path(to: status) {
                    events.append(
                        (
                            AuditEvent(
                                action: "UPDATE", resourceType: "order", resourceID: orderID.uuidString.lowercased(),
                                oldValue: .object([JSONMember("status", .string(from.rawValue))]),
                                newValue: .object([JSONMember("status", .string(step.rawValue))])), procurement
                        ))
                    from = step
                }
            }
            events += trail.events
            history += trail.history
            let written = events.count
            let (newOrders, newBuilds, newHistory, newEvents, newParts, newTrail) = (orders, builds, history, events, parts, trail)
            try await app.db.transaction { transaction in
                try await newOrders.create(on: transaction)
                for chunk in stride(from: 0, to: newBuilds.count, by: 200) {
                    try await Array(newBuilds[chunk..<min(chunk + 200, newBuilds.count)]).create(on: transaction)
                }
                for chunk in stride(from: 0, to: newParts.count, by: 500) {
                    try await Array(newParts[chunk..<min(chunk + 500, newParts.count)]).create(on: transaction)
                }
                try await newHistory.create(on: transaction)
                for chunk in stride(from: 0, to: newTrail.results.count, by: 200) {
                    try await Array(newTrail.results[chunk..<min(chunk + 200, newTrail.results.count)]).create(on: transaction)
                }
                if !newTrail.reports.isEmpty { try await newTrail.reports.create(on: transaction) }
                if !newTrail.shipments.isEmpty {
                    try await newTrail.shipments.create(on: transaction)
                    try await newTrail.shipped.create(on: transaction)
                }
                try await appendAudit(newEvents, at: now, on: transaction)
            }
            report.orders += orders.count
            report.builds += builds.count
            report.auditEntries += written
            start = end
            progress(start)
        }
        return report
    }

    /// Appends entries to the audit chain in one multi-row insert per 500.
    private static func appendAudit(_ events: [(AuditEvent, UUID)], at now: Date, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        var (seq, previous) = try await AuditLog.lockHead(on: sql)
        let at = AuditLog.timestamp(now)
        var records: [AuditRecord] = []
        let seal = try database.recordSeal
        for (event, userID) in events {
            seq += 1
            var record = AuditRecord(seq: seq, at: at, event: event, actor: AuditActor(userID: userID), prevHash: previous)
            record.seal(with: seal)
            previous = record.hash
            records.append(record)
        }
        for chunk in stride(from: 0, to: records.count, by: 500) {
            var insert = sql.insert(into: "audit_log").columns(AuditRecord.columns)
            for record in records[chunk..<min(chunk + 500, records.count)] { insert = insert.values(record.values.map { SQLBind($0) }) }
            try await insert.run()
        }
    }

    /// Sign-in accounts for virtual users, `load-ROLE-N@load.torvan.test`,
    /// spread over the roles that work orders, sharing one bcrypt hash (one
    /// password, hashed once, at the configured cost).
    private static func createUsers(_ app: Application, count: Int) async throws -> ([String], String) {
        let password = Demo.randomPassword()
        let cost = app.config.passwordHashCost
        let hash = try await app.passwordHasher.hash(password, cost: cost)
        let roles: [Role] = [.productionCoordinator, .procurementSpecialist, .qcPerson, .assembler]
        let tag = String(UUID().uuidString.prefix(4)).lowercased()
        var users: [User] = []
        for index in 0..<count {
            let role = roles[index % roles.count]
            let email = "load-\(role.rawValue.lowercased().replacingOccurrences(of: "_", with: "-"))-\(tag)-\(index + 1)@load.torvan.test"
            users.append(User(email: email, fullName: "Load User \(index + 1)", initials: "LU", role: role, passwordHash: hash))
        }
        try await users.create(on: app.db)
        return (users.map(\.email), password)
    }
}
