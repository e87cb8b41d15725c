import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// Serial-number search (issue 18): which build holds a touchscreen, a valve
/// plate, a control box or a dosing pump, from the serial numbers its signed
/// checklists recorded (`serial_numbers`). A number and the numbers it
/// starts, capitals or not.
extension TraceabilityController {
    struct SerialSearch: APIResponse {
        struct Match: Encodable, Sendable {
            /// As recorded.
            var serial: String
            /// The checklist item that recorded it, with its basin.
            var item: String
            var checklist: ChecklistKind
            var orderId: String
            var poNumber: String
            var customerName: String
            var buildNumber: String
            var status: OrderStatus
            var resultId: String
            var signedAt: String
            /// False when a later result of the same checklist superseded the one that recorded it.
            var current: Bool
        }

        var serial: String
        var matches: [Match]
        var truncated: Bool
        /// Rows of the index that their signed record does not bear out (written behind the application): left out.
        var notBelieved: Int

        static let example = SerialSearch(
            serial: "TS7-0042",
            matches: [
                Match(
                    serial: "TS7-00421", item: "Touchscreen serial number (T2-TS7) (basin 1)", checklist: .eolTest,
                    orderId: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b", poNumber: "PO-2026-0042", customerName: "St. Michael's Hospital",
                    buildNumber: "B1001", status: .shipped, resultId: "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f",
                    signedAt: "2026-11-28T14:02:11.000Z",
                    current: true)
            ], truncated: false, notBelieved: 0)
    }

    static let serialLimit = 200

    /// `GET /api/v1/serial-numbers?serial=…`.
    static func serials(_ request: Request) async throws -> SerialSearch {
        let typed = request.query[String.self, at: "serial"] ?? ""
        let key = RecordedSerial.key(typed)
        guard (1...100).contains(key.count) else {
            throw APIError.validation([FieldError(field: "serial", message: "enter a serial number, or its first characters")])
        }
        return try await serials(startingWith: key, on: request.readDB)
    }

    static func serials(startingWith key: String, on database: any Database) async throws -> SerialSearch {
        let sql = database as! any SQLDatabase
        // A range on the index: every key that starts with `key` sorts at or after it and before it followed by the last character.
        let rows = try await sql.select()
            .columns(
                SQLColumn("value", table: "n"), SQLColumn("label", table: "n"), SQLColumn("kind", table: "n"),
                SQLColumn("order_id", table: "n"),
                SQLColumn("build_number", table: "n"), SQLColumn("result_id", table: "n"), SQLColumn("signed_at", table: "n"),
                SQLColumn("search_key", table: "n"), SQLColumn("item_id", table: "n"), SQLColumn("po_number", table: "o"),
                SQLColumn("customer_name", table: "o"),
                SQLColumn("status", table: "b")
            )
            .from(SQLAlias(SQLIdentifier(SerialNumber.schema), as: SQLIdentifier("n")))
            .join(
                SQLAlias(SQLIdentifier(Order.schema), as: SQLIdentifier("o")), on: SQLColumn("id", table: "o"), .equal,
                SQLColumn("order_id", table: "n")
            )
            .join(
                SQLAlias(SQLIdentifier(Build.schema), as: SQLIdentifier("b")), on: SQLColumn("build_number", table: "b"), .equal,
                SQLColumn("build_number", table: "n")
            )
            .where(SQLColumn("search_key", table: "n"), .greaterThanOrEqual, SQLBind(key))
            .where(SQLColumn("search_key", table: "n"), .lessThan, SQLBind(key + "\u{10FFFF}"))
            .orderBy(SQLColumn("search_key", table: "n")).orderBy(SQLColumn("signed_at", table: "n"), SQLDirection.descending)
            .limit(serialLimit + 1).all()
        let found = try rows.filter { try $0.decode(column: "search_key", as: String.self).hasPrefix(key) }
        let listed = Array(found.prefix(serialLimit))
        // Each row against the signed record it names: the record holds, and records this value for this item of this build.
        let seal = try database.recordSeal
        let listedIDs = Set(try listed.map { try $0.decode(column: "result_id", as: UUID.self) })
        let results = listedIDs.isEmpty ? [] : try await ChecklistResult.query(on: database).filter(\.$id ~~ listedIDs).all()
        let templateIDs = Set(results.map { $0.$template.id })
        let templates = templateIDs.isEmpty ? [] : try await ChecklistTemplateRecord.query(on: database).filter(\.$id ~~ templateIDs).all()
        var recorded: Set<String> = []
        for result in results {
            guard case .success(let record) = result.signedRecord(checkedWith: seal),
                let template = try templates.first(where: { $0.id == result.$template.id })?.template()
            else { continue }
            for serial in template.serials(in: record) {
                recorded.insert("\(result.id!) \(result.buildNumber) \(serial.itemID) \(serial.value)")
            }
        }
        let shown = try listed.filter { row in
            recorded.contains(
                "\(try row.decode(column: "result_id", as: UUID.self)) \(try row.decode(column: "build_number", as: String.self)) "
                    + "\(try row.decode(column: "item_id", as: String.self)) \(try row.decode(column: "value", as: String.self))")
        }
        let resultIDs = try shown.map { try $0.decode(column: "result_id", as: UUID.self) }
        let superseded =
            resultIDs.isEmpty
            ? Set<UUID>()
            : Set(
                try await sql.select().column("supersedes_id").from(ChecklistResult.schema).where("supersedes_id", .in, resultIDs).all()
                    .compactMap { try $0.decode(column: "supersedes_id", as: UUID?.self) })
        let matches = try shown.map { row in
            let result = try row.decode(column: "result_id", as: UUID.self)
            return SerialSearch.Match(
                serial: try row.decode(column: "value", as: String.self), item: try row.decode(column: "label", as: String.self),
                checklist: try row.decode(column: "kind", as: ChecklistKind.self),
                orderId: try row.decode(column: "order_id", as: UUID.self).uuidString.lowercased(),
                poNumber: try row.decode(column: "po_number", as: String.self),
                customerName: try row.decode(column: "customer_name", as: String.self),
                buildNumber: try row.decode(column: "build_number", as: String.self),
                status: try row.decode(column: "status", as: OrderStatus.self), resultId: result.uuidString.lowercased(),
                signedAt: AuditLog.timestamp(try row.decode(column: "signed_at", as: Date.self)), current: !superseded.contains(result))
        }
        return SerialSearch(
            serial: key, matches: matches, truncated: found.count > listed.count, notBelieved: listed.count - shown.count)
    }
}
