import CleanStationCore
import Foundation
import Testing

@Suite struct ChecklistTests {
    /// E-Drain, E-Sink, E-Sink DI; no pegboard; light on basin 2; an air gun.
    static let mixed = Fixtures.sink(
        model: .t2B3,
        basins: [
            Basin(type: .eDrain, size: .standard(.s24x20x10)), Basin(type: .eSink, size: .standard(.s24x20x10), basinLight: true),
            Basin(type: .eSinkDI, size: .standard(.s24x20x10)),
        ],
        faucets: [Faucet(type: .wristBlade, quantity: 2, placement: .between1And2)],
        sprayers: [Sprayer(type: .airGunTurret, quantity: 1, location: .left)])

    func item(_ id: String, in instance: ChecklistInstance) -> ChecklistInstance.Item? {
        instance.items.first { $0.id == id }
    }

    static let v1Mixed = Fixtures.context(mixed)

    @Test func seedsHaveUniqueStableIDsAndCoverEveryKind() {
        for (seeds, version) in [(ChecklistTemplate.seeds, 1), (ChecklistTemplate.seedsV2, 2)] {
            #expect(seeds.map(\.kind) == ChecklistKind.allCases)
            let ids = seeds.flatMap { $0.items.map(\.id) }
            #expect(Set(ids).count == ids.count)
            for template in seeds {
                #expect(template.version == version)
                #expect(template.validationErrors().isEmpty, "\(template.kind): \(template.validationErrors())")
                #expect(template.items.allSatisfy { $0.id.hasPrefix(template.kind == .eolTest ? "eol." : template.kind.pathName + ".") })
                #expect(template.items.filter { $0.answerType == .choice }.allSatisfy { !($0.options ?? []).isEmpty })
            }
        }
        #expect(
            ChecklistTemplate.seedsV2.allSatisfy { $0.items.allSatisfy { $0.source?.isEmpty == false } },
            "every v2 item names its form line")
        #expect(ChecklistKind(pathName: "eol-test") == .eolTest)
        #expect(ChecklistKind.finalQC.pathName == "final-qc")
        for kind in ChecklistKind.allCases {
            #expect(kind.pathName == kind.rawValue.lowercased().replacingOccurrences(of: "_", with: "-"), "as spelled before")
            #expect(ChecklistKind(pathName: kind.pathName) == kind && ChecklistKind(pathName: kind.rawValue) == kind)
        }
        #expect(ChecklistKind(pathName: "Final-QC") == .finalQC && ChecklistKind(pathName: "final-q") == nil)
    }

    /// Version 1 keeps its meaning for the orders already using it: E-Sink items on E-Sink DI basins included.
    @Test func versionOneResolvesAsBefore() {
        let production = ChecklistTemplate.production.instantiate(in: Self.v1Mixed)
        #expect(
            production.items.filter { $0.templateItemID == "production.edr.overflow-sensor" }.map(\.applicable) == [true, false, false])
        #expect(production.applicableItems.filter { $0.templateItemID == "production.esk.touchscreen" }.map(\.basin) == [2, 3])
        #expect(production.items.first { $0.id == "production.ohl-bracket" }?.applicable == false, "no pegboard, no bracket")
        let eol = ChecklistTemplate.eolTest.instantiate(in: Self.v1Mixed)
        #expect(eol.applicableItems.filter { $0.templateItemID == "eol.esk.dosing-pump" }.map(\.basin) == [2, 3])
        #expect(eol.applicableItems.filter { $0.templateItemID == "eol.serial.control-box" }.map(\.basin) == [1, 2, 3])
    }

    @Test func itemsThatDoNotApplyAreKeptWithTheirReason() {
        let eol = ChecklistTemplate.eolTestV2.instantiate(in: Self.v1Mixed)
        let dosing = eol.items.filter { $0.templateItemID == "eol.esk.dosing-pump" }
        #expect(dosing.map(\.basin) == [1, 2, 3], "one line per basin, applicable or not")
        #expect(dosing.map(\.applicable) == [false, true, false], "the E-Sink DI kit holds no dosing pump")
        #expect(dosing[2].notApplicableReason == "needs T8-DOSINGESK in the basin's kit")
        #expect(dosing[1].notApplicableReason == nil)
        let height = eol.items.first { $0.id == "eol.height-up" }
        #expect(height?.applicable == true, "DL27 height-adjustable legs")
        let fixed = ChecklistTemplate.eolTestV2.instantiate(
            in: Fixtures.context(Fixtures.sink(legs: Legs(type: .fixedHeight, model: .dl14))))
        #expect(fixed.items.first { $0.id == "eol.height-up" }?.applicable == false)
        #expect(fixed.items.first { $0.id == "eol.height-up" }?.notApplicableReason == "needs T-CBD6SH00040A-709 in the BOM")
        #expect(fixed.instrumentRequired)
    }

    @Test func theBuiltInCatalogueKnowsWhatTheChecklistsAsk() {
        for template in ChecklistTemplate.seedsV2 {
            let full = template.instantiate(in: Fixtures.context(Self.mixed))
            let builtIn = template.instantiate(in: Fixtures.context(Self.mixed, generator: Fixtures.builtInGenerator))
            #expect(full.items.map(\.applicable) == builtIn.items.map(\.applicable), "\(template.kind)")
        }
    }

    @Test func packagingQuantitiesAndAccessoriesComeFromTheBuild() {
        var sink = Self.mixed
        sink.accessories = [AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 2), AccessoryLine(id: "T-OA-PB-SS-1GLOVE", quantity: 1)]
        let packaging = ChecklistTemplate.packagingV2.instantiate(in: Fixtures.context(sink, language: .fr))
        func quantity(_ id: String) -> Int? { packaging.items.first { $0.id == id }?.expectedQuantity }
        #expect(quantity("packaging.strainers") == 3)
        #expect(quantity("packaging.temperature-sensors") == 1, "one E-Drain basin")
        #expect(quantity("packaging.tubesets") == 1, "one dosing pump: the E-Sink basin, not the DI one")
        #expect(quantity("packaging.dosing-shelf") == 1)
        #expect(quantity("packaging.faucet-kit") == 2)
        #expect(quantity("packaging.air-gun-kit") == 1)
        #expect(quantity("packaging.water-gun-kit") == nil)
        #expect(quantity("packaging.manual.fr") == 1)
        #expect(packaging.items.first { $0.id == "packaging.manual.en" }?.applicable == false)
        #expect(quantity("packaging.esink-manual.fr") == 1)
        let accessories = packaging.items.filter { $0.templateItemID == "packaging.accessory" }
        #expect(accessories.map(\.id) == ["packaging.accessory.T-OA-BINRAIL-24-KIT", "packaging.accessory.T-OA-PB-SS-1GLOVE"])
        #expect(accessories.map(\.expectedQuantity) == [2, 1])
        #expect(accessories[0].text.hasPrefix("Accessory ordered: 702.4 T-OA-BINRAIL-24-KIT — "))
        sink.accessories.append(AccessoryLine(id: "T-OA-BINRAIL-24-KIT", quantity: 1))
        let merged = ChecklistTemplate.packagingV2.instantiate(in: Fixtures.context(sink)).items.filter {
            $0.templateItemID == "packaging.accessory"
        }
        #expect(merged.map(\.expectedQuantity) == [3, 1], "one line per accessory, with its total")
        let none = ChecklistTemplate.finalQCV2.instantiate(in: Self.v1Mixed).items.filter { $0.templateItemID == "final-qc.pack.accessory" }
        #expect(none.map(\.applicable) == [false])
        #expect(none.first?.notApplicableReason == "no accessories were ordered")
    }

    /// Answers passing every applicable item of an instance.
    static func passingAnswers(_ instance: ChecklistInstance) -> [JSONValue] {
        instance.applicableItems.map { item in
            let value: JSONValue =
                switch item.answerType {
                case .check: true
                case .number:
                    item.expectedValues.flatMap { Double($0[0]) }.map { .number($0) } ?? .number(((item.min ?? 0) + (item.max ?? 0)) / 2)
                case .text, .serial: "SN-001"
                case .choice: .string(item.expectedValues?.first ?? item.options!.first { !(item.failingOptions ?? []).contains($0) }!)
                }
            return .object([JSONMember("itemId", .string(item.id)), JSONMember("value", value)])
        }
    }

    static func answers(_ instance: ChecklistInstance, setting id: String, _ key: String, to value: JSONValue?) -> [JSONValue] {
        passingAnswers(instance).map { $0["itemId"]?.string == id ? $0.setting([.key(key)], to: value) : $0 }
    }

    @Test func everyApplicableItemPassingIsAPass() throws {
        for template in ChecklistTemplate.seeds + ChecklistTemplate.seedsV2 {
            let instance = template.instantiate(in: Self.v1Mixed)
            let evaluation = try ChecklistEvaluation.evaluate(.array(Self.passingAnswers(instance)), against: instance).get()
            #expect(evaluation.outcome == .pass, "\(template.kind) v\(template.version): \(evaluation.failedItems)")
        }
    }

    @Test(arguments: [(-2.0, true), (2.0, true), (-2.01, false), (2.5, false), (0, true)])
    func numericLimitsAreInclusiveAndDecide(reading: Double, passes: Bool) throws {
        let instance = ChecklistTemplate.eolTestV2.instantiate(in: Self.v1Mixed)
        let answers = Self.answers(instance, setting: "eol.esk.temperature-calibration.b2", "value", to: .number(reading))
        let evaluation = try ChecklistEvaluation.evaluate(.array(answers), against: instance).get()
        #expect(evaluation.outcome == (passes ? .pass : .fail))
        #expect(evaluation.failedItems == (passes ? [] : ["eol.esk.temperature-calibration.b2"]))
    }

    @Test func answersThatContradictTheConfigurationFail() throws {
        let instance = ChecklistTemplate.preQCV2.instantiate(in: Self.v1Mixed)
        for (id, value) in [
            ("pre-qc.basin-count", JSONValue.number(2)), ("pre-qc.feet", "SEISMIC_FEET"), ("pre-qc.dimensions-bom", false),
            ("pre-qc.basin.faucet-location.b1", "CENTER"), ("pre-qc.basin.faucet-location.b3", "BETWEEN_2_3"),
        ] {
            let evaluation = try ChecklistEvaluation.evaluate(
                .array(Self.answers(instance, setting: id, "value", to: value)), against: instance
            )
            .get()
            #expect(evaluation.failedItems == [id], "\(id) = \(value)")
        }
    }

    /// CLP §1 offers each basin the placements beside it; the configured ones pass.
    @Test func faucetLocationsFollowTheFormAndTheOrder() {
        let sink = Self.mixed  // 3 basins, a wrist-blade pair between basins 1 and 2
        #expect(FaucetLocation(basin: 1, of: sink).offered == ["CENTER", "BETWEEN_1_2", "NONE"])
        #expect(FaucetLocation(basin: 2, of: sink).offered == ["BETWEEN_1_2", "BETWEEN_2_3", "CENTER", "NONE"])
        #expect(FaucetLocation(basin: 3, of: sink).offered == ["BETWEEN_2_3", "CENTER", "NONE"])
        #expect(FaucetLocation(basin: 1, of: sink).expected == ["BETWEEN_1_2"])
        #expect(FaucetLocation(basin: 3, of: sink).expected == ["NONE"])
        let single = Fixtures.sink(model: .t2B1, faucets: [Faucet(type: .wristBlade, quantity: 1, placement: .center)])
        #expect(FaucetLocation(basin: 1, of: single).offered == ["CENTER", "NONE"])
        #expect(FaucetLocation(basin: 1, of: single).expected == ["CENTER"])
        let pair = Fixtures.sink(faucets: [Faucet(type: .wristBlade, quantity: 1, placement: .center)])
        #expect(FaucetLocation(basin: 2, of: pair).expected == ["CENTER", "NONE"], "one centred faucet for two basins: either one has it")
        let instance = ChecklistTemplate.preQCV2.instantiate(in: Fixtures.context(single))
        #expect(instance.items.first { $0.id == "pre-qc.basin.faucet-location.b1" }?.options == ["CENTER", "NONE"])
    }

    @Test func otherDrainLocationNeedsItsText() throws {
        let instance = ChecklistTemplate.preQCV2.instantiate(in: Self.v1Mixed)
        let without = Self.answers(instance, setting: "pre-qc.basin.drain-location.b2", "value", to: "OTHER")
        guard case .failure(let failure) = ChecklistEvaluation.evaluate(.array(without), against: instance) else {
            Issue.record("OTHER without its text was accepted")
            return
        }
        #expect(failure.errors.map(\.field).contains { $0.hasSuffix(".note") })
        #expect(failure.errors.map(\.message).contains("Other (describe in the note): write it in the note"))
        let with = without.map {
            $0["itemId"] == "pre-qc.basin.drain-location.b2" ? $0.setting([.key("note")], to: "offset 4 in to the left") : $0
        }
        #expect(try ChecklistEvaluation.evaluate(.array(with), against: instance).get().outcome == .pass)
    }

    @Test func malformedAnswersAreNamed() {
        let instance = ChecklistTemplate.preQCV2.instantiate(in: Self.v1Mixed)
        var answers = Self.passingAnswers(instance)
        answers.removeAll { $0["itemId"] == "pre-qc.holes" }
        answers = answers.map { answer in
            switch answer["itemId"]?.string {
            case "pre-qc.dimensions-bom": answer.setting([.key("value")], to: "yes")
            case "pre-qc.basin.drain-location.b1": answer.setting([.key("value")], to: "LEFT")
            case "pre-qc.drawing-attached": answer.setting([.key("value")], to: nil).setting([.key("na")], to: true)
            case "pre-qc.basin.light.b2": answer.setting([.key("photos")], to: ["not-a-uuid"])
            default: answer
            }
        }
        answers.append(.object([JSONMember("itemId", "pre-qc.pegboard"), JSONMember("value", true)]))
        answers.append(.object([JSONMember("itemId", "pre-qc.nothing"), JSONMember("value", true)]))
        guard case .failure(let failure) = ChecklistEvaluation.evaluate(.array(answers), against: instance) else {
            Issue.record("expected errors")
            return
        }
        let messages = failure.errors.map(\.description)
        #expect(messages.contains { $0.contains("must be true or false") })
        #expect(messages.contains { $0.contains("\"LEFT\" is not one of CENTER, OTHER") })
        #expect(messages.contains { $0.contains("pre-qc.drawing-attached cannot be N/A") })
        #expect(messages.contains { $0.contains("pre-qc.pegboard does not apply to this build (needs a pegboard)") })
        #expect(messages.contains { $0.contains("\"pre-qc.nothing\" is not an item") })
        #expect(messages.contains { $0.contains("must be the id of an uploaded photo") })
        #expect(messages.contains { $0 == "answers: missing answers for pre-qc.holes" })
    }

    /// Version 2 offers no manual N/A: every line the forms print "N/A" beside is one the build decides (ADR 008).
    /// A template that allows it takes N/A where allowed, and only there.
    @Test func nAIsAcceptedWhereTheTemplateAllowsIt() throws {
        #expect(ChecklistTemplate.seedsV2.allSatisfy { $0.items.allSatisfy { !$0.naAllowed } })
        var template = ChecklistTemplate.productionV2
        template.sections[0].items[5].naAllowed = true  // production.logo
        let instance = template.instantiate(in: Self.v1Mixed)
        #expect(instance.applicableItems.filter(\.naAllowed).map(\.id) == ["production.logo"])
        let answers = Self.answers(instance, setting: "production.logo", "value", to: nil).map {
            $0["itemId"] == "production.logo" ? $0.setting([.key("na")], to: true) : $0
        }
        let evaluation = try ChecklistEvaluation.evaluate(.array(answers), against: instance).get()
        #expect(evaluation.outcome == .pass)
        #expect(evaluation.answers.filter(\.na).map(\.itemID) == ["production.logo"])
        let refused = Self.answers(instance, setting: "production.power-bar", "value", to: nil).map {
            $0["itemId"] == "production.power-bar" ? $0.setting([.key("na")], to: true) : $0
        }
        guard case .failure(let failure) = ChecklistEvaluation.evaluate(.array(refused), against: instance) else {
            Issue.record("N/A was accepted where the template does not allow it")
            return
        }
        #expect(failure.errors.map(\.message) == ["production.power-bar cannot be N/A"])
    }

    @Test func theLifterButtonIsTheOneTheLegKitHolds() {
        func expected(_ legs: Legs) -> [String]? {
            ChecklistTemplate.productionV2.instantiate(in: Fixtures.context(Fixtures.sink(legs: legs))).items
                .first { $0.id == "production.lifter-button" }?.expectedValues
        }
        #expect(expected(Legs(type: .heightAdjustable, model: .dl27)) == ["DPF1K", "DP1C"])
        #expect(expected(Legs(type: .heightAdjustable, model: .dl14)) == ["DP1C"])
        #expect(expected(Legs(type: .heightAdjustable, model: .lc1)) == ["DP1C"])
        #expect(expected(Legs(type: .fixedHeight, model: .dl14)) == nil, "no lifter: the item does not apply")
    }

    @Test func aDraftMayBePartialButNotWrong() throws {
        let instance = ChecklistTemplate.eolTestV2.instantiate(in: Self.v1Mixed)
        let partial: JSONValue = [
            .object([JSONMember("itemId", "eol.power-on"), JSONMember("value", true)]),
            .object([JSONMember("itemId", "eol.serial.touchscreen.b2"), JSONMember("note", "label unreadable")]),
        ]
        let draft = try ChecklistEvaluation.evaluate(partial, against: instance, mode: .draft).get()
        #expect(draft.answers.map(\.itemID) == ["eol.power-on", "eol.serial.touchscreen.b2"])
        #expect(draft.answers[1].value == nil)
        guard case .failure = ChecklistEvaluation.evaluate(partial, against: instance) else {
            Issue.record("a partial checklist was accepted for signing")
            return
        }
        let wrong: JSONValue = [.object([JSONMember("itemId", "eol.esk.dosing-pump.b3"), JSONMember("value", true)])]
        guard case .failure = ChecklistEvaluation.evaluate(wrong, against: instance, mode: .draft) else {
            Issue.record("a draft answered an item that does not apply")
            return
        }
    }

    @Test func theInstanceHasTheShapeOfTheAPI() throws {
        let json = ChecklistTemplate.preQCV2.instantiate(in: Self.v1Mixed).jsonValue(templateID: "t1")
        #expect(json["kind"] == "PRE_QC")
        #expect(json["templateVersion"] == 2)
        #expect(json["instrumentRequired"] == false)
        let drain = try #require(json["sections"]?.array.last?["items"]?.array.first { $0["id"] == "pre-qc.basin.drain-button.b1" })
        #expect(
            drain.members.map(\.key) == [
                "id", "text", "answerType", "basin", "applicable", "notApplicableReason", "naAllowed", "unit", "min", "max", "options",
                "failingOptions", "optionLabels", "noteRequiredFor", "expectedValues", "expectedQuantity", "source",
            ])
        #expect(drain["basin"] == 1)
        let feet = try #require(json["sections"]?.array[1]["items"]?.array.first { $0["id"] == "pre-qc.feet" })
        #expect(feet["optionLabels"]?["LOCK_LEVELING_CASTERS"] == "Lock & levelling castors")
        #expect(feet["expectedValues"] == ["LOCK_LEVELING_CASTERS"])
    }

    @Test func templatesAreDataThatRoundTrips() throws {
        for template in ChecklistTemplate.seeds + ChecklistTemplate.seedsV2 {
            let decoded = try JSONDecoder().decode(ChecklistTemplate.self, from: JSONEncoder().encode(template))
            #expect(decoded == template)
        }
    }

    @Test func conditionsReadAndWriteAsText() throws {
        for condition in ChecklistTemplate.seedsV2.flatMap({ $0.items.map(\.condition) }) {
            #expect(try ChecklistCondition.parse(condition.text).get() == condition, "\(condition.text)")
        }
        #expect(
            try ChecklistCondition.parse(#"all(basin(E_SINK), not(basin-bom("1/4-20 NYLON NUT", T2-TS7)))"#).get()
                == .all([.basinType([.eSink]), .not(.basinBOM(["1/4-20 NYLON NUT", "T2-TS7"]))]))
        for (text, message) in [
            ("basin(E_SNIK)", "E_SNIK is not one of E_SINK, E_SINK_DI, E_DRAIN at character 7"),
            ("pegboard extra", "unexpected text after the condition at character 10"),
            ("lifter", "lifter is not a condition; use one of always;"), ("bom(", "expected a name or a value at character 5"),
            ("legs(FIXED_HEIGHT, HEIGHT_ADJUSTABLE)", "legs takes one value"),
        ] {
            guard case .failure(let error) = ChecklistCondition.parse(text) else {
                Issue.record("\(text) was read")
                continue
            }
            #expect(error.message.hasPrefix(message), "\(text): \(error.message)")
        }
    }

    @Test func templateValidationNamesTheField() {
        var template = ChecklistTemplate.preQCV2
        template.sections[0].items[1].expected = .feet
        template.sections[1].items[4].noteRequiredFor = ["ELSEWHERE"]
        template.sections[2].items[0].condition = .all([.bom([])])
        template.sections[2].items[1].perAccessory = true
        template.sections[2].items[1].perBasin = true
        #expect(
            template.validationErrors().map(\.description) == [
                "sections[0].items[1].expected: FEET needs a CHOICE item offering every kind of feet",
                "sections[1].items[4].noteRequiredFor: must be among the options",
                "sections[2].items[0].condition: name at least one part or assembly id",
                "sections[2].items[1].perAccessory: an item repeats per basin or per accessory, not both",
            ])
    }
}
