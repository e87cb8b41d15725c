import CleanStationCore
import Fluent
import Foundation
import SQLKit

/// Serial-number search (issue 18): every serial number the signed results
/// hold, indexed by its search key, filled from the results already signed
/// in the migration's one transaction. Appended with each signing, never
/// rewritten.
struct CreateSerialNumbers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(SerialNumber.schema)
                .id()
                .field("result_id", .uuid, .required, .references(ChecklistResult.schema, "id"))
                .field("order_id", .uuid, .required, .references(Order.schema, "id"))
                .field("build_number", .string, .required)
                .field("kind", .string, .required)
                .field("item_id", .string, .required)
                .field("label", .string, .required)
                .field("value", .string, .required)
                .field("search_key", .string, .required)
                .field("signed_at", .datetime, .required)
                .create()
            let sql = transaction as! any SQLDatabase
            // A search is a range on the key (`TraceabilityController.serials`): in code-point order whatever the
            // database's locale, or a key with punctuation would fall outside it under en_US's rules.
            if sql.dialect.name == "postgresql" {
                try await sql.raw("ALTER TABLE serial_numbers ALTER COLUMN search_key TYPE text COLLATE \"C\"").run()
            }
            try await sql.create(index: "serial_numbers_by_key").on(SerialNumber.schema).column("search_key").run()
            try await sql.create(index: "serial_numbers_result_id").on(SerialNumber.schema).column("result_id").run()
            try await Self.fill(on: transaction)
        }
    }

    /// The serial numbers of every stored result, 500 at a time after the last id, read and written by the
    /// columns this migration knows (not the models, whose later fields it must not depend on).
    static func fill(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        var templates: [String: ChecklistTemplate] = [:]
        for row in try await sql.select().columns("id", "definition").from("checklist_templates").all() {
            let id = try row.decode(column: "id", as: UUID.self).uuidString.lowercased()
            templates[id] = try JSONDecoder().decode(
                ChecklistTemplate.self, from: Data(try row.decode(column: "definition", as: String.self).utf8))
        }
        var last: UUID?
        while true {
            var select = sql.select().columns("id", "order_id", "build_number", "template_id", "kind", "record", "signed_at")
                .from("checklist_results").orderBy("id").limit(500)
            if let last { select = select.where("id", .greaterThan, last) }
            let rows = try await select.all()
            guard !rows.isEmpty else { return }
            var found: [[any Encodable & Sendable]] = []
            for row in rows {
                let template = templates[try row.decode(column: "template_id", as: UUID.self).uuidString.lowercased()]
                let record = try JSONParser.parse(Data(try row.decode(column: "record", as: String.self).utf8))
                guard let template, let kind = ChecklistKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
                for serial in template.serials(in: record) {
                    let values: [any Encodable & Sendable] = [
                        UUID(), try row.decode(column: "id", as: UUID.self), try row.decode(column: "order_id", as: UUID.self),
                        try row.decode(column: "build_number", as: String.self), kind.rawValue, serial.itemID, serial.label, serial.value,
                        RecordedSerial.key(serial.value), try row.decode(column: "signed_at", as: Date.self),
                    ]
                    found.append(values)
                }
            }
            // 500 rows (5,000 values) an insert: under both databases' limits on bound values.
            for chunk in stride(from: 0, to: found.count, by: 500) {
                var insert = sql.insert(into: "serial_numbers").columns(
                    "id", "result_id", "order_id", "build_number", "kind", "item_id", "label", "value", "search_key", "signed_at")
                for values in found[chunk..<min(chunk + 500, found.count)] { insert = insert.values(values.map { SQLBind($0) }) }
                try await insert.run()
            }
            last = try rows.last!.decode(column: "id", as: UUID.self)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("serial_numbers").delete()
    }
}
