import CleanStationCore
import Fluent
import Foundation
import SQLKit

/// Checklists true to the build (ADR 008): version 2 of the five templates,
/// the version each build's checklist is pinned to, drafts, the test
/// instrument register, the choice recorded with a task, and the end-of-line
/// procedures as work instructions.
///
/// Builds of orders already past `PARTS_SENT` keep the version they were
/// using: they are pinned to it before version 2 is added.
struct ChecklistsFollowTheBuild: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ChecklistPin.schema)
            .id()
            .field("build_id", .uuid, .required, .references(Build.schema, "id"))
            .field("kind", .string, .required)
            .field("template_id", .uuid, .required, .references(ChecklistTemplateRecord.schema, "id"))
            .field("pinned_at", .datetime, .required)
            .unique(on: "build_id", "kind")
            .create()
        try await database.schema(Instrument.schema)
            .id()
            .field("tag", .string, .required)
            .field("description", .string, .required)
            .field("calibration_due", .string, .required)
            .field("certificate_sha256", .string)
            .field("certificate_file_name", .string)
            .field("certificate_content_type", .string)
            .field("retired_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "tag")
            .create()
        try await database.schema(ChecklistDraft.schema)
            .id()
            .field("build_id", .uuid, .required, .references(Build.schema, "id"))
            .field("kind", .string, .required)
            .field("template_id", .uuid, .required, .references(ChecklistTemplateRecord.schema, "id"))
            .field("answers", .string, .required)
            .field("revision", .int, .required)
            .field("instrument_id", .uuid, .references(Instrument.schema, "id"))
            .field("updated_by", .uuid, .required, .references(User.schema, "id"))
            .field("updated_at", .datetime, .required)
            .unique(on: "build_id", "kind")
            .create()
        try await database.schema(TaskCompletion.schema).field("value", .string).update()
        let sql = database as! any SQLDatabase
        for (table, column) in [
            (ChecklistPin.schema, "template_id"), (ChecklistDraft.schema, "template_id"), (ChecklistDraft.schema, "instrument_id"),
            (ChecklistDraft.schema, "updated_by"),
        ] {
            try await sql.create(index: "\(table)_\(column)").on(table).column(column).run()
        }

        let now = Date()
        let records = try await ChecklistTemplateRecord.query(on: database).all()
        // Only the columns this migration knows: later ones (023's) do not exist yet.
        let inProduction = try await Order.query(on: database).filter(\.$status !~ [.orderCreated, .partsSent]).all(\.$id)
        let builds =
            inProduction.isEmpty
            ? []
            : try await sql.select().column("id").column("build_number").from(Build.schema).where("order_id", .in, inProduction).all()
                .map {
                    (id: try $0.decode(column: "id", as: UUID.self), buildNumber: try $0.decode(column: "build_number", as: String.self))
                }
        for kind in ChecklistKind.allCases {
            guard let current = records.filter({ $0.kind == kind && $0.retiredAt == nil }).max(by: { $0.version < $1.version }) else {
                continue
            }
            for build in builds {
                let pin = ChecklistPin()
                pin.$build.id = build.id
                pin.kind = kind
                let used = try await ChecklistResult.query(on: database).filter(\.$buildNumber == build.buildNumber).filter(\.$kind == kind)
                    .sort(\.$signedAt, .descending).first()
                pin.$template.id = try used?.$template.id ?? current.requireID()
                pin.pinnedAt = now
                try await pin.create(on: database)
            }
        }
        // New instantiations take version 2: the versions before it are retired (their pinned builds keep them).
        try await sql.update(ChecklistTemplateRecord.schema).set("retired_at", to: now).where("retired_at", .is, SQLLiteral.null).run()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for var template in ChecklistTemplate.seedsV2 {
            template.version = (records.filter { $0.kind == template.kind }.map(\.version).max() ?? 0) + 1
            let record = ChecklistTemplateRecord()
            record.kind = template.kind
            record.version = template.version
            record.definition = String(decoding: try encoder.encode(template), as: UTF8.self)
            try await record.create(on: database)
        }
        let defined = Set(try await WorkInstruction.query(on: database).all().map(\.taskItemID))
        for seed in Self.procedures where !defined.contains(seed.item) {
            let instruction = WorkInstruction()
            instruction.taskItemID = seed.item
            instruction.title = seed.title
            instruction.steps = JSONSerializer.string(.array(seed.steps.map { .string($0) }))
            instruction.safetyNotes = seed.note
            instruction.toolIDs = "[]"
            try await instruction.create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await WorkInstruction.query(on: database).filter(\.$taskItemID ~~ Self.procedures.map(\.item)).delete()
        try await database.schema(ChecklistDraft.schema).delete()
        try await database.schema(ChecklistPin.schema).delete()
        try await database.schema(Instrument.schema).delete()
        try await database.schema(TaskCompletion.schema).deleteField("value").update()
        let sql = database as! any SQLDatabase
        for template in ChecklistTemplate.seedsV2 {
            let versions = ChecklistTemplateRecord.query(on: database).filter(\.$kind == template.kind).sort(\.$version, .descending)
            if let newest = try await versions.first(), try newest.template().sections == template.sections {
                try await newest.delete(on: database)
            }
            // The version before it is in use again.
            if let previous = try await ChecklistTemplateRecord.query(on: database).filter(\.$kind == template.kind)
                .sort(\.$version, .descending).first()
            {
                try await sql.update(ChecklistTemplateRecord.schema).set("retired_at", to: SQLLiteral.null)
                    .where("id", .equal, previous.requireID()).run()
            }
        }
    }

    /// The end-of-line test's set-up and calibration procedures (CLT.T2.001),
    /// in our words, as work instructions of the items they serve.
    static let procedures: [(item: String, title: String, steps: [String], note: String)] = [
        (
            "eol.power-on", "Basin test set-up",
            [
                "Fit the drain assembly to each basin under test.",
                "Fit the drain solenoid and connect it to the drain and to the drain hose.",
                "Connect the valve plate (E-Sink) or the bottom-fill faucet (E-Drain) to the hot and cold water lines.",
                "E-Sink basins: free the basin temperature sensor and lay it in the basin.",
                "E-Sink basins: put one calibrated probe in the bottom fill and another near the middle of the basin, beside the basin's sensor.",
            ], "Water and mains power meet here: keep every connector dry before switching on."
        ),
        (
            "eol.esk.temperature-calibration", "Temperature calibration",
            [
                "Have ready a calibrated dual-probe thermometer (Fluke 52 II or equal) and an insulated cup.",
                "On the touchscreen's main page tap the cog (top right) and enter the configuration code 1111.",
                "Open the Temperature tab and start with the low point: tap Cold, then wait one minute.",
                "Fill the insulated cup with water; put thermometer probe T1 and the basin temperature sensor in the cup.",
                "Put thermometer probe T2 in the basin's bottom-fill outlet.",
                "Wait three minutes, until the raw sensor readings hold within ±3 units.",
                "Tap Sample in the Mixing column, Cold row, and enter the T2 reading (bottom fill).",
                "Tap Sample in the Basin column, Cold row, and enter the T1 reading (cup).",
                "Repeat both samples in the Hot row.",
                "Record the basin sensor's reading minus the thermometer's: it must be within 2 °C.",
            ], "If mixing times out, open the configuration page (1111), Mixing tab, and restore the factory parameters."
        ),
        (
            "eol.esk.flow-meter", "Flow meter calibration",
            [
                "Level the sink with its levelling feet (use a level).",
                "On the main page tap the cog and enter 1111.",
                "Turn temperature control off on the configuration page, so that the calibration does not use up the hot water.",
                "Open the Flow tab; tap Drain, check that the basin is empty, then tap Stop.",
                "Tap Reset to zero the flow meter counter.",
                "Tap Fill to start bottom filling; tap Stop when the water reaches the 40 L etched mark.",
                "Tap Mark and enter 40 litres.",
            ], ""
        ),
    ]
}
