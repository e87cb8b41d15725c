/// The accessory list of bom-rules.md §4: what a coordinator may add to a
/// sink, by Torvan item number, offered in four groups.
public enum Accessories {
    public struct Entry: Sendable, Hashable {
        public let itemNumber: String
        public let id: String

        /// The group is the item number's first part: `702` of `702.4`.
        public var group: Group {
            Group(rawValue: String(itemNumber.prefix { $0 != "." }))!
        }
    }

    public enum Group: String, Sendable, Hashable, CaseIterable {
        case basketsBinsShelves = "702"
        case holdersPlatesHangers = "703"
        case lighting = "704"
        case electronicDigital = "705"

        public var title: String {
            switch self {
            case .basketsBinsShelves: "Baskets, bins & shelves"
            case .holdersPlatesHangers: "Holders, plates & hangers"
            case .lighting: "Lighting"
            case .electronicDigital: "Electronic & digital"
            }
        }
    }

    public static let all: [Entry] = [
        ("702.4", "T-OA-BINRAIL-24-KIT"), ("702.5", "T-OA-BINRAIL-36-KIT"), ("702.6", "T-OA-BINRAIL-48-KIT"),
        ("702.7", "T-OA-PFW1236FM-KIT"), ("702.8", "T-OA-PFW1218FM-KIT"), ("702.9", "T-OA-PFW1818FM-KIT"),
        ("702.10", "T-OA-SSSHELF-1812"), ("702.11", "T-OA-SSSHELF-1812-BOLT-ON-KIT"), ("702.12", "T-OA-SSSHELF-3612"),
        ("702.13", "T-OA-SSSHELF-3612-BOLT-ON-KIT"), ("702.14", "T2-OHL-INSTRO-KIT"), ("702.15", "T-OA-B110505"),
        ("702.16", "T-OA-B110807"), ("702.17", "T-OA-B111105"), ("702.18", "B210-BLUE"), ("702.19", "T2-OA-LT-SSSHELF-LRG"),
        ("702.20", "T2-OA-LT-SSSHELF-SML"), ("702.21", "T-OA-SSSHELF-LGHT-1812-KIT"), ("702.22", "T-OA-SSSHELF-LGHT-3612-KIT"),
        ("702.23", "T2-OA-CUST-SHELF-HA-SML"), ("702.24", "T2-OA-CUST-SHELF-HA-LRG"), ("702.25", "T-OA-RAIL-SHELF-ADDER-SML"),
        ("702.26", "T-OA-RAIL-SHELF-ADDER-LRG"), ("702.27", "T-OA-FOOTREST-RAIL-KIT"), ("702.28", "T2-OA-DOSINGESK-BTMSHELF"),
        ("703.29", "T-OA-1BRUSH-ORG-PB-KIT"), ("703.30", "T-OA-6BRUSH-ORG-PB-KIT"), ("703.31", "T-OA-WRK-FLW-PB"),
        ("703.32", "T-OA-PPRACK-2066"), ("703.33", "T-OA-PB-SS-1L-SHLF"), ("703.34", "T-OA-PB-SS-2G-SHLF"),
        ("703.35", "T-OA-PB-SS-1GLOVE"), ("703.36", "T-OA-PB-SS-2GLOVE"), ("703.37", "T-OA-PB-SS-3GLOVE"),
        ("703.38", "T2-OA-SC-2020-SS"), ("703.39", "T2-OA-SC-2420-SS"), ("703.40", "T2-OA-SC-3020-SS"), ("703.41", "T2-AER-TUBEORG"),
        ("704.42", "T-OA-MLIGHT-PB-KIT"), ("704.43", "T-OA-DIM-MLIGHT-PB-KIT"), ("704.44", "T-OA-TASKLIGHT-PB"),
        ("704.45", "T-OA-TASKLIGHT-PB-MAG-KIT"), ("705.46", "T-OA-MNT-ARM"), ("705.47", "T-OA-MNT-ARM-1EXT"),
        ("705.48", "T-OA-MNT-ARM-2EXT"), ("705.49", "T-OA-KB-MOUSE-ARM"), ("705.50", "T-OA-2H-CPUSM"), ("705.51", "T-OA-2H-CPULG"),
        ("705.52", "T-OA-2H-CPUUV"), ("705.53", "T-OA-MMA-PB"), ("705.54", "T-OA-MMA-DUAL"), ("705.55", "T-OA-MMA-LTAB"),
        ("705.56", "T-OA-MMA-LAP"), ("705.57", "T-OA-MNT-SINGLE-COMBO-PB"),
    ].map { Entry(itemNumber: $0.0, id: $0.1) }

    public static let byId: [String: Entry] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}
