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

    @Test func seedsHaveUniqueStableIDsAndCoverEveryKind() {
        #expect(ChecklistTemplate.seeds.map(\.kind) == ChecklistKind.allCases)
        let ids = ChecklistTemplate.seeds.flatMap { $0.items.map(\.id) }
        #expect(Set(ids).count == ids.count)
        for template in ChecklistTemplate.seeds {
            #expect(template.version == 1)
            #expect(template.items.allSatisfy { $0.id.hasPrefix(template.kind == .eolTest ? "eol." : template.kind.pathName + ".") })
            #expect(template.items.filter { $0.answerType == .choice }.allSatisfy { !($0.options ?? []).isEmpty })
        }
        #expect(ChecklistKind(pathName: "eol-test") == .eolTest)
        #expect(ChecklistKind.finalQC.pathName == "final-qc")
    }

    @Test func perBasinItemsFollowTheBasinTypes() {
        let production = ChecklistTemplate.production.instantiate(for: Self.mixed)
        let edrain = production.items.filter { $0.templateItemID == "production.edr.overflow-sensor" }
        #expect(edrain.map(\.id) == ["production.edr.overflow-sensor.b1"])
        let esink = production.items.filter { $0.templateItemID == "production.esk.touchscreen" }
        #expect(esink.map(\.basin) == [2, 3])
        #expect(item("production.ohl-bracket", in: production)?.applicable == false, "no pegboard, no bracket")
        #expect(item("production.air-gun", in: production)?.applicable == true)
        #expect(item("production.water-gun", in: production)?.applicable == false)
        let eol = ChecklistTemplate.eolTest.instantiate(for: Self.mixed)
        #expect(eol.items.filter { $0.templateItemID == "eol.esk.basin-light" }.map(\.basin) == [2])
        #expect(eol.items.filter { $0.templateItemID == "eol.edr.basin-light" }.map(\.applicable) == [false])
        #expect(
            eol.items.filter { $0.templateItemID == "eol.esk.bottom-fill-temperature" }.map(\.basin) == [2], "DI basins have no bottom fill"
        )
        #expect(eol.items.filter { $0.templateItemID == "eol.serial.control-box" }.map(\.basin) == [1, 2, 3])
    }

    @Test func aPegboardAndCastersBringTheirItems() {
        let pegboard = Fixtures.sink(pegboard: Pegboard(type: .solid, color: nil, size: .sameAsSink), feet: .seismicFeet)
        let preQC = ChecklistTemplate.preQC.instantiate(for: pegboard)
        #expect(item("pre-qc.pegboard", in: preQC)?.applicable == true)
        #expect(item("pre-qc.feet.levelling", in: preQC)?.applicable == true)
        #expect(item("pre-qc.feet.castors", in: preQC)?.applicable == false)
        #expect(item("pre-qc.pegboard", in: ChecklistTemplate.preQC.instantiate(for: Self.mixed))?.applicable == false)
    }

    @Test func packagingQuantitiesComeFromTheConfiguration() {
        let packaging = ChecklistTemplate.packaging.instantiate(for: Self.mixed)
        #expect(item("packaging.strainers", in: packaging)?.expectedQuantity == 3)
        #expect(item("packaging.temperature-sensors", in: packaging)?.expectedQuantity == 1)
        #expect(item("packaging.tubesets", in: packaging)?.expectedQuantity == 1)
        #expect(item("packaging.faucet-kit", in: packaging)?.expectedQuantity == 2)
        #expect(item("packaging.air-gun-kit", in: packaging)?.expectedQuantity == 1)
        #expect(item("packaging.water-gun-kit", in: packaging)?.applicable == false)
        #expect(item("packaging.water-gun-kit", in: packaging)?.expectedQuantity == nil)
        #expect(item("packaging.esink-manual", in: packaging)?.expectedQuantity == 1)
    }

    /// Answers passing every applicable item of an instance.
    static func passingAnswers(_ instance: ChecklistInstance) -> [JSONValue] {
        instance.items.filter(\.applicable).map { item in
            let value: JSONValue =
                switch item.answerType {
                case .check: true
                case .number: .number(((item.min ?? 0) + (item.max ?? 0)) / 2)
                case .text, .serial: "SN-001"
                case .choice: .string(item.options!.first!)
                }
            return .object([JSONMember("itemId", .string(item.id)), JSONMember("value", value)])
        }
    }

    @Test func everyApplicableItemPassingIsAPass() throws {
        for template in ChecklistTemplate.seeds {
            let instance = template.instantiate(for: Self.mixed)
            let evaluation = try ChecklistEvaluation.evaluate(.array(Self.passingAnswers(instance)), against: instance).get()
            #expect(evaluation.outcome == .pass, "\(template.kind)")
            #expect(evaluation.failedItems.isEmpty)
        }
    }

    @Test(arguments: [(-2.0, true), (2.0, true), (-2.01, false), (2.5, false), (0, true)])
    func numericLimitsAreInclusiveAndDecide(reading: Double, passes: Bool) throws {
        let instance = ChecklistTemplate.eolTest.instantiate(for: Self.mixed)
        let answers = Self.passingAnswers(instance).map { answer in
            answer["itemId"] == "eol.esk.temperature-calibration.b2" ? answer.setting([.key("value")], to: .number(reading)) : answer
        }
        let evaluation = try ChecklistEvaluation.evaluate(.array(answers), against: instance).get()
        #expect(evaluation.outcome == (passes ? .pass : .fail))
        #expect(evaluation.failedItems == (passes ? [] : ["eol.esk.temperature-calibration.b2"]))
    }

    @Test func aFalseCheckOrAFailingChoiceFails() throws {
        let instance = ChecklistTemplate.preQC.instantiate(for: Self.mixed)
        let answers = Self.passingAnswers(instance).map { answer in
            answer["itemId"] == "pre-qc.bom" ? answer.setting([.key("value")], to: false) : answer
        }
        let evaluation = try ChecklistEvaluation.evaluate(.array(answers), against: instance).get()
        #expect(evaluation.outcome == .fail)
        #expect(evaluation.failedItems == ["pre-qc.bom"])
    }

    @Test func malformedAnswersAreNamed() {
        let instance = ChecklistTemplate.preQC.instantiate(for: Self.mixed)
        var answers = Self.passingAnswers(instance)
        answers.removeAll { $0["itemId"] == "pre-qc.bom" }
        answers = answers.map { answer in
            switch answer["itemId"]?.string {
            case "pre-qc.final-dimensions": answer.setting([.key("value")], to: "yes")
            case "pre-qc.basin.drain-location.b1": answer.setting([.key("value")], to: "LEFT")
            case "pre-qc.faucet-holes": answer.setting([.key("value")], to: nil).setting([.key("na")], to: true)
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
        #expect(messages.contains { $0.contains("pre-qc.faucet-holes cannot be N/A") })
        #expect(messages.contains { $0.contains("pre-qc.pegboard does not apply") })
        #expect(messages.contains { $0.contains("\"pre-qc.nothing\" is not an item") })
        #expect(messages.contains { $0 == "answers: missing answers for pre-qc.bom" })
    }

    @Test func nAIsAcceptedWhereAllowed() throws {
        let instance = ChecklistTemplate.preQC.instantiate(for: Self.mixed)
        let answers = Self.passingAnswers(instance).map { answer in
            answer["itemId"]?.string?.hasPrefix("pre-qc.basin.faucet-location") == true
                ? .object([JSONMember("itemId", answer["itemId"]!), JSONMember("na", true)]) : answer
        }
        let evaluation = try ChecklistEvaluation.evaluate(.array(answers), against: instance).get()
        #expect(evaluation.outcome == .pass)
        #expect(evaluation.answers.filter(\.na).count == 3)
    }

    @Test func theInstanceHasTheShapeOfTheAPI() throws {
        let json = ChecklistTemplate.preQC.instantiate(for: Self.mixed).jsonValue(templateID: "t1")
        #expect(json["kind"] == "PRE_QC")
        #expect(json["templateVersion"] == 1)
        let drain = try #require(json["sections"]?.array.last?["items"]?.array.first { $0["id"] == "pre-qc.basin.drain-button.b1" })
        #expect(
            drain.members.map(\.key) == [
                "id", "text", "answerType", "basin", "applicable", "naAllowed", "unit", "min", "max", "options", "expectedQuantity",
            ])
        #expect(drain["basin"] == 1)
    }

    @Test func conditionsAreDataThatRoundTrips() throws {
        let template = ChecklistTemplate.eolTest
        let decoded = try JSONDecoder().decode(ChecklistTemplate.self, from: JSONEncoder().encode(template))
        #expect(decoded == template)
    }
}
