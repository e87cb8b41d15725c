extension ChecklistTemplate {
    /// Version 1 of the five checklists, item for item from the customer's
    /// forms as domain.md lists them.
    public static let seeds: [ChecklistTemplate] = [preQC, production, eolTest, packaging, finalQC]

    static let anyFaucet = ChecklistCondition.faucet(FaucetType.allCases)
    static let bottomFillBasin = ChecklistCondition.basinType([.eDrain, .eSink])

    public static let preQC = ChecklistTemplate(
        kind: .preQC, name: "Pre-QC", version: 1, form: "CLP.T2.001 §1",
        signatureMeaning: "I have inspected this build against its drawing and BOM and verify the results recorded.",
        sections: [
            Section(
                "Sink",
                [
                    Item("pre-qc.final-dimensions", "Final sink dimensions checked against the drawing"),
                    Item("pre-qc.basin-dimensions", "Basin dimensions checked against the drawing"),
                    Item("pre-qc.bom", "BOM checked against the drawing"),
                    Item("pre-qc.drawing-attached", "Final approved drawing and paperwork attached (a DRAWING document on the order)"),
                    Item("pre-qc.pegboard", "Pegboard installed and its dimensions match the drawing", when: .pegboard),
                    Item("pre-qc.faucet-holes", "Faucet holes located per drawing"),
                    Item("pre-qc.mounting-holes", "Mounting holes located per drawing"),
                    Item("pre-qc.feet.castors", "Castors present, as configured", when: .feet(.lockLevelingCasters)),
                    Item("pre-qc.feet.levelling", "Levelling (seismic) feet present, as configured", when: .feet(.seismicFeet)),
                ]),
            Section(
                "Basins",
                [
                    Item("pre-qc.basin.bottom-fill-hole", "Bottom fill hole", perBasin: true, when: bottomFillBasin),
                    Item("pre-qc.basin.drain-button", "Drain button", perBasin: true, when: .eDrain),
                    Item("pre-qc.basin.light", "Basin light", perBasin: true, when: .basinLight),
                    Item(
                        "pre-qc.basin.drain-location", "Drain location (other: describe in the note)", .choice, perBasin: true,
                        options: ["CENTER", "OTHER"]),
                    Item(
                        "pre-qc.basin.faucet-location", "Faucet location", .choice, perBasin: true, when: anyFaucet, naAllowed: true,
                        options: ["CENTER_OF_BASIN", "BETWEEN_BASINS_1_2", "BETWEEN_BASINS_2_3"]),
                ]),
        ])

    public static let production = ChecklistTemplate(
        kind: .production, name: "Production", version: 1, form: "CLP.T2.001 §2–3",
        signatureMeaning: "I have checked this cabinet and verify that it is ready for inspection.",
        sections: [
            Section(
                "Sink",
                [
                    Item("production.ohl-bracket", "Overhead LED light bracket installed with plastic washers", when: .pegboard),
                    Item("production.ohl-button", "Overhead LED light button lasered and installed"),
                    Item("production.faucets", "Standard basin faucets installed", when: anyFaucet),
                    Item(
                        "production.lifter-button", "Lifter control button installed", .choice,
                        options: ["DPF1K_NON_PROGRAMMABLE", "DP1C_PROGRAMMABLE"]),
                    Item("production.lifter-controller", "Lifter controller installed under the sink"),
                    Item("production.logo", "Torvan logo on the left side"),
                    Item("production.power-bar", "Power bar installed"),
                    Item("production.control-boxes", "Control boxes installed (E-Drain / E-Sink)"),
                    Item("production.cable-labels", "All cables labelled D# or S#; overhead light cables L4 and S4"),
                    Item("production.clean", "Sink clean of metal shavings and waste"),
                ]),
            Section(
                "Extras",
                [
                    Item("production.air-gun", "Air gun components installed (BL-4350-01, BL-5500-07)", when: .airGun),
                    Item("production.water-gun", "Water gun components installed (BL-4500-02, BL-4249)", when: .waterGun),
                    Item("production.di-faucet", "DI faucet installed", when: .faucet([.diGooseneck])),
                    Item("production.combo-faucet", "Combo basin faucet installed", when: .faucet([.preRinse])),
                ]),
            Section(
                "E-Drain basins",
                [
                    Item("production.edr.mixing-valve", "Bottom-fill mixing valve and faucet installed", perBasin: true, when: .eDrain),
                    Item(
                        "production.edr.bottom-fill-order",
                        "Bottom fill in order: mixing valve DER-1899-14-CC → ½\" male NPT to ¾ BSPP adapter → check valve → ½\" PEX adaptor → ½\" PEX piping → bottom fill hole",
                        perBasin: true, when: .eDrain),
                    Item("production.edr.pipes-labelled", "Pipes labelled hot and cold", perBasin: true, when: .eDrain),
                    Item("production.edr.overflow-sensor", "Overflow sensor installed", perBasin: true, when: .eDrain),
                ]),
            Section(
                "E-Sink basins",
                [
                    Item("production.esk.valve-plate", "Mixing valve plate installed", perBasin: true, when: .eSink),
                    Item("production.esk.emergency-stop", "Emergency stop buttons installed", perBasin: true, when: .eSink),
                    Item("production.esk.touchscreen", "Touchscreen mounted", perBasin: true, when: .eSink),
                    Item(
                        "production.esk.touchscreen-connected", "Touchscreen connected to the E-Sink control box", perBasin: true,
                        when: .eSink),
                    Item("production.esk.overflow-sensor", "Overflow sensor installed", perBasin: true, when: .eSink),
                    Item("production.esk.dosing-port", "Dosing port on the backsplash", perBasin: true, when: .eSink),
                    Item(
                        "production.esk.temperature-gland", "Basin temperature cable gland on the backsplash", perBasin: true, when: .eSink),
                ]),
        ])

    public static let eolTest = ChecklistTemplate(
        kind: .eolTest, name: "End-of-line test", version: 1, form: "CLT.T2.001",
        signatureMeaning: "I have tested this build and verify the readings recorded.",
        sections: [
            Section(
                "General",
                [
                    Item("eol.power-on", "Power on: E-Drain buttons lit / E-Sink touchscreen shows the GUI"),
                    Item("eol.height-up", "Height up"),
                    Item("eol.height-down", "Height down"),
                ]),
            Section(
                "E-Drain basins",
                [
                    Item("eol.edr.fill-below-overflow", "Fill below the overflow sensor: the level rises", perBasin: true, when: .eDrain),
                    Item("eol.edr.drain-button", "Drain button drains until the timer ends", perBasin: true, when: .eDrain),
                    Item("eol.edr.fill-to-overflow", "Fill to the overflow sensor: the drain opens", perBasin: true, when: .eDrain),
                    Item("eol.edr.drain-closes", "Wait 10–15 s: the drain closes", perBasin: true, when: .eDrain),
                    Item("eol.edr.fill-again", "Fill again: the level rises", perBasin: true, when: .eDrain),
                    Item("eol.edr.overhead-led", "Overhead LED cycles and turns off", perBasin: true, when: .eDrain),
                    Item("eol.edr.basin-light", "Basin light on and off", perBasin: true, when: .all([.eDrain, .basinLight])),
                ]),
            Section(
                "E-Sink basins",
                [
                    Item(
                        "eol.esk.temperature-calibration", "Temperature reading minus the calibrated thermometer", .number, perBasin: true,
                        when: .eSink, unit: "°C", min: -2, max: 2),
                    Item("eol.esk.flow-meter", "Flow meter calibration: the fill stops at the 40 L etching", perBasin: true, when: .eSink),
                    Item("eol.esk.fill-20c", "Fill at 20 °C with no leaks", perBasin: true, when: .eSink),
                    Item(
                        "eol.esk.bottom-fill-temperature", "Bottom-fill water temperature (target 40 °C)", .number, perBasin: true,
                        when: .basinType([.eSink]), unit: "°C", min: 36, max: 44),
                    Item(
                        "eol.esk.basin-temperature", "Basin water temperature (target 40 °C)", .number, perBasin: true, when: .eSink,
                        unit: "°C",
                        min: 38, max: 42),
                    Item("eol.esk.overflow-opens", "Overflow opens the drain and shows the message", perBasin: true, when: .eSink),
                    Item("eol.esk.message-clears", "The message clears and the drain closes", perBasin: true, when: .eSink),
                    Item("eol.esk.overhead-led", "Overhead LED", perBasin: true, when: .eSink),
                    Item("eol.esk.basin-light", "Basin light", perBasin: true, when: .all([.eSink, .basinLight])),
                    Item("eol.esk.dosing-pump", "Dosing pump runs and stops", perBasin: true, when: .eSink),
                ]),
            Section(
                "Serial numbers",
                [
                    Item("eol.serial.touchscreen", "Touchscreen (T2-TS7) serial number", .serial, perBasin: true, when: .eSink),
                    Item("eol.serial.touchscreen-software", "Touchscreen software version", .text, perBasin: true, when: .eSink),
                    Item("eol.serial.valve-plate", "Valve plate (T2-VALVE-PLATE) serial number", .serial, perBasin: true, when: .eSink),
                    Item("eol.serial.control-box", "Control box SN / QE / QFU", .serial, perBasin: true),
                    Item("eol.serial.dosing-pump", "Dosing pump SN / QE / QFU", .serial, perBasin: true, when: .eSink),
                ]),
        ])

    public static let packaging = ChecklistTemplate(
        kind: .packaging, name: "Packaging", version: 1, form: "CLP.T2.001 §4",
        signatureMeaning: "I have packed this build and verify its contents.",
        sections: [
            Section(
                "Packed with the sink",
                [
                    Item("packaging.mat", "Anti-fatigue mat", quantity: .fixed(1)),
                    Item("packaging.strainers", "Strainers with lasered logo, one per basin", quantity: .perBasin([])),
                    Item("packaging.flex-hoses", "Ø1.5\" flex hose, 4 ft, with 2 hose clamps, one per drain", quantity: .perBasin([])),
                    Item(
                        "packaging.temperature-sensors", "Temperature sensors, one per E-Drain basin", when: .eDrain,
                        quantity: .perBasin([.eDrain])),
                    Item(
                        "packaging.drain-solenoids", "Electronic drain solenoids (wired, tested, labelled), one per basin",
                        quantity: .perBasin([])),
                    Item("packaging.drain-assemblies", "Drain assemblies, one per basin", quantity: .perBasin([])),
                    Item("packaging.dosing-shelf", "Dosing pump shelf", when: .basinType([.eSink]), quantity: .fixed(1)),
                    Item("packaging.tubesets", "Tubesets, one per dosing pump", when: .basinType([.eSink]), quantity: .perBasin([.eSink])),
                    Item("packaging.drain-gaskets", "Drain gaskets, one per basin", quantity: .perBasin([])),
                    Item(
                        "packaging.air-gun-kit", "Air gun kit (64-20900-00, gun & tip holder bracket)", when: .airGun,
                        quantity: .perSprayer([.airGunTurret, .airGunRosette])),
                    Item(
                        "packaging.water-gun-kit", "Water gun kit (64-20900-00, DI compatible hose & water gun, gun & tip holder bracket)",
                        when: .waterGun, quantity: .perSprayer([.diWaterGunTurret, .diWaterGunRosette])),
                    Item(
                        "packaging.pre-rinse-faucet", "Pre-rinse faucet (B-0133, B-0230-K, 2× PFX146332)", when: .faucet([.preRinse]),
                        quantity: .perFaucet([.preRinse])),
                    Item(
                        "packaging.faucet-kit", "Faucet kit (B-2342, B-0230-K, 2× PFX146332)", when: .faucet([.wristBlade]),
                        quantity: .perFaucet([.wristBlade])),
                    Item("packaging.manual", "Install & operations manual in the order's language", quantity: .fixed(1)),
                    Item("packaging.esink-manual", "E-Sink automation manual", when: .eSink, quantity: .fixed(1)),
                ])
        ])

    public static let finalQC = ChecklistTemplate(
        kind: .finalQC, name: "Final QC", version: 1, form: "CLQ.T2.001",
        signatureMeaning: "I have inspected this finished build and verify the results recorded.",
        sections: [
            Section(
                "Header",
                [
                    Item("final-qc.first-pass", "First pass", .choice, options: ["YES", "NO"]),
                    Item("final-qc.hi-pot", "Hi-pot test completed"),
                ]),
            Section(
                "A. Documents and finish",
                [
                    Item("final-qc.po-model", "PO and model match the order"),
                    Item("final-qc.drawings", "Shop and engineering drawings match"),
                    Item("final-qc.production-checklist", "Production checklist complete with serial numbers"),
                    Item("final-qc.edges-clean", "No sharp edges; clean"),
                    Item("final-qc.testing", "Testing completed"),
                    Item("final-qc.build-label", "Build label on the skirt and on the back"),
                ]),
            Section(
                "B. Sink",
                [
                    Item("final-qc.led", "LED light in its bracket; the light swivels and holds", when: .pegboard),
                    Item("final-qc.touchscreen", "Touchscreen packaged or mounted", perBasin: true, when: .eSink),
                    Item("final-qc.logo", "Logo on the left"),
                    Item("final-qc.faucets", "Faucets per drawing or packed", when: anyFaucet),
                    Item("final-qc.drain-button", "Drain button", perBasin: true, when: .eDrain),
                    Item("final-qc.light-button", "Light button"),
                    Item("final-qc.emergency-button", "Emergency button", when: .eSink),
                    Item("final-qc.temperature-sensor", "Temperature sensor", perBasin: true, when: .eSink),
                    Item("final-qc.casters", "Casters OK", when: .feet(.lockLevelingCasters)),
                    Item("final-qc.height-buttons", "Height buttons mounted"),
                ]),
            Section(
                "C–E. Basins",
                [
                    Item("final-qc.basin.clean", "Basin clean", perBasin: true),
                    Item(
                        "final-qc.basin.bottom-fill", "Bottom fill connected to the mixing valve (E-Drain) or valve plate (E-Sink)",
                        perBasin: true, when: bottomFillBasin),
                    Item("final-qc.basin.light", "Basin light and button", perBasin: true, when: .basinLight),
                    Item("final-qc.basin.overflow-sensor", "Overflow sensor", perBasin: true),
                    Item("final-qc.basin.level-etched", "Level etched per drawing", .choice, perBasin: true, options: ["60_L", "80_L"]),
                    Item("final-qc.basin.dosing-port", "Dosing port", perBasin: true, when: .eSink),
                ]),
            Section(
                "F. Packaging",
                [
                    Item("final-qc.pack.solenoids", "Solenoids wrapped"),
                    Item("final-qc.pack.strainers", "A strainer per basin"),
                    Item("final-qc.pack.hose", "Hose and clamps"),
                    Item("final-qc.pack.drain-assemblies", "A drain assembly per basin"),
                    Item("final-qc.pack.manuals", "Manuals: site preparation and install/operations"),
                    Item("final-qc.pack.esink-manual", "E-Sink automation manual", when: .eSink),
                    Item("final-qc.pack.temperature-kit", "Temperature sensor kit per E-Drain basin", when: .eDrain),
                    Item("final-qc.pack.mat", "Anti-fatigue mat"),
                ]),
        ])
}
