import Foundation

/// The transition table of domain.md: who may move an order from one
/// status to another, and what must hold first.
public enum Lifecycle {
    /// What the store knows about an order when a transition is asked for.
    public struct Facts: Sendable, Hashable {
        public var everyBOMApproved: Bool
        public var everyOutsourcedLineReceived: Bool
        public var preQCPassedForEveryBuild: Bool
        public var preQCFailedForABuild: Bool
        public var productionAndTestsDoneForEveryBuild: Bool
        public var packagingDoneForEveryBuild: Bool
        public var finalQCPassedForEveryBuild: Bool
        public var finalQCFailedForABuild: Bool

        /// Facts of an order with no records yet: nothing approved, nothing checked.
        public init(
            everyBOMApproved: Bool = false, everyOutsourcedLineReceived: Bool = true, preQCPassedForEveryBuild: Bool = false,
            preQCFailedForABuild: Bool = false, productionAndTestsDoneForEveryBuild: Bool = false,
            packagingDoneForEveryBuild: Bool = false, finalQCPassedForEveryBuild: Bool = false, finalQCFailedForABuild: Bool = false
        ) {
            self.everyBOMApproved = everyBOMApproved
            self.everyOutsourcedLineReceived = everyOutsourcedLineReceived
            self.preQCPassedForEveryBuild = preQCPassedForEveryBuild
            self.preQCFailedForABuild = preQCFailedForABuild
            self.productionAndTestsDoneForEveryBuild = productionAndTestsDoneForEveryBuild
            self.packagingDoneForEveryBuild = packagingDoneForEveryBuild
            self.finalQCPassedForEveryBuild = finalQCPassedForEveryBuild
            self.finalQCFailedForABuild = finalQCFailedForABuild
        }
    }

    public struct Transition: Sendable {
        public let from: OrderStatus
        public let to: OrderStatus
        public let roles: Set<Role>
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
            case .notInTable(let from, let to): "an order cannot go from \(from.rawValue) to \(to.rawValue)"
            case .forbidden(let role, let from, let to): "\(role.rawValue) may not move an order from \(from.rawValue) to \(to.rawValue)"
            case .precondition(let reason): reason
            case .reasonRequired: "cancelling an order needs a written reason in note"
            }
        }
    }

    static let procurement: Set<Role> = [.procurementSpecialist, .admin]
    static let qc: Set<Role> = [.qcPerson, .admin]
    static let assemblers: Set<Role> = [.assembler, .admin]

    public static let transitions: [Transition] = [
        Transition(from: .orderCreated, to: .partsSent, roles: procurement) {
            $0.everyBOMApproved ? nil : "every build's BOM must be approved before parts are sent"
        },
        Transition(from: .partsSent, to: .readyForPreQC, roles: procurement) {
            $0.everyOutsourcedLineReceived ? nil : "every outsourced BOM line must be RECEIVED first"
        },
        Transition(from: .readyForPreQC, to: .readyForProduction, roles: qc) {
            $0.preQCPassedForEveryBuild ? nil : "every build needs a passed Pre-QC result"
        },
        Transition(from: .readyForPreQC, to: .partsSent, roles: qc) {
            $0.preQCFailedForABuild ? nil : "a build needs a failed Pre-QC result to send the order back"
        },
        Transition(from: .readyForProduction, to: .testingComplete, roles: assemblers) {
            $0.productionAndTestsDoneForEveryBuild
                ? nil : "every build needs an assembler holding it, its production checklist done and its end-of-line test passed"
        },
        Transition(from: .testingComplete, to: .packagingComplete, roles: assemblers) {
            $0.packagingDoneForEveryBuild ? nil : "every build needs its packaging checklist completed"
        },
        Transition(from: .packagingComplete, to: .readyForFinalQC, roles: assemblers) { _ in nil },
        Transition(from: .readyForFinalQC, to: .readyForShip, roles: qc) {
            $0.finalQCPassedForEveryBuild ? nil : "every build needs a passed Final QC result"
        },
        Transition(from: .readyForFinalQC, to: .readyForProduction, roles: qc) {
            $0.finalQCFailedForABuild ? nil : "a build needs a failed Final QC result to send the order back to production"
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
