// One file: the customer's three forms transcribed in their order, to be read
// against them line by line; split, the forms could not be.

/// Version 2 of the five checklists, line by line from the customer's forms
/// (CLP.T2.001.V01, CLT.T2.001.V01, CLQ.T2.001.V01). Each item names its
/// form line in `source`. Applicability follows what the build physically
/// has, read from its BOM where the catalogue tells it (`CatalogParts`):
/// lifter and height items only with a lifter control box (height-adjustable
/// legs), overhead-light items only with the overhead light kit (a pegboard),
/// no dosing, temperature, flow-meter or bottom-fill items on an E-Sink DI
/// basin. Manual N/A is offered only where the form prints "N/A" and the
/// build cannot tell (docs/adr/008-checklists-follow-the-build.md).
extension ChecklistTemplate {
    public static let seedsV2: [ChecklistTemplate] = [preQCV2, productionV2, eolTestV2, packagingV2, finalQCV2]

    typealias Parts = CatalogParts

    static let yesNo = ["YES": "Yes", "NO": "No"]
    static let eSinkKinds = ChecklistCondition.basinType([.eSink, .eSinkDI])
    static let heightAdjustable = ChecklistCondition.bom([Parts.lifterControlBox])
    static let overheadLight = ChecklistCondition.bom([Parts.overheadLightKit])
    static let bottomFill = ChecklistCondition.basinBOM([Parts.eDrainBottomFill, Parts.eSinkValvePlate])
    static let dosing = ChecklistCondition.basinBOM([Parts.dosingPump])
    static let touchscreen = ChecklistCondition.basinBOM([Parts.touchscreen])
    static let basinLightKit = ChecklistCondition.basinBOM([Parts.basinLight])

    public static let preQCV2 = ChecklistTemplate(
        kind: .preQC, name: "Pre-QC", version: 2, form: "CLP.T2.001 §1",
        signatureMeaning: "I have inspected this build against its drawing and BOM and verify the results recorded.",
        sections: [
            Section(
                "Header",
                [
                    Item("pre-qc.job-id", "Job ID", .text, source: "CLP §1 header: JOB ID#"),
                    Item(
                        "pre-qc.basin-count", "Number of basins", .number, expected: .basinCount, source: "CLP §1 header: # OF BASINS"),
                ]),
            Section(
                "Pre-production check",
                [
                    Item(
                        "pre-qc.dimensions-bom",
                        "Final sink dimensions, basin dimensions and BOM checked: the whole sink, each basin and every dimension on the drawing",
                        source: "CLP §1: Check Final Sink Dimensions, basin dimensions, & BOM"),
                    Item(
                        "pre-qc.drawing-attached", "Final approved drawing and paperwork attached (a DRAWING document on the order)",
                        source: "CLP §1: Attach the final approved drawing and paperwork"),
                    Item(
                        "pre-qc.pegboard", "Pegboard installed; its dimensions match the drawing", when: .pegboard,
                        source: "CLP §1: Pegboard installed – dimensions match drawing (N/A)"),
                    Item(
                        "pre-qc.holes", "Faucet holes and mounting holes located per the drawing and the customer's order",
                        source: "CLP §1: Location of sink faucet holes and mounting holes match drawing/customer order requirements"),
                    Item(
                        "pre-qc.feet", "Sink has", .choice, options: Feet.allCases.map(\.rawValue),
                        optionLabels: Dictionary(uniqueKeysWithValues: Feet.allCases.map { ($0.rawValue, $0.label) }), expected: .feet,
                        source: "CLP §1: Sink has: Lock & levelling castors / Levelling Feet"),
                ]),
            Section(
                "Basins",
                [
                    Item(
                        "pre-qc.basin.bottom-fill-hole", "Bottom fill hole", perBasin: true, when: bottomFill,
                        source: "CLP §1 basin N, Standard: Bottom fill hole"),
                    Item(
                        "pre-qc.basin.drain-button", "Drain button", perBasin: true, when: .basinBOM([Parts.drainButton]),
                        source: "CLP §1 basin N, Standard: Drain Button"),
                    Item(
                        "pre-qc.basin.light", "Basin light", perBasin: true, when: basinLightKit,
                        source: "CLP §1 basin N, Standard: Basin Light"),
                    Item(
                        "pre-qc.basin.drain-location", "Drain location", .choice, perBasin: true, options: ["CENTER", "OTHER"],
                        optionLabels: ["CENTER": "Center", "OTHER": "Other (describe in the note)"], noteRequiredFor: ["OTHER"],
                        source: "CLP §1 basin N: Drain Location: Center / Other: ____"),
                    Item(
                        "pre-qc.basin.faucet-location", "Sink faucet location", .choice, perBasin: true, when: anyFaucet,
                        options: FaucetLocation.all, optionLabels: FaucetLocation.labels, expected: .faucetLocation,
                        source: "CLP §1 basin N: Sink Faucet Location"),
                ]),
        ])

    public static let productionV2 = ChecklistTemplate(
        kind: .production, name: "Production", version: 2, form: "CLP.T2.001 §2–3",
        signatureMeaning: "I have checked this cabinet and verify that it is ready for inspection.",
        sections: [
            Section(
                "Sink production check",
                [
                    Item(
                        "production.ohl-bracket", "Overhead LED light bracket mounted with plastic washers", when: overheadLight,
                        source: "CLP §2: Sink Overhead LED Light Bracket is mounted with plastic washers (if there is a Pegboard) (N/A)"),
                    Item(
                        "production.ohl-button", "Overhead LED light button lasered and installed", when: overheadLight,
                        source: "CLP §2: Sink Overhead LED Light button lasered and installed (N/A)"),
                    Item(
                        "production.faucets", "Standard basin faucets installed", when: .faucet([.wristBlade]),
                        source: "CLP §2: Standard Basin Faucets installed (N/A)"),
                    Item(
                        "production.lifter-button", "Lifter control button installed", .choice, when: heightAdjustable,
                        options: ["DPF1K", "DP1C"],
                        optionLabels: ["DPF1K": "DPF1K (non-programmable)", "DP1C": "DP1C / DPF1C (programmable)"], expected: .lifterButton,
                        source: "CLP §2: Lifters Control Button Installed: DPF1K (Non-Programmable) / DP1C (Programmable)"),
                    Item(
                        "production.lifter-controller", "Lifter controller installed underneath the sink", when: heightAdjustable,
                        source: "CLP §2: Lifter Controller Installed underneath the sink"),
                    Item(
                        "production.logo", "Torvan logo attached on the left side of the sink",
                        source: "CLP §2: Torvan Logo attached on left side of sink (N/A)"),
                    Item("production.power-bar", "Power bar installed", source: "CLP §2: Power Bar is installed"),
                    Item(
                        "production.control-boxes", "Necessary control boxes installed (E-Drain, E-Sink)",
                        source: "CLP §2: Installed necessary control boxes (E-Drain, E-Sink) (N/A; every build has its control box)"),
                    Item(
                        "production.cable-labels", "All cables labelled D# or S#",
                        source: "CLP §2: All cables are labelled with 'D#' or 'S#'. (N/A)"),
                    Item(
                        "production.ohl-cable-labels", "Overhead light cables labelled L4 and S4", when: overheadLight,
                        source: "CLP §2: Overhead Light cables labelled L4 & S4 (N/A)"),
                    Item(
                        "production.clean", "Sink clean of metal shavings and waste",
                        source: "CLP §2: Sink is clean of metal shavings, and waste (N/A)"),
                ]),
            Section(
                "Extras",
                [
                    Item(
                        "production.air-gun", "Air gun components installed (BL-4350-01, BL-5500-07)",
                        when: .bom([Parts.airGunTurretValve, Parts.airGunTurretFitting]),
                        source: "CLP §2 Extras: Air Gun components (BL-4350-01 and BL-5500-07) installed (N/A)"),
                    Item(
                        "production.water-gun", "Water gun components installed (BL-4500-02, BL-4249)",
                        when: .bom([Parts.waterGunTurretValve, Parts.waterGunTurretFitting]),
                        source: "CLP §2 Extras: Water Gun components (BL-4500-02 and BL-4249) installed (N/A)"),
                    Item(
                        "production.di-faucet", "DI faucet installed", when: .faucet([.diGooseneck]),
                        source: "CLP §2 Extras: DI Faucet installed (N/A)"),
                    Item(
                        "production.combo-faucet", "Combo basin faucet installed", when: .faucet([.preRinse]),
                        source: "CLP §2 Extras: Combo Basin Faucet installed (N/A)"),
                ]),
            Section(
                "E-Drain basin checks",
                [
                    Item(
                        "production.edr.mixing-valve", "Bottom-fill mixing valve and faucet installed", perBasin: true,
                        when: .basinBOM([Parts.eDrainBottomFill]), source: "CLP §3 E-Drain: Installed Bottom-Fill Mixing Valve & Faucet"),
                    Item(
                        "production.edr.bottom-fill-order",
                        "Bottom fill assembly in order: mixing valve DER-1899-14-CC → ½\" male NPT to ¾ BSPP adapter → check valve → ½\" PEX adaptor → ½\" PEX piping → bottom fill hole",
                        perBasin: true, when: .basinBOM([Parts.eDrainBottomFill]), source: "CLP §3 E-Drain: Bottom Fill Assembly installed"),
                    Item(
                        "production.edr.pipes-labelled", "Pipes labelled hot water and cold water", perBasin: true,
                        when: .basinBOM([Parts.eDrainBottomFill]), source: "CLP §3 E-Drain: Pipes labelled as Hot Water and Cold Water"),
                    Item(
                        "production.edr.overflow-sensor", "Overflow sensor installed", perBasin: true, when: .basinType([.eDrain]),
                        source: "CLP §3 E-Drain: Overflow sensor installed"),
                ]),
            Section(
                "E-Sink basin checks",
                [
                    Item(
                        "production.esk.valve-plate", "Valve plate installed (mixing valve plate; DI valve plate on an E-Sink DI basin)",
                        perBasin: true, when: .basinBOM([Parts.eSinkValvePlate, Parts.diValvePlate]),
                        source: "CLP §3 E-Sink: Mixing Valve plate is installed"),
                    Item(
                        "production.esk.emergency-stop", "Emergency stop buttons installed", perBasin: true,
                        when: .basinBOM([Parts.emergencyStop]), source: "CLP §3 E-Sink: Emergency Stop buttons installed"),
                    Item(
                        "production.esk.touchscreen", "E-Sink touchscreen mounted onto the sink", perBasin: true, when: touchscreen,
                        source: "CLP §3 E-Sink: E-Sink touchscreen mounted onto Sink"),
                    Item(
                        "production.esk.touchscreen-connected", "Touchscreen connected to the E-Sink control box", perBasin: true,
                        when: touchscreen, source: "CLP §3 E-Sink: E-Sink touchscreen mounted onto Sink and connected to E-Sink Control Box"
                    ),
                    Item(
                        "production.esk.overflow-sensor", "Overflow sensor installed", perBasin: true, when: eSinkKinds,
                        source: "CLP §3 E-Sink: Overflow sensor installed"),
                    Item(
                        "production.esk.dosing-port", "Dosing port installed on the backsplash", perBasin: true, when: dosing,
                        source: "CLP §3 E-Sink: Install dosing port on backsplash"),
                    Item(
                        "production.esk.temperature-gland", "Basin temperature cable gland installed on the backsplash", perBasin: true,
                        when: .basinBOM([Parts.eSinkTemperatureKit]),
                        source: "CLP §3 E-Sink: Install basin temperature cable gland on backsplash"
                    ),
                ]),
        ])

    public static let eolTestV2 = ChecklistTemplate(
        kind: .eolTest, name: "End-of-line test", version: 2, form: "CLT.T2.001",
        signatureMeaning: "I have tested this build and verify the readings recorded.",
        sections: [
            Section(
                "General sink test",
                [
                    Item(
                        "eol.power-on", "Main power cord plugged in: E-Drain buttons lit / E-Sink GUI shown on the touchscreen(s)",
                        source: "CLT General Test 1-A"),
                    Item(
                        "eol.height-up", "Height button up: the sink rises", when: heightAdjustable, source: "CLT General Test 2-A"),
                    Item(
                        "eol.height-down", "Height button down: the sink lowers", when: heightAdjustable, source: "CLT General Test 2-B"),
                ]),
            Section(
                "E-Drain test",
                [
                    Item(
                        "eol.edr.fill-below-overflow", "Bottom fill below the overflow sensor: the water level rises", perBasin: true,
                        when: .basinType([.eDrain]), source: "CLT E-Drain Test 1-A"),
                    Item(
                        "eol.edr.drain-button", "E-Drain button drains until the timer ends: the basin empties", perBasin: true,
                        when: .basinType([.eDrain]), source: "CLT E-Drain Test 1-B"),
                    Item(
                        "eol.edr.fill-to-overflow", "Fill until the overflow sensor trips: the drain opens and the level falls",
                        perBasin: true, when: .basinType([.eDrain]), source: "CLT E-Drain Test 2-A"),
                    Item(
                        "eol.edr.drain-closes", "Wait 10–15 s for the overflow sensor to clear: the drain closes", perBasin: true,
                        when: .basinType([.eDrain]), source: "CLT E-Drain Test 2-B"),
                    Item(
                        "eol.edr.fill-again", "Fill again: the level rises (the drain is closed)", perBasin: true,
                        when: .basinType([.eDrain]), source: "CLT E-Drain Test 2-C"),
                    Item(
                        "eol.edr.overhead-led", "Overhead LED button cycles the brightness, then turns the light off", perBasin: true,
                        when: .all([.basinType([.eDrain]), overheadLight]), source: "CLT E-Drain Test 3-A (N/A)"),
                    Item(
                        "eol.edr.basin-light", "Basin light button turns the basin light on and off", perBasin: true,
                        when: .all([.basinType([.eDrain]), basinLightKit]), source: "CLT E-Drain Test 3-B (N/A)"),
                ]),
            Section(
                "Serial numbers",
                [
                    Item(
                        "eol.serial.touchscreen", "Touchscreen serial number (T2-TS7)", .serial, perBasin: true, when: touchscreen,
                        source: "CLT serials: Touchscreen SN [T2-TS7]"),
                    Item(
                        "eol.serial.touchscreen-software", "Touchscreen software version", .text, perBasin: true, when: touchscreen,
                        source: "CLT serials: Touchscreen Software Version"),
                    Item(
                        "eol.serial.valve-plate", "Valve plate serial number (T2-VALVE-PLATE)", .serial, perBasin: true,
                        when: .basinBOM([Parts.eSinkValvePlate, Parts.diValvePlate]), source: "CLT serials: Valve Plate SN [T2-VALVE-PLATE]"
                    ),
                    Item(
                        "eol.serial.control-box-sn", "Control box serial number", .serial, perBasin: true,
                        source: "CLT serials: Control Box SN"),
                    Item("eol.serial.control-box-qe", "Control box QE", .serial, perBasin: true, source: "CLT serials: Control Box QE"),
                    Item("eol.serial.control-box-qfu", "Control box QFU", .serial, perBasin: true, source: "CLT serials: Control Box QFU"),
                    Item(
                        "eol.serial.dosing-pump-sn", "Dosing pump serial number", .serial, perBasin: true, when: dosing,
                        source: "CLT serials: Dosing Pump SN"),
                    Item(
                        "eol.serial.dosing-pump-qe", "Dosing pump QE", .serial, perBasin: true, when: dosing,
                        source: "CLT serials: Dosing Pump QE"),
                    Item(
                        "eol.serial.dosing-pump-qfu", "Dosing pump QFU", .serial, perBasin: true, when: dosing,
                        source: "CLT serials: Dosing Pump QFU"),
                ]),
            Section(
                "E-Sink test",
                [
                    Item(
                        "eol.esk.temperature-calibration",
                        "Temperature calibrated (Temperature Calibration Procedure): basin sensor reading minus the calibrated thermometer",
                        .number, perBasin: true, when: .basinBOM([Parts.eSinkTemperatureKit]), unit: "°C", min: -2, max: 2,
                        source: "CLT E-Sink Test 1-A"),
                    Item(
                        "eol.esk.flow-meter",
                        "Flow meter calibrated (Flow Meter Calibration Procedure): the fill stops at the etched mark",
                        perBasin: true, when: .basinBOM([Parts.eSinkValvePlate]), source: "CLT E-Sink Test 1-B"),
                    Item(
                        "eol.esk.fill-20c", "Fill at 20 °C: water flows, no leak at the valve plate or the bottom fill assembly",
                        perBasin: true, when: .basinBOM([Parts.eSinkValvePlate]), source: "CLT E-Sink Test 2-A"),
                    Item(
                        "eol.esk.bottom-fill-temperature",
                        "Fill at 40 °C: the drain closes at the mixing temperature; bottom-fill water temperature on the calibrated thermometer",
                        .number, perBasin: true, when: .basinBOM([Parts.eSinkValvePlate]), unit: "°C", min: 36, max: 44,
                        source: "CLT E-Sink Test 2-B (within 4 °C of 40 °C)"),
                    Item(
                        "eol.esk.basin-temperature", "Basin water temperature beside the basin's sensor, on the calibrated thermometer",
                        .number, perBasin: true, when: .basinBOM([Parts.eSinkTemperatureKit]), unit: "°C", min: 38, max: 42,
                        source: "CLT E-Sink Test 2-C (within 2 °C of 40 °C)"),
                    Item(
                        "eol.esk.overflow-opens", "Fill to the overflow sensor: the drain opens and the overflow message appears",
                        perBasin: true, when: eSinkKinds, source: "CLT E-Sink Test 3-A"),
                    Item(
                        "eol.esk.message-clears",
                        "5 s after the level falls below the sensor: the message clears, the drain closes and filling resumes",
                        perBasin: true, when: eSinkKinds, source: "CLT E-Sink Test 3-B"),
                    Item(
                        "eol.esk.overhead-led", "Overhead LED button cycles the brightness, then turns the light off", perBasin: true,
                        when: .all([eSinkKinds, overheadLight]), source: "CLT E-Sink Test 4-A (N/A)"),
                    Item(
                        "eol.esk.basin-light", "Basin light button on the GUI turns the basin light on and off", perBasin: true,
                        when: .all([eSinkKinds, basinLightKit]), source: "CLT E-Sink Test 4-B (N/A)"),
                    Item(
                        "eol.esk.dosing-pump", "Dose button on the GUI: the dosing pump runs and stops on its own", perBasin: true,
                        when: dosing, source: "CLT E-Sink Test 5-A (N/A)"),
                ]),
        ], instrumentRequired: true)

    static let manualKits: [(Language, String)] = [
        (.en, "Install & operations manual IFU.T2.SinkInstUser"), (.fr, "Install & operations manual, French: IFU.T2.SinkInstUserFR"),
        (.sp, "Install & operations manual, Spanish (T2-USER-MANUAL-SP), with the site preparation manual in English"),
    ]

    public static let packagingV2 = ChecklistTemplate(
        kind: .packaging, name: "Packaging", version: 2, form: "CLP.T2.001 §4",
        signatureMeaning: "I have packed this build and verify its contents.",
        sections: [
            Section(
                "Standard items",
                [
                    Item("packaging.mat", "Anti-fatigue mat", quantity: .fixed(1), source: "CLP §4: Anti-Fatigue Mat"),
                    Item(
                        "packaging.strainers", "Sink strainer per basin, lasered with the Torvan Medical logo", quantity: .perBasin([]),
                        source: "CLP §4: Sink strainer per sink bowl (lasered with Torvan Medical logo)"),
                    Item(
                        "packaging.flex-hoses", "Ø1.5\" flex hose (4 ft) with 2 hose clamps, per drain", quantity: .perBasin([]),
                        source: "CLP §4: Ø1.5 Flex Hose (4ft) per sink drain + 2x Hose Clamps"),
                    Item(
                        "packaging.temperature-sensors", "Temperature sensor packed, one per E-Drain basin",
                        when: .basinBOM([Parts.eDrainTemperatureKit]), quantity: .perBasinWhere(.basinBOM([Parts.eDrainTemperatureKit])),
                        source: "CLP §4: 1x Temp. Sensor packed per E-Drain basin (If N/A)"),
                    Item(
                        "packaging.drain-solenoids", "Electronic drain solenoid per basin (wired, tested and labelled)",
                        quantity: .perBasin([]), source: "CLP §4: 1x Electronic Drain Solenoid per Basin (Wired, tested and labelled)"),
                    Item(
                        "packaging.drain-assemblies", "Drain assembly per basin", quantity: .perBasin([]),
                        source: "CLP §4: 1x Drain assembly per basin"),
                    Item(
                        "packaging.dosing-shelf", "Shelf for the dosing pump, one per dosing pump", when: dosing,
                        quantity: .perBasinWhere(dosing), source: "CLP §4: 1x shelf for dosing pump (If N/A)"),
                    Item(
                        "packaging.tubesets", "Tubeset, one per dosing pump", when: dosing, quantity: .perBasinWhere(dosing),
                        source: "CLP §4: 1x Tubeset per dosing pump (If N/A)"),
                    Item(
                        "packaging.drain-gaskets", "Drain gasket per basin", quantity: .perBasin([]),
                        source: "CLP §4: Drain gasket per basin"),
                ]),
            Section(
                "Kits ordered",
                [
                    Item(
                        "packaging.air-gun-kit", "Air gun kit: 1× 64-20900-00, 1× gun & tip holder bracket", when: .airGun,
                        quantity: .perSprayer([.airGunTurret, .airGunRosette]), source: "CLP §4: Air Gun Kit"),
                    Item(
                        "packaging.water-gun-kit",
                        "Water gun kit: 1× 64-20900-00, 1× DI compatible hose & water gun, 1× gun & tip holder bracket", when: .waterGun,
                        quantity: .perSprayer([.diWaterGunTurret, .diWaterGunRosette]), source: "CLP §4: Water Gun Kit"),
                    Item(
                        "packaging.pre-rinse-faucet", "Pre-rinse faucet: 1× B-0133, 1× B-0230-K, 2× PFX146332", when: .faucet([.preRinse]),
                        quantity: .perFaucet([.preRinse]), source: "CLP §4: Pre-Rinse Faucet"),
                    Item(
                        "packaging.faucet-kit", "Faucet kit: 1× B-2342, 1× B-0230-K, 2× PFX146332", when: .faucet([.wristBlade]),
                        quantity: .perFaucet([.wristBlade]), source: "CLP §4: Faucet Kit"),
                    Item(
                        "packaging.accessory", "Accessory ordered", perAccessory: true,
                        source: "Wizard step 4: the accessories ordered for this build (PRD UC 5.5)"),
                ]),
            Section(
                "Manuals",
                manualKits.map { language, text in
                    Item(
                        "packaging.manual.\(language.rawValue.lowercased())", text, when: .language([language]), quantity: .fixed(1),
                        source: language == .sp
                            ? "CLP §4 names no Spanish manual; the BOM's T2-STD-MANUAL-SP-KIT holds it"
                            : "CLP §4: Install & Operations Manual")
                } + [
                    Item(
                        "packaging.esink-manual.fr", "E-Sink automation manual, French: IFU.T2.ESinkInstUserFR",
                        when: .all([.language([.fr]), .basinBOM([Parts.touchscreen])]), quantity: .fixed(1),
                        source: "CLP §4: E-Sink Automation Manual French")
                ]),
        ])

    public static let finalQCV2 = ChecklistTemplate(
        kind: .finalQC, name: "Final QC", version: 2, form: "CLQ.T2.001",
        signatureMeaning: "I have inspected this finished build and verify the results recorded.",
        sections: [
            Section(
                "Header",
                [
                    Item(
                        "final-qc.first-pass", "First pass", .choice, options: ["YES", "NO"], optionLabels: yesNo,
                        source: "CLQ header: FIRST PASS"),
                    Item(
                        "final-qc.hi-pot", "Hi-pot test completed", .choice, options: ["YES", "NO"], failingOptions: ["NO"],
                        optionLabels: yesNo, source: "CLQ header: HI-POT TEST COMPLETED"),
                ]),
            Section(
                "A. Project verification",
                [
                    Item(
                        "final-qc.po-model", "Project PO checked: the model matches what was ordered (size, type)",
                        source: "CLQ A1"),
                    Item(
                        "final-qc.drawings",
                        "Shop drawing and engineering drawing (signed off by the customer if applicable) match the model",
                        source: "CLQ A2"),
                    Item(
                        "final-qc.production-checklist", "Checklist filled out by the technician: every box marked, serial numbers written",
                        source: "CLQ A3"),
                    Item("final-qc.edges-clean", "No sharp edges; sink clean (no drilling shavings)", source: "CLQ A4"),
                    Item("final-qc.testing", "Testing completed by the production team", source: "CLQ A5"),
                    Item(
                        "final-qc.build-label", "Build label applied on the right side of the skirt (bottom-left) and on the back",
                        source: "CLQ A6"),
                ]),
            Section(
                "B. Sink general check",
                [
                    Item(
                        "final-qc.led",
                        "Pegboard: LED light in its bracket with the correct hardware; the light swivels and stays in place",
                        when: overheadLight, source: "CLQ B1a"),
                    Item(
                        "final-qc.touchscreen", "Touchscreen", .choice, perBasin: true, when: touchscreen,
                        options: ["PACKAGED", "MOUNTED"],
                        optionLabels: ["PACKAGED": "Packaged", "MOUNTED": "Mounted"],
                        source: "CLQ B1b: [E-SINK] Touchscreen per E-Sink Basin"),
                    Item("final-qc.logo", "Backsplash: Torvan logo mounted on the left side", source: "CLQ B2a"),
                    Item(
                        "final-qc.faucets", "All faucets mounted per the engineering drawing (or packed if not mounted)", when: anyFaucet,
                        source: "CLQ B2b"),
                    Item(
                        "final-qc.drain-button", "Drain button mounted", perBasin: true, when: .basinBOM([Parts.drainButton]),
                        source: "CLQ B2c: [E-DRAIN] Drain button mounted per E-Drain Basin"),
                    Item(
                        "final-qc.light-button", "Overhead light button mounted (one per sink)",
                        when: .all([.basinType([.eDrain]), overheadLight]),
                        source: "CLQ B2d: [E-DRAIN] Light button mounted (per sink)"),
                    Item(
                        "final-qc.emergency-button", "Emergency button mounted", when: .basinBOM([Parts.emergencyStop]),
                        source: "CLQ B2e: [E-SINK] Emergency button mounted"),
                    Item(
                        "final-qc.temperature-sensor", "Temperature sensor mounted", perBasin: true,
                        when: .basinBOM([Parts.eSinkTemperatureKit]),
                        source: "CLQ B2f: [E-SINK] Temperature sensor mounted per E-Sink Basin"),
                    Item("final-qc.casters", "Casters OK", when: .bom([Parts.casters]), source: "CLQ B3"),
                    Item("final-qc.height-buttons", "Height adjustment buttons mounted", when: heightAdjustable, source: "CLQ B4"),
                ]),
            Section(
                "C–E. Basins",
                [
                    Item("final-qc.basin.clean", "Basin clean of shavings, metal and dirt", perBasin: true, source: "CLQ C–E 1"),
                    Item(
                        "final-qc.basin.bottom-fill",
                        "Bottom fill hole connected to the mixing valve (E-Drain) or the valve plate (E-Sink)",
                        perBasin: true, when: bottomFill, source: "CLQ C–E 2a/2b"),
                    Item(
                        "final-qc.basin.light", "Basin light included", perBasin: true, when: basinLightKit,
                        source: "CLQ C–E 3: Basin Light included (Check if N/A)"),
                    Item(
                        "final-qc.basin.light-button", "Basin light button mounted on the backsplash", perBasin: true,
                        when: .basinBOM([Parts.basinLightButton]),
                        source:
                            "CLQ C–E 3: Basin Light Button mounted on backsplash (E-Drain light kit; an E-Sink's light is worked from the GUI)"
                    ),
                    Item("final-qc.basin.overflow-sensor", "Overflow sensor installed", perBasin: true, source: "CLQ C–E 4"),
                    Item(
                        "final-qc.basin.level-etched",
                        "Basin level etched on the back of the basin, at the level of the drawing (60 L or 80 L)",
                        perBasin: true, source: "CLQ C–E 5"),
                    Item(
                        "final-qc.basin.dosing-port", "Dosing port mounted", perBasin: true, when: dosing,
                        source: "CLQ C–E 6: [E-SINK] Dosing port mounted"),
                ]),
            Section(
                "F. Packaging",
                [
                    Item(
                        "final-qc.pack.solenoids", "Electronic solenoids bubble-wrapped and packed", quantity: .perBasin([]),
                        source: "CLQ F1"),
                    Item(
                        "final-qc.pack.strainers", "Sink strainer per basin included, each lasered with the Torvan Medical logo",
                        quantity: .perBasin([]), source: "CLQ F2"),
                    Item(
                        "final-qc.pack.hose", "Ø1.5\" flex hose (4 ft) per drain with 2 hose clamps", quantity: .perBasin([]),
                        source: "CLQ F3"),
                    Item(
                        "final-qc.pack.drain-assemblies", "Drain assembly per basin included", quantity: .perBasin([]), source: "CLQ F4"),
                    Item("final-qc.pack.manuals", "Manuals: site preparation, and install & operations", source: "CLQ F5a: [ALL]"),
                    Item(
                        "final-qc.pack.esink-manual",
                        "E-Sink automation manual: IFU.T2.ESinkInstUserFR in French; in English and Spanish, the E-Sink part of the install & operations manual",
                        when: touchscreenOnSink, source: "CLQ F5b: [E-SINK]"),
                    Item(
                        "final-qc.pack.temperature-kit", "Temperature sensor, mount and hardware included per E-Drain basin",
                        when: .basinBOM([Parts.eDrainTemperatureKit]), quantity: .perBasinWhere(.basinBOM([Parts.eDrainTemperatureKit])),
                        source: "CLQ F6"),
                    Item("final-qc.pack.mat", "Anti-fatigue mat included", quantity: .fixed(1), source: "CLQ F7"),
                    Item(
                        "final-qc.pack.accessory", "Accessory packed", perAccessory: true,
                        source: "The accessories ordered for this build (issue: packaging and Final QC list what was ordered)"),
                ]),
        ])

    static let touchscreenOnSink = ChecklistCondition.basinBOM([Parts.touchscreen])
}

/// Catalogue ids the version 2 templates name: what the customer's
/// catalogue says a build physically holds.
public enum CatalogParts {
    /// The lifters' control box: in the height-adjustable column kits, not the fixed-height ones.
    public static let lifterControlBox = "T-CBD6SH00040A-709"
    /// The overhead light housing and LED: with a pegboard only.
    public static let overheadLightKit = "T2-OHL-MDRD-KIT"
    /// The E-Drain kit's bottom fill with its mixing valve.
    public static let eDrainBottomFill = "T2-BOTTOM-FILL"
    /// The E-Sink kit's temperature mixing and filling plate (flow meter included); not in the DI kit.
    public static let eSinkValvePlate = "T2-VALVE-PLATE-AUK"
    /// The DI kit's valve plate: no temperature control, no bottom fill.
    public static let diValvePlate = "T2-VALVE-PLATE-AUK-DI"
    public static let eSinkTemperatureKit = "T2-ESK-TEMP-KIT"
    public static let eDrainTemperatureKit = "T2-EDR-TEMP-KIT"
    public static let dosingPump = "T8-DOSINGESK"
    public static let dosingTubeset = "T8-KIT-ESK-DOSE"
    public static let drainButton = "T2-BSN-DRAIN-BTN"
    public static let touchscreen = "T2-TS7"
    public static let emergencyStop = "T2-EMERGSTOP-BTN"
    public static let overflowSensor = "T2-BSN-OVFL"
    public static let basinLight = "T2-BASIN-LIGHT"
    public static let basinLightButton = "T2-BSN-LIGHT-BTN"
    public static let casters = "T2-LEVELING-CASTOR-475"
    /// The lifter buttons: DPF1K (non-programmable) in the DL27 kit, DPF1C (the form's "DP1C", programmable) in every height-adjustable kit.
    public static let lifterButtonDPF1K = "DPF1K00-010006"
    public static let lifterButtonDPF1C = "DPF1C00-012016"
    /// The turret sprayer kits' components, which CLP §2 names (the rosette kits hold none of them).
    public static let airGunTurretValve = "BL-4350-01"
    public static let airGunTurretFitting = "BL-5500-07"
    public static let waterGunTurretValve = "BL-4500-02"
    public static let waterGunTurretFitting = "BL-4249"
}
