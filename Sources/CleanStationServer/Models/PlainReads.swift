import CleanStationCore
import Fluent
import Foundation
import SQLKit

extension Order {
    /// Every column of an order and of a build (`PlainReadsTests` checks them against the models' fields).
    static let columns = [
        "id", "po_number", "customer_name", "project_name", "sales_person", "customer_contact", "want_date", "language", "notes",
        "sink_family", "status", "status_breakdown", "search_text", "build_numbers", "created_by", "created_at", "updated_at",
    ]
    static let buildColumns = [
        "id", "order_id", "position", "build_number", "configuration", "bom", "bom_approved_by", "bom_approved_at", "claimed_by",
        "claimed_at", "status", "bom_rejection",
    ]

    /// An order and its builds in plain SQL, as the order's pages and its detail read them on every view:
    /// Fluent's `with(\.$builds)` read both by reflection, a few hundred microseconds of CPU a query (issue 20).
    /// Without `bom`, the builds' BOMs (kilobytes each) are not read, and a build's `bom` must not be used.
    static func read(_ id: UUID, bom: Bool, on database: any Database) async throws -> Order? {
        let sql = database as! any SQLDatabase
        let builds = buildColumns.filter { bom || $0 != "bom" }
        async let buildsRead = sql.raw("SELECT \(columns: builds) FROM builds WHERE order_id = \(bind: id)").all()
        guard let order = try await read(id, on: database) else { return nil }
        order.$builds.value = try await buildsRead.map { try Build(row: $0, bom: bom) }
        return order
    }

    /// The order alone, in plain SQL (its builds are not read). Only for reading, as every plain read here: a model
    /// read so has each field set, and saving it would write them all; a change is made to a model read again under
    /// the order's lock.
    static func read(_ id: UUID, on database: any Database) async throws -> Order? {
        let sql = database as! any SQLDatabase
        guard let row = try await sql.raw("SELECT \(columns: columns) FROM orders WHERE id = \(bind: id)").first() else { return nil }
        let order = Order()
        order.id = try row.decode(column: "id", as: UUID.self)
        order.$id.exists = true
        order.poNumber = try row.decode(column: "po_number", as: String.self)
        order.customerName = try row.decode(column: "customer_name", as: String.self)
        order.projectName = try row.decode(column: "project_name", as: String?.self)
        order.salesPerson = try row.decode(column: "sales_person", as: String.self)
        order.customerContact = try row.decode(column: "customer_contact", as: String?.self)
        order.wantDate = try row.decode(column: "want_date", as: String.self)
        order.language = try row.code("language")
        order.notes = try row.decode(column: "notes", as: String.self)
        order.sinkFamily = try row.code("sink_family")
        order.status = try row.code("status")
        order.statusBreakdown = try row.decode(column: "status_breakdown", as: String?.self)
        order.searchText = try row.decode(column: "search_text", as: String.self)
        order.buildNumbers = try row.decode(column: "build_numbers", as: String.self)
        order.$createdBy.id = try row.decode(column: "created_by", as: UUID.self)
        order.createdAt = try row.decode(column: "created_at", as: Date?.self)
        order.updatedAt = try row.decode(column: "updated_at", as: Date?.self)
        return order
    }
}

extension Build {
    /// The build `number` of order `orderID`, with its BOM, in plain SQL: every build's checklist, task page and API
    /// call starts here. Only for reading (see `Order.read(_:on:)`).
    static func read(order orderID: UUID, number: String, on database: any Database) async throws -> Build? {
        let sql = database as! any SQLDatabase
        let found = try await sql.raw(
            "SELECT \(columns: Order.buildColumns) FROM builds WHERE order_id = \(bind: orderID) AND build_number = \(bind: number)"
        ).first()
        return try found.map { try Build(row: $0, bom: true) }
    }

    /// A build from a row of `Order.buildColumns` (without `bom` when `bom` is false).
    fileprivate convenience init(row: any SQLRow, bom: Bool) throws {
        self.init()
        id = try row.decode(column: "id", as: UUID.self)
        $id.exists = true
        $order.id = try row.decode(column: "order_id", as: UUID.self)
        position = try row.decode(column: "position", as: Int.self)
        buildNumber = try row.decode(column: "build_number", as: String.self)
        configuration = try row.decode(column: "configuration", as: String.self)
        if bom { self.bom = try row.decode(column: "bom", as: String.self) }
        $bomApprovedBy.id = try row.decode(column: "bom_approved_by", as: UUID?.self)
        bomApprovedAt = try row.decode(column: "bom_approved_at", as: Date?.self)
        $claimedBy.id = try row.decode(column: "claimed_by", as: UUID?.self)
        claimedAt = try row.decode(column: "claimed_at", as: Date?.self)
        status = try row.code("status")
        bomRejection = try row.decode(column: "bom_rejection", as: String?.self)
    }
}

extension ChecklistTemplateRecord {
    static let columns = ["id", "kind", "version", "definition", "retired_at", "created_at"]

    /// The template a build's checklist of `kind` uses, in one plain read: the version pinned to the build, or else
    /// the newest version in use; and whether it was pinned. Only for reading (see `Order.read(_:on:)`).
    static func read(
        for buildID: UUID, _ kind: ChecklistKind, on database: any Database
    ) async throws -> (ChecklistTemplateRecord, pinned: Bool)? {
        let sql = database as! any SQLDatabase
        // Each column named with AS: SQLite leaves the name of a result column without one unspecified.
        let pinnedColumns = columns.map { "t.\"\($0)\" AS \"\($0)\"" }.joined(separator: ", ")
        guard
            let row = try await sql.raw(
                """
                SELECT \(columns: columns + ["pinned"]) FROM (
                SELECT \(unsafeRaw: pinnedColumns), 1 AS pinned FROM checklist_pins p JOIN checklist_templates t ON t.id = p.template_id
                WHERE p.build_id = \(bind: buildID) AND p.kind = \(bind: kind.rawValue)
                UNION ALL
                SELECT \(columns: columns), 0 AS pinned FROM checklist_templates WHERE kind = \(bind: kind.rawValue) AND retired_at IS NULL
                ) AS found ORDER BY pinned DESC, version DESC LIMIT 1
                """
            ).first()
        else { return nil }
        let record = ChecklistTemplateRecord()
        record.id = try row.decode(column: "id", as: UUID.self)
        record.$id.exists = true
        record.kind = try row.code("kind")
        record.version = try row.decode(column: "version", as: Int.self)
        record.definition = try row.decode(column: "definition", as: String.self)
        record.retiredAt = try row.decode(column: "retired_at", as: Date?.self)
        record.createdAt = try row.decode(column: "created_at", as: Date?.self)
        return (record, try row.decode(column: "pinned", as: Int.self) == 1)
    }
}
