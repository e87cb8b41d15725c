import Testing

@testable import CleanStationCore

/// Every role × every status × every action of `OrderPolicy`, against the
/// rules written out once more as a table: who (roles), when (statuses),
/// and what else must hold (issue 16, step 1).
@Suite struct OrderPolicyTests {
    static let actions: [OrderPolicy.Action] =
        [
            .approveBOM, .rejectBOM, .editOrder, .editHeader, .claim, .release, .assign, .outsource, .ship, .override(to: .partsSent),
            .changeConfiguration, .readDeviceHistory, .recordLot,
        ]
        + ChecklistKind.allCases.flatMap { [OrderPolicy.Action.record($0), .sign($0)] }

    /// Who may, and in which statuses, with every other fact in its favour.
    static func table(_ action: OrderPolicy.Action) -> (roles: Set<Role>, statuses: Set<OrderStatus>) {
        let production: Set<OrderStatus> = [.readyForProduction, .testingComplete, .packagingComplete]
        switch action {
        case .approveBOM: return ([.procurementSpecialist, .admin], [.orderCreated])
        case .rejectBOM: return ([.procurementSpecialist, .admin], [.orderCreated])
        case .editOrder: return ([.productionCoordinator, .admin], [.orderCreated])
        case .editHeader: return ([.productionCoordinator, .admin], Set(OrderStatus.allCases).subtracting([.shipped, .cancelled]))
        case .ship: return ([.productionCoordinator, .admin], [.readyForShip])
        case .changeConfiguration: return ([.productionCoordinator, .admin], [.orderCreated, .partsSent, .readyForPreQC])
        case .override(let target): return ([.admin], Set(OrderStatus.allCases).subtracting([.shipped, target]))
        case .readDeviceHistory: return ([.qcPerson, .productionCoordinator, .admin], [.shipped])
        case .claim: return ([.assembler], production)
        case .release: return ([.assembler, .admin], production)
        case .assign: return ([.admin], production)
        case .outsource: return ([.procurementSpecialist, .admin], [.orderCreated, .partsSent])
        case .recordLot: return ([.assembler], [.readyForProduction])
        case .record(let kind), .sign(let kind):
            switch kind {
            case .preQC: return ([.qcPerson], [.readyForPreQC])
            case .production, .eolTest: return ([.assembler], [.readyForProduction])
            case .packaging: return ([.assembler], [.testingComplete])
            case .finalQC: return ([.qcPerson], [.readyForFinalQC])
            }
        }
    }

    /// The facts most in favour of `action` by `role`.
    static func favourable(_ action: OrderPolicy.Action, _ status: OrderStatus) -> OrderPolicy.Facts {
        switch action {
        case .claim: OrderPolicy.Facts(status: status)
        default: OrderPolicy.Facts(status: status, held: true, heldByActor: true, hasDrawing: true)
        }
    }

    @Test(arguments: Role.allCases, OrderStatus.allCases)
    func everyRoleStatusAndActionFollowsTheTable(role: Role, status: OrderStatus) {
        for action in Self.actions {
            let (roles, statuses) = Self.table(action)
            let refusal = OrderPolicy.refusal(action, role: role, facts: Self.favourable(action, status))
            if action == .override(to: .partsSent), role == .admin, status == .partsSent {
                #expect(refusal == .conflict("The build is at Parts sent already."))
            } else if action == .release, role == .admin {
                // An administrator clears a hold in any status: one left after production would hold the build forever.
                #expect(refusal == nil, "release by an administrator at \(status)")
            } else if !roles.contains(role) {
                guard case .role? = refusal else {
                    Issue.record("\(action) by \(role) at \(status): \(String(describing: refusal)), expected a 403")
                    continue
                }
            } else if !statuses.contains(status) {
                guard case .state? = refusal else {
                    Issue.record("\(action) by \(role) at \(status): \(String(describing: refusal)), expected a 409")
                    continue
                }
            } else {
                #expect(refusal == nil, "\(action) by \(role) at \(status)")
            }
        }
    }

    @Test func theFactsBesideRoleAndStatus() {
        func refusal(_ action: OrderPolicy.Action, _ role: Role, _ facts: OrderPolicy.Facts) -> OrderPolicy.Refusal? {
            OrderPolicy.refusal(action, role: role, facts: facts)
        }
        #expect(
            refusal(.approveBOM, .procurementSpecialist, .init(status: .orderCreated, bomApproved: true))
                == .conflict("The BOM of the build is approved already."))
        #expect(
            refusal(.claim, .assembler, .init(status: .readyForProduction, held: true))
                == .conflict("The build is held by another assembler."))
        #expect(
            refusal(.claim, .assembler, .init(status: .readyForProduction, held: true, heldByActor: true))
                == .conflict("You hold the build already."))
        #expect(
            refusal(.release, .assembler, .init(status: .readyForProduction, held: true))
                == .conflict("The build is held by another assembler, not by you."))
        #expect(
            refusal(.release, .assembler, .init(status: .readyForFinalQC, held: true, heldByActor: true))?.message.contains(
                "held in production") == true)
        #expect(refusal(.release, .admin, .init(status: .readyForProduction)) == .conflict("Nobody holds the build."))
        #expect(refusal(.release, .admin, .init(status: .shipped, held: true)) == nil, "a hold left after production is cleared")
        #expect(OrderPolicy.naming("The build is held; claim the build.", build: "B7") == "Build B7 is held; claim build B7.")
        // The assembly forms need the hold; the state is told first when both are wrong.
        #expect(
            refusal(.record(.production), .assembler, .init(status: .readyForProduction, held: true))?.message.hasPrefix("Claim") == true)
        #expect(
            refusal(.record(.production), .assembler, .init(status: .testingComplete))?.message
                == "The Production checklist is recorded at Ready for production; the build is at Testing complete.")
        // Pre-QC is signed against the drawing; production with every task done.
        let preQC = OrderPolicy.Facts(status: .readyForPreQC)
        #expect(refusal(.record(.preQC), .qcPerson, preQC) == nil, "a draft needs no drawing yet")
        #expect(refusal(.sign(.preQC), .qcPerson, preQC)?.message.contains("DRAWING") == true)
        let tasks = OrderPolicy.Facts(status: .readyForProduction, held: true, heldByActor: true, openTasks: 3)
        #expect(refusal(.record(.production), .assembler, tasks) == nil)
        #expect(refusal(.sign(.production), .assembler, tasks) == .tasksOpen(3))
    }
}
