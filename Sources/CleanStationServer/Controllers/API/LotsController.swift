import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// Lot tracking (issue 18, `LotCapture`): administrators flag catalogue
/// items as lot-tracked; the assembler holding a build records the lot of
/// each such line of its BOM at assembly, before the production checklist
/// is signed; where-used finds the builds that took a lot.
enum LotsController {
    /// A lot-tracked line of a build's BOM, with its lot once recorded.
    struct Line: Encodable, Sendable {
        var itemId: String
        var name: String?
        /// How many the build holds, at every level of its BOM.
        var quantity: Int
        /// Whether the item is lot-tracked now: a line no longer tracked keeps the lot recorded for it, and asks for none.
        var lotTracked: Bool
        /// Null until recorded.
        var lot: String?
        var recordedBy: String?
        var recordedAt: String?
    }

    struct LotList: APIResponse {
        var buildNumber: String
        /// Lines with a null lot are missing theirs: the production checklist is not signed while there is one.
        var lines: [Line]

        static let example = LotList(
            buildNumber: "B1001",
            lines: [
                Line(
                    itemId: "T2-CTRL-EDR1", name: "Control box, 1 E-Drain basin", quantity: 1, lotTracked: true, lot: "L2026-118",
                    recordedBy: "Alex Assembler (AA)", recordedAt: "2026-12-06T09:30:00.000Z")
            ])
    }

    /// The build's lines that are lot-tracked or have a lot recorded (an item no longer tracked keeps what its
    /// builds recorded), by item id, with their lots.
    static func lines(of build: Build, on database: any Database, catalog: Catalog? = nil) async throws -> [Line] {
        let buildID = try build.requireID()
        let sql = database as! any SQLDatabase
        let tracked = try await sql.raw(
            """
            SELECT p.part_id, p.quantity, CASE WHEN t.item_id IS NULL THEN 0 ELSE 1 END AS tracked
            FROM build_parts p LEFT JOIN lot_tracked_items t ON t.item_id = p.part_id
            WHERE p.build_id = \(bind: buildID)
            AND (t.item_id IS NOT NULL OR EXISTS (SELECT 1 FROM build_lots l WHERE l.build_id = p.build_id AND l.item_id = p.part_id))
            ORDER BY p.part_id
            """
        ).all()
        let current = try await currentLots(of: buildID, on: database)
        let people = Dictionary(
            try await User.query(on: database).filter(\.$id ~~ current.values.map { $0.$recordedBy.id }).all().map { ($0.id!, $0) },
            uniquingKeysWith: { first, _ in first })
        return try tracked.map { row in
            let item = try row.decode(column: "part_id", as: String.self)
            let lot = current[item]
            return Line(
                itemId: item, name: catalog?.name(of: item), quantity: try row.decode(column: "quantity", as: Int.self),
                lotTracked: try row.decode(column: "tracked", as: Int.self) == 1, lot: lot?.lot,
                recordedBy: lot.flatMap { people[$0.$recordedBy.id] }.map { "\($0.fullName) (\($0.initials))" },
                recordedAt: lot.map { AuditLog.timestamp($0.recordedAt) })
        }
    }

    /// The lot each line holds now: the row no later one superseded.
    static func currentLots(of buildID: UUID, on database: any Database) async throws -> [String: BuildLot] {
        let rows = try await BuildLot.query(on: database).filter(\.$build.$id == buildID).all()
        let superseded = Set(rows.compactMap(\.supersedesID))
        return Dictionary(
            rows.filter { !superseded.contains($0.id!) }.map { ($0.itemID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The lot-tracked lines of the build without a lot (`OrderPolicy.Facts.missingLots`).
    static func missing(of build: Build, on database: any Database) async throws -> [String] {
        let lines = try await lines(of: build, on: database)
        return LotCapture.missing(
            tracked: lines.filter(\.lotTracked).map(\.itemId), recorded: Set(lines.compactMap { $0.lot == nil ? nil : $0.itemId }))
    }

    static func list(_ request: Request) async throws -> LotList {
        try await view(of: try await OrdersController.build(request), request: request)
    }

    static func view(of build: Build, request: Request) async throws -> LotList {
        let lines = try await lines(of: build, on: request.db, catalog: request.application.catalogStore.snapshot.catalog)
        return LotList(buildNumber: build.buildNumber, lines: lines)
    }

    /// `{lot}`: the lot printed on the part's label.
    struct LotInput: APIInput {
        var lot: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> LotInput? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["lot"]) else { return nil }
            return reader.requiredString(object, "lot").map(LotInput.init)
        }

        func check(_ reader: inout JSONFieldReader) -> String? {
            switch LotCapture.read(lot) {
            case .success(let lot): return lot
            case .failure(let error):
                reader.fail(.root.key("lot"), error.message)
                return nil
            }
        }
    }

    /// The body is read once `OrderPolicy` lets the caller record: a refusal (403, 409) tells nothing of the lot sent.
    static func record(_ request: Request) async throws -> LotList {
        try await record(request) { try request.input(LotInput.self) }
    }

    static func record(_ request: Request, _ input: LotInput) async throws -> LotList {
        try await record(request) { input }
    }

    /// Why `principal` may not record a lot of `build` now (`OrderPolicy`'s `.recordLot`), thrown.
    private static func requireRecordable(_ build: Build, by principal: Principal, on database: any Database) async throws {
        var facts = OrderPolicy.Facts(
            status: build.status, held: build.$claimedBy.id != nil, heldByActor: build.$claimedBy.id == principal.userID)
        if build.status == .readyForProduction {
            facts.productionSigned = try await ChecklistsController.signedPassThisRound(
                try await ChecklistsController.resolve(build, .production, on: database), on: database)
        }
        if let refusal = OrderPolicy.refusal(.recordLot, role: principal.role, facts: facts) {
            throw APIError(refusal, naming: build.buildNumber)
        }
    }

    /// `PUT …/builds/{n}/lots/{itemId}`: records the line's lot, or corrects it (a new row superseding the last);
    /// the same lot again changes nothing. Asked again under the order's lock, so that a signing in between wins.
    private static func record(_ request: Request, input: () throws -> LotInput) async throws -> LotList {
        let principal = try request.principal()
        let build = try await OrdersController.build(request)
        guard let itemID = request.parameters.get("itemID") else { throw APIError.notFound("The line") }
        try await requireRecordable(build, by: principal, on: request.db)
        let lot = try input().checked()
        let catalog = request.application.catalogStore.snapshot.catalog
        let now = Date()
        do {
            try await request.db.transaction { transaction in
                try await OrdersController.lock(build.$order.id, on: transaction)
                guard let fresh = try await Build.find(build.id, on: transaction) else { throw APIError.notFound("The build") }
                try await requireRecordable(fresh, by: principal, on: transaction)
                let tracked = try await lines(of: fresh, on: transaction, catalog: catalog)
                guard tracked.contains(where: { $0.itemId == itemID && $0.lotTracked }) else {
                    throw APIError.notFound("A lot-tracked line \(itemID) of build \(fresh.buildNumber)")
                }
                let current = try await currentLots(of: try fresh.requireID(), on: transaction)[itemID]
                guard current?.lot != lot else { return }
                try await BuildLot(
                    build: try fresh.requireID(), item: itemID, lot: lot, by: principal.userID, at: now, supersedes: current?.id
                )
                .create(on: transaction)
                try await AuditLog.append(
                    AuditEvent(
                        action: current == nil ? "CREATE" : "UPDATE", resourceType: "build_lot",
                        resourceID: "\(fresh.buildNumber)/\(itemID)",
                        oldValue: current.map { .object([JSONMember("lot", .string($0.lot))]) },
                        newValue: .object([JSONMember("lot", .string(lot))])),
                    actor: request.auditActor, on: transaction, now: now)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("The lot of \(itemID) on \(build.buildNumber) was recorded meanwhile: look at it again.")
        }
        return try await view(of: build, request: request)
    }

    // MARK: The catalogue's flags

    /// Whether an item is lot-tracked.
    struct Tracking: APIResponse {
        var itemId: String
        var lotTracked: Bool

        static let example = Tracking(itemId: "T2-CTRL-EDR1", lotTracked: true)
    }

    /// `{lotTracked}`.
    struct TrackingInput: APIInput {
        typealias Checked = TrackingInput
        var lotTracked: Bool

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> TrackingInput? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["lotTracked"]),
                let value = reader.member(object, "lotTracked"), let flag = reader.bool(value, at: .root.key("lotTracked"))
            else { return nil }
            return TrackingInput(lotTracked: flag)
        }
    }

    static func isTracked(_ itemID: String, on database: any Database) async throws -> Bool {
        try await LotTrackedItem.find(itemID, on: database) != nil
    }

    static func setTracking(_ request: Request) async throws -> Tracking {
        try await setTracking(request, try request.input(TrackingInput.self))
    }

    /// `PUT /api/v1/catalog/items/{id}/lot-tracking`: an administrator flags the item, or stops tracking it. Builds
    /// past production keep the lots they have; the next production signing asks for the line's lot.
    static func setTracking(_ request: Request, _ input: TrackingInput) async throws -> Tracking {
        let principal = try request.principal()
        guard LotCapture.mayFlag(principal.role) else {
            throw APIError(.forbidden, "PERMISSION_DENIED", "Only an administrator flags an item as lot-tracked.")
        }
        let catalog = request.application.catalogStore.snapshot.catalog
        guard let itemID = request.parameters.get("itemID"), catalog.contains(itemID) else {
            throw APIError.notFound("The catalogue item")
        }
        let now = Date()
        do {
            try await flag(itemID, input.lotTracked, by: principal, request: request, now: now)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Flagged at the same moment by another request: it is flagged, as asked.
        }
        return Tracking(itemId: itemID, lotTracked: input.lotTracked)
    }

    private static func flag(_ itemID: String, _ tracked: Bool, by principal: Principal, request: Request, now: Date) async throws {
        try await request.db.transaction { transaction in
            if tracked {
                guard try await LotTrackedItem.find(itemID, on: transaction) == nil else { return }
                // A flag of the same item at the same moment fails here on the key, and the caller takes it as done.
                try await LotTrackedItem(item: itemID, by: principal.userID, at: now).create(on: transaction)
            } else {
                // Only the request that removed the row records the change: two at once write one entry.
                let removed = try await (transaction as! any SQLDatabase).raw(
                    "DELETE FROM lot_tracked_items WHERE item_id = \(bind: itemID) RETURNING item_id"
                ).all()
                guard !removed.isEmpty else { return }
            }
            try await AuditLog.append(
                AuditEvent(
                    action: "UPDATE", resourceType: "catalog_item", resourceID: itemID,
                    oldValue: .object([JSONMember("lotTracked", .bool(!tracked))]),
                    newValue: .object([JSONMember("lotTracked", .bool(tracked))])),
                actor: request.auditActor, on: transaction, now: now)
        }
    }
}
