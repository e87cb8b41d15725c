import CleanStationCore
import Fluent
import Vapor

/// `cleanstation demo`: fills an empty database with a user per role and a
/// dozen orders over the statuses the system can reach so far.
public enum Demo {
    public struct Login: Sendable {
        public var role: Role
        public var email: String
        public var password: String
    }

    public static let productionRefusal = "demo users and orders are never added to a production database (ENVIRONMENT=production)"

    /// Demo accounts with printed passwords, or made-up orders, have no place in production.
    public static func refuseProduction(_ config: Config) throws {
        guard config.deployment != .production else { throw Abort(.forbidden, reason: productionRefusal) }
    }

    /// The log-ins created, or `nil` when the database already has users.
    public static func seed(_ app: Application, catalogDirectory: URL? = nil) async throws -> [Login]? {
        try refuseProduction(app.config)
        try await prepareDatabase(app)
        guard try await User.query(on: app.db).count() == 0 else { return nil }
        if let catalogDirectory { _ = try await CatalogImport.run(directory: catalogDirectory, app: app) }
        var logins: [Login] = []
        var principals: [Role: Principal] = [:]
        let names: [Role: (String, String)] = [
            .admin: ("Alex Admin", "AA"), .productionCoordinator: ("Casey Coordinator", "CC"),
            .procurementSpecialist: ("Pat Procurement", "PP"), .qcPerson: ("Quinn Quality", "QQ"), .assembler: ("Ari Assembler", "AR"),
            .serviceDepartment: ("Sam Service", "SS"),
        ]
        for role in Role.allCases {
            let email = "\(role.rawValue.lowercased().replacingOccurrences(of: "_", with: "."))@demo.torvan.test"
            let password = randomPassword()
            let (name, initials) = names[role]!
            let id = try await Accounts.create(
                app, email: email, fullName: name, initials: initials, role: role.rawValue, password: password)
            logins.append(Login(role: role, email: email, password: password))
            principals[role] = Principal(userID: id, role: role, sessionID: UUID(), email: email, fullName: name, initials: initials)
        }
        // A calibrated thermometer in the test equipment register, for the end-of-line tests.
        let thermometer = Instrument()
        thermometer.tag = "FLUKE-52-001"
        thermometer.description = "Fluke 52 II dual-probe thermometer"
        thermometer.calibrationDue = InstrumentsController.today(Date().addingTimeInterval(365 * 86_400))
        try await thermometer.create(on: app.db)
        let customers = ["St. Mary Hospital", "Lakeside Medical Center", "Northgate Clinic", "Riverside General"]
        let targets: [OrderStatus] = [
            .orderCreated, .orderCreated, .orderCreated, .orderCreated, .partsSent, .partsSent, .partsSent, .readyForPreQC, .readyForPreQC,
            .readyForPreQC, .cancelled, .orderCreated,
        ]
        let wantDate = OrderRequest.today(Date().addingTimeInterval(60 * 86_400))
        for (index, target) in targets.enumerated() {
            let number = 1_001 + index
            let builds = (0..<(index % 3 == 0 ? 2 : 1)).map { position in
                sampleSink(buildNumber: "B\(number)-\(position + 1)", variant: index + position)
            }
            let order = OrderRequest(
                poNumber: "PO-DEMO-\(number)", customerName: customers[index % customers.count], projectName: "SPD renovation",
                salesPerson: "Jane Roe", wantDate: wantDate, language: [Language.en, .fr, .sp][index % 3], notes: "", sinkFamily: .mdrd,
                builds: builds)
            let coordinator = principals[.productionCoordinator]!
            let id = try await OrdersController.create(
                order, by: coordinator.userID, actor: AuditActor(userID: coordinator.userID), generator: app.bomGenerator, on: app.db)
            try await advance(id, to: target, principals: principals, on: app.db)
        }
        return logins
    }

    private static func advance(_ id: UUID, to target: OrderStatus, principals: [Role: Principal], on database: any Database) async throws {
        let procurement = principals[.procurementSpecialist]!
        if target == .cancelled {
            let admin = principals[.admin]!
            try await BuildFlow.move(
                orderID: id, to: .cancelled, note: "Customer withdrew the PO", by: admin, actor: AuditActor(userID: admin.userID),
                on: database)
            return
        }
        guard target != .orderCreated else { return }
        for build in try await Build.query(on: database).filter(\.$order.$id == id).all() {
            try await OrdersController.approveBOM(
                of: build, by: procurement, actor: AuditActor(userID: procurement.userID), on: database)
        }
        for status in [OrderStatus.partsSent, .readyForPreQC] {
            try await BuildFlow.move(
                orderID: id, to: status, note: nil, by: procurement, actor: AuditActor(userID: procurement.userID), on: database)
            if status == target { return }
        }
    }

    static func sampleSink(buildNumber: String, variant: Int) -> SinkConfiguration {
        let model = [SinkModel.t2B1, .t2B2, .t2B3][variant % 3]
        let types: [BasinType] = [.eDrain, .eSink, .eSinkDI]
        return SinkConfiguration(
            buildNumber: buildNumber, model: model, width: 30, length: [48.0, 60, 72, 96][variant % 4] + Double(model.basinCount - 1) * 12,
            legs: Legs(type: .heightAdjustable, model: [.dl27, .dl14, .lc1][variant % 3]), feet: .lockLevelingCasters,
            pegboard: variant % 2 == 0 ? Pegboard(type: .perforated, color: .green, size: .sameAsSink) : nil,
            workflowDirection: .leftToRight,
            basins: (0..<model.basinCount).map { Basin(type: types[($0 + variant) % 3], size: .standard(.s24x20x10), pTrap: $0 == 0) },
            faucets: [Faucet(type: .wristBlade, quantity: 1, placement: .center)],
            sprayers: variant % 2 == 1 ? [Sprayer(type: .airGunTurret, quantity: 1, location: .left)] : [],
            accessories: [AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 1 + variant % 2)])
    }

    /// 16 characters from every class the password policy asks for.
    static func randomPassword() -> String {
        let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), lower = Array("abcdefghijkmnopqrstuvwxyz"), digits = Array("23456789")
        let special = Array("!#%+-=?@")
        var characters = (0..<4).flatMap { _ in
            [upper.randomElement()!, lower.randomElement()!, digits.randomElement()!, special.randomElement()!]
        }
        characters.shuffle()
        return String(characters)
    }
}
