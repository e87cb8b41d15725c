/// Which top-level BOM lines each production task consumes, by the
/// production checklist's item ids (per-basin items share their prefix).
public enum AssemblyTasks {
    static let parts: [(itemPrefix: String, bomPrefixes: [String])] = [
        ("production.ohl-bracket", ["T2-OHL-MDRD-KIT"]),
        ("production.faucets", ["T2-OA-STD-FAUCET-WB-KIT", "T2-OA-PRE-RINSE-FAUCET-KIT", "T2-OA-DI-GOOSENECK-FAUCET-KIT"]),
        ("production.lifter-", ["T2-DL27-KIT", "T2-DL14-KIT", "T2-LC1-KIT", "T2-DL27-FH-KIT", "T2-DL14-FH-KIT"]),
        ("production.control-boxes", ["T2-CTRL-"]),
        ("production.air-gun", ["T2-OA-AIRGUN-"]),
        ("production.water-gun", ["T2-OA-WATERGUN-"]),
        ("production.di-faucet", ["T2-OA-DI-GOOSENECK-FAUCET-KIT"]),
        ("production.combo-faucet", ["T2-OA-PRE-RINSE-FAUCET-KIT"]),
        ("production.edr.", ["T2-BSN-EDR-KIT"]),
        ("production.esk.", ["T2-BSN-ESK-KIT", "T2-BSN-ESK-DI-KIT"]),
    ]

    /// The BOM's top-level lines a task consumes.
    public static func parts(for templateItemID: String, in bom: BOMDocument) -> [BOMItem] {
        guard let rule = parts.first(where: { templateItemID.hasPrefix($0.itemPrefix) }) else { return [] }
        return bom.items.filter { item in rule.bomPrefixes.contains { item.id.hasPrefix($0) } }
    }
}
