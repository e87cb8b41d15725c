import Testing

@testable import CleanStationCore

@Suite struct LotCaptureTests {
    @Test func aLotIsTrimmedAndBoundedAndPrintable() throws {
        #expect(try LotCapture.read("  L2026-118 ").get() == "L2026-118")
        #expect(throws: FieldError.self) { try LotCapture.read("   ").get() }
        #expect(throws: FieldError.self) { try LotCapture.read(String(repeating: "7", count: LotCapture.maxLength + 1)).get() }
        #expect(try LotCapture.read(String(repeating: "7", count: LotCapture.maxLength)).get().count == LotCapture.maxLength)
        #expect(throws: FieldError.self) { try LotCapture.read("L1\u{0}2").get() }
        if case .failure(let error) = LotCapture.read("", field: "lots[0]") {
            #expect(error.field == "lots[0]")
        } else {
            Issue.record("empty")
        }
    }

    @Test func onlyAnAdministratorFlagsAnItem() {
        #expect(Role.allCases.filter(LotCapture.mayFlag) == [.admin])
    }

    @Test func theLinesWithoutALotAreMissingInBOMOrder() {
        #expect(LotCapture.missing(tracked: ["A", "B", "C"], recorded: ["B"]) == ["A", "C"])
        #expect(LotCapture.missing(tracked: [], recorded: ["B"]).isEmpty)
    }

    @Test func theHolderRecordsLotsInProductionUntilItIsSigned() {
        func refusal(_ role: Role, _ facts: OrderPolicy.Facts) -> OrderPolicy.Refusal? {
            OrderPolicy.refusal(.recordLot, role: role, facts: facts)
        }
        let held = OrderPolicy.Facts(status: .readyForProduction, held: true, heldByActor: true)
        #expect(refusal(.assembler, held) == nil)
        #expect(refusal(.qcPerson, held).map { if case .role = $0 { true } else { false } } == true)
        #expect(refusal(.admin, held).map { if case .role = $0 { true } else { false } } == true)
        let other = OrderPolicy.Facts(status: .readyForProduction, held: true, heldByActor: false)
        #expect(refusal(.assembler, other).map { if case .conflict = $0 { true } else { false } } == true)
        let testing = OrderPolicy.Facts(status: .testingComplete, held: true, heldByActor: true)
        #expect(refusal(.assembler, testing).map { if case .state = $0 { true } else { false } } == true)
        var signed = held
        signed.productionSigned = true
        #expect(refusal(.assembler, signed)?.message.contains("stand as signed") == true)
    }

    @Test func productionIsNotSignedWhileALotIsMissing() {
        let facts = OrderPolicy.Facts(status: .readyForProduction, held: true, heldByActor: true, missingLots: ["T2-CTRL-EDR1"])
        let refusal = OrderPolicy.refusal(.sign(.production), role: .assembler, facts: facts)
        #expect(refusal == .lotsMissing(["T2-CTRL-EDR1"]))
        #expect(
            OrderPolicy.naming(refusal!.message, build: "B7")
                == "The lot of T2-CTRL-EDR1 is not recorded: record it on build B7's tasks first")
        // Recording a draft is not signing, and the other checklists do not ask for lots.
        #expect(OrderPolicy.refusal(.record(.production), role: .assembler, facts: facts) == nil)
        #expect(OrderPolicy.refusal(.sign(.eolTest), role: .assembler, facts: facts) == nil)
        // Open tasks are named first: they are what the assembler does next.
        var both = facts
        both.openTasks = 2
        #expect(OrderPolicy.refusal(.sign(.production), role: .assembler, facts: both) == .tasksOpen(2))
    }
}
