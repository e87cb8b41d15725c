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
        guard
            let row = try await sql.raw("SELECT \(columns: columns) FROM orders WHERE id = \(bind: id)").first()
        else { return nil }
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
        order.$builds.value = try await buildsRead.map { row in
            let build = Build()
            build.id = try row.decode(column: "id", as: UUID.self)
            build.$id.exists = true
            build.$order.id = try row.decode(column: "order_id", as: UUID.self)
            build.position = try row.decode(column: "position", as: Int.self)
            build.buildNumber = try row.decode(column: "build_number", as: String.self)
            build.configuration = try row.decode(column: "configuration", as: String.self)
            if bom { build.bom = try row.decode(column: "bom", as: String.self) }
            build.$bomApprovedBy.id = try row.decode(column: "bom_approved_by", as: UUID?.self)
            build.bomApprovedAt = try row.decode(column: "bom_approved_at", as: Date?.self)
            build.$claimedBy.id = try row.decode(column: "claimed_by", as: UUID?.self)
            build.claimedAt = try row.decode(column: "claimed_at", as: Date?.self)
            build.status = try row.code("status")
            build.bomRejection = try row.decode(column: "bom_rejection", as: String?.self)
            return build
        }
        return order
    }
}
