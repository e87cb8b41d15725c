import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// Where-used (issue 18): every build whose BOM holds a part or assembly, shipped
/// or not, with its order and status: a recall list, as JSON or CSV, from the
/// `build_parts` index. The CSV is the whole list, however long.
enum TraceabilityController {
    /// At most this many builds are answered as JSON; `truncated` says there are more, which the CSV has.
    static let limit = 5_000

    struct Query: Sendable {
        var part: String
        var shippedFrom: String?
        var shippedTo: String?
        /// Only the builds that recorded this lot of the part.
        var lot: String?

        /// The query string's values, each error at its parameter.
        static func read(_ request: Request) throws -> Query {
            var errors: [FieldError] = []
            let typed = (request.query[String.self, at: "part"] ?? "").trimmingCharacters(in: .whitespaces)
            // The catalogue's spelling when it has the part; capitals otherwise (a part since removed from it).
            let part = request.application.catalogStore.snapshot.catalog.id(matching: typed) ?? typed.uppercased()
            if !(1...100).contains(part.count) { errors.append(FieldError(field: "part", message: "enter a part or assembly number")) }
            func date(_ name: String) -> String? {
                guard let text = request.query[String.self, at: name], !text.isEmpty else { return nil }
                if !OrderRequest.isCalendarDate(text) { errors.append(FieldError(field: name, message: "must be a date as YYYY-MM-DD")) }
                return text
            }
            let (from, to) = (date("shippedFrom"), date("shippedTo"))
            if let from, let to, from > to, errors.isEmpty {
                errors.append(FieldError(field: "shippedTo", message: "must not be before the first ship date"))
            }
            var lot: String?
            if let text = request.query[String.self, at: "lot"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
                switch LotCapture.read(text) {
                case .success(let read): lot = read
                case .failure(let error): errors.append(error)
                }
            }
            guard errors.isEmpty else { throw APIError.validation(errors) }
            return Query(part: part, shippedFrom: from, shippedTo: to, lot: lot)
        }
    }

    /// The builds that hold a part, and whether the list stops short.
    struct WhereUsed: APIResponse {
        struct Build: Encodable, Sendable {
            var orderId: String
            var poNumber: String
            var customerName: String
            var buildNumber: String
            var status: OrderStatus
            /// How many of the part the build's BOM holds.
            var quantity: Int
            /// Null until the build ships.
            var shippedOn: String?
            /// The lot recorded at assembly, for a lot-tracked part; null otherwise.
            var lot: String?
        }

        var part: String
        /// The catalogue's name of the part, if it has it.
        var name: String?
        var shippedFrom: String?
        var shippedTo: String?
        var lot: String?
        var builds: [Build]
        var truncated: Bool

        static let example = WhereUsed(
            part: "T2-CTRL-EDR1", name: "Control box, 1 E-Drain basin", shippedFrom: "2026-01-01", shippedTo: "2026-12-31",
            lot: "L2026-118",
            builds: [
                Build(
                    orderId: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b", poNumber: "PO-2026-0042", customerName: "St. Michael's Hospital",
                    buildNumber: "B1001", status: .shipped, quantity: 1, shippedOn: "2026-11-30", lot: "L2026-118")
            ], truncated: false)
    }

    static func whereUsed(_ request: Request) async throws -> WhereUsed {
        try await whereUsed(try Query.read(request), request: request)
    }

    /// What the page lists; the CSV has the rest.
    static let pageLimit = 200

    /// With a ship date, only the builds shipped in those dates; without, every build, shipped or not.
    static func whereUsed(_ query: Query, request: Request, limit: Int? = limit) async throws -> WhereUsed {
        let sql = request.readDB as! any SQLDatabase
        var select = sql.select()
            .column(SQLColumn("order_id", table: "b")).column(SQLColumn("build_number", table: "b")).column(SQLColumn("status", table: "b"))
            .column(SQLColumn("po_number", table: "o")).column(SQLColumn("customer_name", table: "o"))
            .column(SQLColumn("quantity", table: "p")).column(SQLColumn("shipped_on", table: "s")).column(SQLColumn("lot", table: "l"))
            .from(SQLAlias(SQLIdentifier(BuildPart.schema), as: SQLIdentifier("p")))
            .join(
                SQLAlias(SQLIdentifier(Build.schema), as: SQLIdentifier("b")), on: SQLColumn("id", table: "b"), .equal,
                SQLColumn("build_id", table: "p")
            )
            .join(
                SQLAlias(SQLIdentifier(Order.schema), as: SQLIdentifier("o")), on: SQLColumn("id", table: "o"), .equal,
                SQLColumn("order_id", table: "b")
            )
            .join(
                SQLAlias(SQLIdentifier(ShipmentBuild.schema), as: SQLIdentifier("sb")), method: SQLJoinMethod.left,
                on: SQLColumn("build_number", table: "sb"), .equal, SQLColumn("build_number", table: "b")
            )
            .join(
                SQLAlias(SQLIdentifier(Shipment.schema), as: SQLIdentifier("s")), method: SQLJoinMethod.left,
                on: SQLColumn("id", table: "s"), .equal, SQLColumn("shipment_id", table: "sb")
            )
            // The lot the build holds now: the row no correction superseded.
            .join(
                SQLAlias(SQLIdentifier(BuildLot.schema), as: SQLIdentifier("l")), method: SQLJoinMethod.left,
                on: SQLRaw(
                    "l.build_id = p.build_id AND l.item_id = p.part_id AND NOT EXISTS (SELECT 1 FROM build_lots n WHERE n.supersedes_id = l.id)"
                )
            )
            .where(SQLColumn("part_id", table: "p"), .equal, SQLBind(query.part))
        // Capitals or not, as a person reads a label aloud (the same on both databases).
        if let lot = query.lot {
            select = select.where(SQLFunction("UPPER", args: SQLColumn("lot", table: "l")), .equal, SQLBind(lot.uppercased()))
        }
        if let from = query.shippedFrom { select = select.where(SQLColumn("shipped_on", table: "s"), .greaterThanOrEqual, SQLBind(from)) }
        if let to = query.shippedTo { select = select.where(SQLColumn("shipped_on", table: "s"), .lessThanOrEqual, SQLBind(to)) }
        select = select.orderBy(SQLColumn("po_number", table: "o")).orderBy(SQLColumn("build_number", table: "b"))
        if let limit { select = select.limit(limit + 1) }
        let rows = try await select.all()
        let builds = try rows.prefix(limit ?? rows.count).map { row in
            WhereUsed.Build(
                orderId: try row.decode(column: "order_id", as: UUID.self).uuidString.lowercased(),
                poNumber: try row.decode(column: "po_number", as: String.self),
                customerName: try row.decode(column: "customer_name", as: String.self),
                buildNumber: try row.decode(column: "build_number", as: String.self),
                status: try row.decode(column: "status", as: OrderStatus.self), quantity: try row.decode(column: "quantity", as: Int.self),
                shippedOn: try row.decode(column: "shipped_on", as: String?.self), lot: try row.decode(column: "lot", as: String?.self))
        }
        return WhereUsed(
            part: query.part, name: request.application.catalogStore.snapshot.catalog.name(of: query.part), shippedFrom: query.shippedFrom,
            shippedTo: query.shippedTo, lot: query.lot, builds: builds, truncated: rows.count > builds.count)
    }

    /// The same list as CSV, every build of it, its export audited.
    static func whereUsedCSV(_ request: Request) async throws -> Response {
        let found = try await whereUsed(try Query.read(request), request: request, limit: nil)
        var text = CSV.row(["PO number", "Customer", "Build", "Status", "Quantity", "Shipped on", "Lot"])
        for build in found.builds {
            text += CSV.row([
                build.poNumber, build.customerName, build.buildNumber, build.status.rawValue, String(build.quantity), build.shippedOn ?? "",
                build.lot ?? "",
            ])
        }
        try await AuditLog.recordExport(
            request, resourceType: "part", resourceID: found.part,
            details: [JSONMember("export", "where-used"), JSONMember("builds", .number(Double(found.builds.count)))]
                + [("lot", found.lot), ("shippedFrom", found.shippedFrom), ("shippedTo", found.shippedTo)].compactMap { name, value in
                    value.map { JSONMember(name, .string($0)) }
                })
        return Response.download(Data(text.utf8), type: "text/csv; charset=utf-8", filename: "\(found.part)-where-used.csv")
    }
}
