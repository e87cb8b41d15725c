extension Catalog {
    /// The minimal catalogue compiled into the product: every id that the
    /// rules of bom-rules.md §3 and the accessory list of §4 name, with a
    /// descriptive name, and of the kits only the components the checklists
    /// ask about (`CatalogParts`), so that a build's checklists follow what
    /// it physically has before the customer's catalogue is imported. It lets
    /// a fresh installation configure sinks and print top-level BOMs; the
    /// customer's catalogue, once given, replaces it.
    public static let builtIn: Catalog = {
        var catalog = Catalog()
        for (id, name) in builtInNames {
            if id.hasSuffix("-KIT") || id.hasPrefix("T2-BODY-") || id.hasPrefix("T2-CTRL-") {
                catalog.assemblies[id] = CatalogAssembly(
                    id: id, name: name, type: id.hasSuffix("-KIT") ? .kit : .complex,
                    components: (builtInComponents[id] ?? []).map { CatalogComponent(partId: $0, quantity: 1) })
            } else {
                catalog.parts[id] = CatalogPart(id: id, name: name)
            }
        }
        for (id, name) in builtInPartNames { catalog.parts[id] = CatalogPart(id: id, name: name) }
        return catalog
    }()

    typealias Parts = CatalogParts

    /// What the checklists need to know of each kit.
    static let builtInComponents: [String: [String]] = [
        "T2-BSN-EDR-KIT": [Parts.eDrainBottomFill, Parts.drainButton, Parts.overflowSensor, Parts.eDrainTemperatureKit],
        "T2-BSN-ESK-KIT": [
            Parts.eSinkValvePlate, Parts.eSinkTemperatureKit, Parts.dosingPump, Parts.dosingTubeset, Parts.touchscreen,
            Parts.emergencyStop, Parts.overflowSensor,
        ],
        "T2-BSN-ESK-DI-KIT": [Parts.diValvePlate, Parts.touchscreen, Parts.emergencyStop, Parts.overflowSensor],
        "T2-DL27-KIT": [Parts.lifterControlBox, Parts.lifterButtonDPF1K, Parts.lifterButtonDPF1C],
        "T2-DL14-KIT": [Parts.lifterControlBox, Parts.lifterButtonDPF1C], "T2-LC1-KIT": [Parts.lifterControlBox, Parts.lifterButtonDPF1C],
        "T2-OA-BASIN-LIGHT-EDR-KIT": [Parts.basinLight, Parts.basinLightButton], "T2-OA-BASIN-LIGHT-ESK-KIT": [Parts.basinLight],
        "T2-OA-AIRGUN-TURRET-KIT": [Parts.airGunTurretValve, Parts.airGunTurretFitting],
        "T2-OA-WATERGUN-TURRET-KIT": [Parts.waterGunTurretValve, Parts.waterGunTurretFitting],
    ]

    static let builtInPartNames: [String: String] = [
        Parts.eDrainBottomFill: "Bottom fill with mixing valve", Parts.drainButton: "Drain button",
        Parts.overflowSensor: "In-basin overflow sensor", Parts.eDrainTemperatureKit: "E-Drain temperature monitoring kit",
        Parts.eSinkValvePlate: "E-Sink temperature mixing and filling plate",
        Parts.eSinkTemperatureKit: "E-Sink basin temperature probe kit",
        Parts.dosingPump: "Dosing pump module", Parts.dosingTubeset: "Dosing pump tubeset", Parts.touchscreen: "E-Sink touchscreen",
        Parts.emergencyStop: "Emergency stop button", Parts.diValvePlate: "DI water valve plate (no temperature control)",
        Parts.lifterControlBox: "Lifter control box, 4 channels", Parts.basinLight: "In-basin LED light",
        Parts.basinLightButton: "Basin light button", Parts.lifterButtonDPF1K: "Lifter button DPF1K, up/down",
        Parts.lifterButtonDPF1C: "Lifter button DPF1C, programmable", Parts.airGunTurretValve: "Air gun turret valve",
        Parts.airGunTurretFitting: "Air gun turret fitting", Parts.waterGunTurretValve: "Water gun turret valve",
        Parts.waterGunTurretFitting: "Water gun turret fitting",
    ]

    static let builtInNames: [String: String] = [
        "T2-BODY-48-60-HA": "Sink body, height adjustable, for lengths 48–60 in",
        "T2-BODY-61-72-HA": "Sink body, height adjustable, for lengths 61–72 in",
        "T2-BODY-73-120-HA": "Sink body, height adjustable, for lengths 73–120 in",
        "T2-DL27-KIT": "Height-adjustable column kit, DL27",
        "T2-DL14-KIT": "Height-adjustable column kit, DL14",
        "T2-LC1-KIT": "Height-adjustable triple column kit, LC1",
        "T2-DL27-FH-KIT": "Fixed-height column kit, DL27",
        "T2-DL14-FH-KIT": "Fixed-height column kit, DL14",
        "T2-LEVELING-CASTOR-475": "Levelling casters, 4.75 in (set)",
        "T2-SEISMIC-FEET": "Seismic feet, stainless steel (set)",
        "T2-OHL-MDRD-KIT": "Overhead LED light with housing and bracket",
        "T2-ADW-PB-PERF-KIT": "Perforated pegboard kit",
        "T2-ADW-PB-SOLID-KIT": "Solid pegboard kit",
        "T-OA-PB-COLOR": "Pegboard colour component",
        "T2-ADW-PB-3436": "Pegboard 34 × 36 in (sinks 34–47 in)",
        "T2-ADW-PB-4836": "Pegboard 48 × 36 in (sinks 48–59 in)",
        "T2-ADW-PB-6036": "Pegboard 60 × 36 in (sinks 60–71 in)",
        "T2-ADW-PB-7236": "Pegboard 72 × 36 in (sinks 72–83 in)",
        "T2-ADW-PB-8436": "Pegboard 84 × 36 in (sinks 84–95 in)",
        "T2-ADW-PB-9636": "Pegboard 96 × 36 in (sinks 96–107 in)",
        "T2-ADW-PB-10836": "Pegboard 108 × 36 in (sinks 108–119 in)",
        "T2-ADW-PB-12036": "Pegboard 120 × 36 in (sinks 120–130 in)",
        "T2-BSN-ESK-KIT": "E-Sink basin kit with automated dosing",
        "T2-BSN-ESK-DI-KIT": "E-Sink basin kit for DI water",
        "T2-BSN-EDR-KIT": "E-Drain basin kit with overflow protection",
        "T2-ADW-BASIN20X20X8": "Basin 20 × 20 × 8 in",
        "T2-ADW-BASIN24X20X8": "Basin 24 × 20 × 8 in",
        "T2-ADW-BASIN24X20X10": "Basin 24 × 20 × 10 in",
        "T2-ADW-BASIN30X20X8": "Basin 30 × 20 × 8 in",
        "T2-ADW-BASIN30X20X10": "Basin 30 × 20 × 10 in",
        "T2-CTRL-EDR1": "Control box, 1 E-Drain basin",
        "T2-CTRL-ESK1": "Control box, 1 E-Sink basin",
        "T2-CTRL-EDR1-ESK1": "Control box, 1 E-Drain and 1 E-Sink basin",
        "T2-CTRL-EDR2": "Control box, 2 E-Drain basins",
        "T2-CTRL-ESK2": "Control box, 2 E-Sink basins",
        "T2-CTRL-EDR3": "Control box, 3 E-Drain basins",
        "T2-CTRL-ESK3": "Control box, 3 E-Sink basins",
        "T2-CTRL-EDR1-ESK2": "Control box, 1 E-Drain and 2 E-Sink basins",
        "T2-CTRL-EDR2-ESK1": "Control box, 2 E-Drain and 1 E-Sink basin",
        "T2-OA-MS-1026": "P-trap disinfection drain unit",
        "T2-OA-BASIN-LIGHT-EDR-KIT": "Basin light with push button (E-Drain)",
        "T2-OA-BASIN-LIGHT-ESK-KIT": "Basin light (E-Sink)",
        "T2-OA-STD-FAUCET-WB-KIT": "Wrist-blade faucet kit",
        "T2-OA-PRE-RINSE-FAUCET-KIT": "Pre-rinse spray faucet kit",
        "T2-OA-DI-GOOSENECK-FAUCET-KIT": "DI water gooseneck faucet kit",
        "T2-OA-WATERGUN-TURRET-KIT": "DI water gun kit with turret",
        "T2-OA-WATERGUN-ROSETTE-KIT": "DI water gun kit with rosette",
        "T2-OA-AIRGUN-TURRET-KIT": "Air gun kit with turret",
        "T2-OA-AIRGUN-ROSETTE-KIT": "Air gun kit with rosette",
        "T2-STD-MANUAL-EN-KIT": "Sink manual and site preparation, English",
        "T2-STD-MANUAL-FR-KIT": "Sink manual and site preparation, French",
        "T2-STD-MANUAL-SP-KIT": "Sink manual and site preparation, Spanish",
        "T-OA-BINRAIL-24-KIT": "Bin rail kit, 24 in",
        "T-OA-BINRAIL-36-KIT": "Bin rail kit, 36 in",
        "T-OA-BINRAIL-48-KIT": "Bin rail kit, 48 in",
        "T-OA-PFW1236FM-KIT": "Wire basket kit, 36 × 12 in",
        "T-OA-PFW1218FM-KIT": "Wire basket kit, 18 × 12 in",
        "T-OA-PFW1818FM-KIT": "Wire basket kit, 18 × 18 in",
        "T-OA-SSSHELF-1812": "Stainless slot shelf, 18 × 12 in",
        "T-OA-SSSHELF-1812-BOLT-ON-KIT": "Stainless bolt-on shelf kit, 18 × 12 in (solid pegboard)",
        "T-OA-SSSHELF-3612": "Stainless slot shelf, 36 × 12 in",
        "T-OA-SSSHELF-3612-BOLT-ON-KIT": "Stainless bolt-on shelf kit, 36 × 12 in (solid pegboard)",
        "T2-OHL-INSTRO-KIT": "Overhead light shelf with LED (InstroSink)",
        "T-OA-B110505": "Stacking bin, blue, small",
        "T-OA-B110807": "Stacking bin, blue, medium",
        "T-OA-B111105": "Stacking bin, blue, wide",
        "B210-BLUE": "Plastic bin, blue",
        "T2-OA-LT-SSSHELF-LRG": "Leak tester shelf, large scope",
        "T2-OA-LT-SSSHELF-SML": "Leak tester shelf, small scope",
        "T-OA-SSSHELF-LGHT-1812-KIT": "Stainless slot shelf with underlight kit, 18 × 12 in",
        "T-OA-SSSHELF-LGHT-3612-KIT": "Stainless slot shelf with underlight kit, 36 × 12 in",
        "T2-OA-CUST-SHELF-HA-SML": "Bottom shelf adder, height adjustable, under 84 in",
        "T2-OA-CUST-SHELF-HA-LRG": "Bottom shelf adder, height adjustable, over 84 in",
        "T-OA-RAIL-SHELF-ADDER-SML": "Rail shelf adder, under 84 in",
        "T-OA-RAIL-SHELF-ADDER-LRG": "Rail shelf adder, over 84 in",
        "T-OA-FOOTREST-RAIL-KIT": "Foot rest rail kit",
        "T2-OA-DOSINGESK-BTMSHELF": "Dosing pump bottom shelf",
        "T-OA-1BRUSH-ORG-PB-KIT": "Brush holder, single, pegboard mount",
        "T-OA-6BRUSH-ORG-PB-KIT": "Brush organiser, six brushes, pegboard mount",
        "T-OA-WRK-FLW-PB": "Workflow indicators, pegboard mount (set)",
        "T-OA-PPRACK-2066": "Peel pouch rack, stainless",
        "T-OA-PB-SS-1L-SHLF": "Bottle holder, 1 L double, stainless",
        "T-OA-PB-SS-2G-SHLF": "Detergent holder, 1 gal double, stainless",
        "T-OA-PB-SS-1GLOVE": "Glove dispenser, single, stainless",
        "T-OA-PB-SS-2GLOVE": "Glove dispenser, double, stainless",
        "T-OA-PB-SS-3GLOVE": "Glove dispenser, triple, stainless",
        "T2-OA-SC-2020-SS": "Staging cover for 20 × 20 basin",
        "T2-OA-SC-2420-SS": "Staging cover for 24 × 20 basin",
        "T2-OA-SC-3020-SS": "Staging cover for 30 × 20 basin",
        "T2-AER-TUBEORG": "AER tubing organiser",
        "T-OA-MLIGHT-PB-KIT": "Magnifying light kit, pegboard mount",
        "T-OA-DIM-MLIGHT-PB-KIT": "Dimmable magnifying light kit, pegboard mount",
        "T-OA-TASKLIGHT-PB": "LED task light, gooseneck, pegboard mount",
        "T-OA-TASKLIGHT-PB-MAG-KIT": "LED task light with magnifier kit, pegboard mount",
        "T-OA-MNT-ARM": "Monitor pivot mount, wall",
        "T-OA-MNT-ARM-1EXT": "Monitor arm, one extension",
        "T-OA-MNT-ARM-2EXT": "Monitor arm, two extensions",
        "T-OA-KB-MOUSE-ARM": "Keyboard arm with mouse tray",
        "T-OA-2H-CPUSM": "CPU holder, vertical, small",
        "T-OA-2H-CPULG": "CPU holder, vertical, large",
        "T-OA-2H-CPUUV": "CPU holder, tethered, universal",
        "T-OA-MMA-PB": "Monitor arm, single, pegboard mount",
        "T-OA-MMA-DUAL": "Dual monitor adapter",
        "T-OA-MMA-LTAB": "Locking tablet adapter",
        "T-OA-MMA-LAP": "Laptop tray adapter",
        "T-OA-MNT-SINGLE-COMBO-PB": "Keyboard and monitor combo arm, pegboard mount",
    ]
}
