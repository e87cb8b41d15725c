import Foundation

/// The transition table of domain.md: who may move a build from one
/// status to another, and what must hold first. The order's own status is
/// derived from its builds' (`orderStatus(of:)`).
public enum Lifecycle {
    /// What the records say about one build when a move of it is asked for
    /// (each build moves on its own: issue 16).
    public struct Facts: Sendable, Hashable {
        public var bomApproved: Bool
        public var outsourcedLinesReceived: Bool
        public var preQCPassed: Bool
        public var preQCFailed: Bool
        public var productionAndTestsDone: Bool
        public var packagingDone: Bool
        public var finalQCPassed: Bool
        public var finalQCFailed: Bool

        /// Facts of a build with no records yet: nothing approved, nothing checked.
        public init(
            bomApproved: Bool = false, outsourcedLinesReceived: Bool = true, preQCPassed: Bool = false, preQCFailed: Bool = false,
            productionAndTestsDone: Bool = false, packagingDone: Bool = false, finalQCPassed: Bool = false, finalQCFailed: Bool = false
        ) {
            self.bomApproved = bomApproved
            self.outsourcedLinesReceived = outsourcedLinesReceived
            self.preQCPassed = preQCPassed
            self.preQCFailed = preQCFailed
            self.productionAndTestsDone = productionAndTestsDone
            self.packagingDone = packagingDone
            self.finalQCPassed = finalQCPassed
            self.finalQCFailed = finalQCFailed
        }
    }

    public struct Transition: Sendable {
        public let from: OrderStatus
        public let to: OrderStatus
        public let roles: Set<Role>
        /// Whether it sends the build back to an earlier stage.
        public var backwards: Bool { (to.stage ?? 0) < (from.stage ?? 0) }

        /// The button that makes this move, named for what it does: a send-back says where the build goes.
        public var words: String {
            switch (from, to) {
            case (.readyForPreQC, .partsSent): "Return to procurement"
            case (_, .readyForProduction) where backwards: "Send back to production"
            case (_, .partsSent): "Send parts"
            case (_, .readyForPreQC): "Ready for Pre-QC"
            case (_, .readyForProduction): "Release to production"
            case (_, .testingComplete): "Mark testing complete"
            case (_, .packagingComplete): "Mark packaging complete"
            case (_, .readyForFinalQC): "Hand over to Final QC"
            case (_, .readyForShip): "Approve for shipping"
            case (_, .shipped): "Mark shipped"
            case (_, .cancelled): "Cancel"
            case (_, .orderCreated): "Reopen"
            }
        }

        /// `nil` when the facts allow it, else the reason it is refused.
        let precondition: @Sendable (Facts) -> String?
    }

    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// No such transition: 409.
        case notInTable(from: OrderStatus, to: OrderStatus)
        /// The role may not make it: 403.
        case forbidden(role: Role, from: OrderStatus, to: OrderStatus)
        /// Its precondition does not hold: 409.
        case precondition(String)
        /// An admin cancelling must say why: 422.
        case reasonRequired

        public var description: String {
            switch self {
            case .notInTable(let from, let to): "a build cannot go from \(from.words) to \(to.words)"
            case .forbidden(let role, let from, let to): "\(role.rawValue) may not move a build from \(from.words) to \(to.words)"
            case .precondition(let reason): reason
            case .reasonRequired: "cancelling needs a written reason in note"
            }
        }
    }

    static let procurement: Set<Role> = [.procurementSpecialist, .admin]
    static let qc: Set<Role> = [.qcPerson, .admin]
    static let assemblers: Set<Role> = [.assembler, .admin]

    public static let transitions: [Transition] = [
        Transition(from: .orderCreated, to: .partsSent, roles: procurement) {
            $0.bomApproved ? nil : "the build's BOM must be approved before its parts are sent"
        },
        Transition(from: .partsSent, to: .readyForPreQC, roles: procurement) {
            $0.outsourcedLinesReceived ? nil : "every outsourced BOM line must be RECEIVED first"
        },
        Transition(from: .readyForPreQC, to: .readyForProduction, roles: qc) {
            $0.preQCPassed ? nil : "the build needs a passed Pre-QC result"
        },
        Transition(from: .readyForPreQC, to: .partsSent, roles: qc) {
            $0.preQCFailed ? nil : "the build needs a failed Pre-QC result to be sent back"
        },
        Transition(from: .readyForProduction, to: .testingComplete, roles: assemblers) {
            $0.productionAndTestsDone
                ? nil : "the build needs an assembler holding it, its production checklist done and its end-of-line test passed"
        },
        Transition(from: .testingComplete, to: .packagingComplete, roles: assemblers) {
            $0.packagingDone ? nil : "the build needs its packaging checklist completed"
        },
        Transition(from: .packagingComplete, to: .readyForFinalQC, roles: assemblers) { _ in nil },
        Transition(from: .readyForFinalQC, to: .readyForShip, roles: qc) {
            $0.finalQCPassed ? nil : "the build needs a passed Final QC result"
        },
        Transition(from: .readyForFinalQC, to: .readyForProduction, roles: qc) {
            $0.finalQCFailed ? nil : "the build needs a failed Final QC result to be sent back to production"
        },
        Transition(from: .readyForShip, to: .shipped, roles: [.productionCoordinator, .admin]) { _ in nil },
    ]

    /// Checks one requested transition; the admin's cancel needs a reason.
    public static func check(
        from: OrderStatus, to: OrderStatus, role: Role, facts: Facts, note: String?
    ) -> Result<Void, Refusal> {
        if to == .cancelled, from != .shipped, from != .cancelled {
            guard role == .admin else { return .failure(.forbidden(role: role, from: from, to: to)) }
            guard let note, !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .failure(.reasonRequired) }
            return .success(())
        }
        guard let transition = transitions.first(where: { $0.from == from && $0.to == to }) else {
            return .failure(.notInTable(from: from, to: to))
        }
        guard transition.roles.contains(role) else { return .failure(.forbidden(role: role, from: from, to: to)) }
        if let reason = transition.precondition(facts) { return .failure(.precondition(reason)) }
        return .success(())
    }
}
