import Foundation
import Testing

@testable import CleanStationCore

/// Each build on its own path (issue 16): the order's derived status, which
/// moves restart which checklists, and the rules of nonconformances.
@Suite struct BuildFlowTests {
    /// Issue 20: QC's send-backs were labelled "Send parts" and "Release to production".
    @Test func aMoveIsNamedForWhatItDoes() {
        let words = Dictionary(uniqueKeysWithValues: Lifecycle.transitions.map { ("\($0.from.rawValue)>\($0.to.rawValue)", $0.words) })
        #expect(words["READY_FOR_PRE_QC>PARTS_SENT"] == "Return to procurement")
        #expect(words["READY_FOR_FINAL_QC>READY_FOR_PRODUCTION"] == "Send back to production")
        #expect(words["ORDER_CREATED>PARTS_SENT"] == "Send parts")
        #expect(words["READY_FOR_PRE_QC>READY_FOR_PRODUCTION"] == "Release to production")
        for transition in Lifecycle.transitions where transition.backwards {
            #expect(transition.words.hasPrefix("Return") || transition.words.hasPrefix("Send back"), "\(transition.words)")
        }
        #expect(Set(Lifecycle.transitions.filter { $0.from == .readyForFinalQC }.map(\.words)).count == 2, "no two buttons read alike")
    }

    @Test func theOrderStandsAtItsLeastAdvancedBuild() {
        #expect(Lifecycle.orderStatus(of: [.readyForShip, .readyForProduction, .shipped]) == .readyForProduction)
        #expect(
            Lifecycle.orderStatus(of: [.shipped, .cancelled, .readyForShip]) == .readyForShip, "a cancelled build does not hold it back")
        #expect(Lifecycle.orderStatus(of: [.shipped, .shipped]) == .shipped)
        #expect(Lifecycle.orderStatus(of: [.cancelled, .cancelled]) == .cancelled)
        #expect(Lifecycle.orderStatus(of: []) == .cancelled)
        let breakdown = Lifecycle.breakdown(of: [.shipped, .readyForFinalQC, .shipped])
        #expect(breakdown.map(\.status) == [.readyForFinalQC, .shipped])
        #expect(breakdown.map(\.count) == [1, 2])
    }

    @Test func aMoveBackRestartsWhatLiesBetweenAndAForwardMoveNothing() {
        #expect(Lifecycle.restarted(from: .readyForFinalQC, to: .readyForProduction) == [.production, .eolTest, .packaging, .finalQC])
        #expect(Lifecycle.restarted(from: .readyForPreQC, to: .partsSent) == [.preQC])
        #expect(Lifecycle.restarted(from: .readyForProduction, to: .testingComplete).isEmpty)
        #expect(Lifecycle.restarted(from: .cancelled, to: .readyForProduction).isEmpty, "un-cancelling keeps the records")
        #expect(Lifecycle.restarted(from: .readyForShip, to: .cancelled).isEmpty)
        #expect(Lifecycle.restarted(from: nil, to: .orderCreated).isEmpty)
    }

    @Test func aReworkScopeRestartsOnlyItsChecklists() {
        let start = Date(timeIntervalSince1970: 1_000)
        let moves = [
            Lifecycle.Move(at: start, from: nil, to: .orderCreated),
            Lifecycle.Move(at: start + 10, from: .readyForFinalQC, to: .testingComplete, restarts: [.packaging, .finalQC]),
        ]
        #expect(Lifecycle.roundStart(.production, moves: moves) == .distantPast, "production stands")
        #expect(Lifecycle.roundStart(.eolTest, moves: moves) == .distantPast, "the end-of-line test stands")
        #expect(Lifecycle.roundStart(.packaging, moves: moves) == start + 10)
        #expect(Lifecycle.roundStart(.finalQC, moves: moves) == start + 10)
        let full = moves + [Lifecycle.Move(at: start + 20, from: .readyForFinalQC, to: .readyForProduction)]
        #expect(Lifecycle.roundStart(.production, moves: full) == start + 20, "a send-back without a scope restarts everything between")
    }

    @Test func aDispositionSendsTheBuildToTheFirstStageOfItsScope() {
        let packaging = Nonconformance.effect(of: .rework(scope: [.packaging]), failed: .finalQC)
        #expect(packaging?.to == .testingComplete)
        #expect(packaging?.restarts == [.packaging, .finalQC])
        let full = Nonconformance.effect(of: .rework(scope: [.production, .eolTest, .packaging]), failed: .finalQC)
        #expect(full?.to == .readyForProduction)
        let production = Nonconformance.effect(of: .rework(scope: [.production]), failed: .finalQC)
        #expect(production?.restarts == [.production, .eolTest, .packaging, .finalQC], "what follows the rework is done again")
        let reinspect = Nonconformance.effect(of: .rework(scope: []), failed: .finalQC)
        #expect(reinspect?.to == .readyForFinalQC)
        #expect(reinspect?.restarts == [.finalQC])
        #expect(Nonconformance.effect(of: .rework(scope: []), failed: .eolTest)?.to == .readyForProduction)
        #expect(Nonconformance.effect(of: .useAsIs, failed: .finalQC) == nil, "use as is moves nothing")
        #expect(Nonconformance.effect(of: .scrap, failed: .finalQC)?.to == .partsSent)
        #expect(Nonconformance.effect(of: .scrap, failed: .finalQC)?.restarts == Set(ChecklistKind.allCases))
        #expect(Nonconformance.effect(of: .returnToSupplier, failed: .preQC)?.to == .partsSent)
        #expect(Nonconformance.effect(of: .returnToSupplier, failed: .preQC)?.restarts == [.preQC])
    }

    @Test func aDispositionMustFitTheFailure() {
        #expect(Nonconformance.problems(.rework(scope: [.finalQC]), failed: .eolTest, justification: "").map(\.field) == ["scope"])
        #expect(Nonconformance.problems(.rework(scope: [.preQC]), failed: .finalQC, justification: "").map(\.field) == ["scope"])
        #expect(Nonconformance.problems(.rework(scope: [.packaging]), failed: .finalQC, justification: "").isEmpty)
        #expect(Nonconformance.problems(.useAsIs, failed: .finalQC, justification: "  ").map(\.field) == ["justification"])
        #expect(Nonconformance.problems(.useAsIs, failed: .finalQC, justification: "Cosmetic; customer agreed").isEmpty)
        #expect(Nonconformance.problems(.returnToSupplier, failed: .finalQC, justification: "").map(\.field) == ["disposition"])
        #expect(Nonconformance.problems(.returnToSupplier, failed: .preQC, justification: "").isEmpty)
    }

    @Test(arguments: Role.allCases)
    func whoDecidesAndWhoApproves(role: Role) {
        let decider = UUID()
        let other = UUID()
        let open = Nonconformance.Record(failed: .finalQC)
        let awaiting = Nonconformance.Record(failed: .finalQC, disposition: .useAsIs, decidedBy: decider)
        let qc = Nonconformance.deciders.contains(role)
        #expect((Nonconformance.refusal(.decide, role: role, actor: other, record: open) == nil) == qc)
        #expect((Nonconformance.refusal(.approve, role: role, actor: other, record: awaiting) == nil) == qc)
        if qc {
            guard case .role? = Nonconformance.refusal(.approve, role: role, actor: decider, record: awaiting) else {
                Issue.record("the one who decided approved their own use as is")
                return
            }
            guard case .conflict? = Nonconformance.refusal(.decide, role: role, actor: other, record: awaiting) else {
                Issue.record("a second disposition was allowed")
                return
            }
            guard case .conflict? = Nonconformance.refusal(.approve, role: role, actor: other, record: open) else {
                Issue.record("an approval without a use-as-is disposition was allowed")
                return
            }
        }
    }

    @Test func aChecklistWithAnUndecidedNonconformanceIsNotSignedAgain() {
        let facts = OrderPolicy.Facts(status: .readyForFinalQC, hasDrawing: true, undecidedNonconformance: "NCR-B1-1")
        #expect(
            OrderPolicy.refusal(.sign(.finalQC), role: .qcPerson, facts: facts)
                == .conflict(
                    "NCR-B1-1 waits for its disposition: QC decides it before the checklist is signed again."))
        #expect(OrderPolicy.refusal(.record(.finalQC), role: .qcPerson, facts: facts) == nil, "the draft may still be kept")
        #expect(Lifecycle.furthest(of: [.orderCreated, .partsSent, .cancelled]) == .partsSent)
    }

    @Test func theStatesOfAReport() {
        let id = UUID()
        #expect(Nonconformance.Record(failed: .finalQC).state == .open)
        #expect(Nonconformance.Record(failed: .finalQC, disposition: .rework(scope: [.packaging]), decidedBy: id).state == .inRework)
        #expect(Nonconformance.Record(failed: .finalQC, disposition: .useAsIs, decidedBy: id).state == .awaitingApproval)
        #expect(Nonconformance.Record(failed: .finalQC, disposition: .useAsIs, decidedBy: id, approvedBy: UUID()).state == .closed)
        #expect(Nonconformance.Record(failed: .finalQC, disposition: .scrap, decidedBy: id, closed: true).state == .closed)
    }
}

@Suite struct WantDateTests {
    @Test func overdueAtRiskAndOnTrack() {
        #expect(WantDate.standing("2026-12-05", today: "2026-12-06", status: .readyForProduction) == .overdue)
        #expect(WantDate.standing("2026-12-06", today: "2026-12-06", status: .readyForProduction) == .atRisk)
        #expect(WantDate.standing("2026-12-09", today: "2026-12-06", status: .orderCreated) == .atRisk)
        #expect(WantDate.standing("2026-12-10", today: "2026-12-06", status: .orderCreated) == nil)
        #expect(WantDate.standing("2026-12-01", today: "2026-12-06", status: .shipped) == nil, "shipped is done")
        #expect(WantDate.standing("2026-12-01", today: "2026-12-06", status: .cancelled) == nil)
        #expect(WantDate.riskHorizon("2026-12-30") == "2027-01-02", "across the year")
        #expect(WantDate.riskHorizon("2028-02-27") == "2028-03-01", "a leap year")
    }
}
