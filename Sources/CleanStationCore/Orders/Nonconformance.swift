import Foundation

/// Control of nonconforming product (ISO 13485 §8.3; issue 16): a failed
/// Pre-QC, end-of-line test or Final QC opens a nonconformance on its
/// build; QC decides its disposition; the result that verifies the rework
/// closes it. These are its rules, which the API and the pages both ask.
public enum Nonconformance {
    /// The checklists whose failure opens a nonconformance.
    public static let opensOn: Set<ChecklistKind> = [.preQC, .eolTest, .finalQC]
    /// Who decides and who approves.
    public static let deciders: Set<Role> = [.qcPerson, .admin]

    public enum Disposition: Hashable, Sendable {
        /// The stages from the earliest in `scope` to the failed one are done
        /// again (the failed checklist always is, as the verification): a
        /// reworked sink is tested again after the work, not before.
        case rework(scope: Set<ChecklistKind>)
        /// Accepted as it is: needs a second approval by another QC person or an administrator.
        case useAsIs
        /// The sink is scrapped and built again from new parts.
        case scrap
        /// Parts found wrong at Pre-QC go back to the supplier.
        case returnToSupplier

        public var code: String {
            switch self {
            case .rework: "REWORK"
            case .useAsIs: "USE_AS_IS"
            case .scrap: "SCRAP"
            case .returnToSupplier: "RETURN_TO_SUPPLIER"
            }
        }

        public static let codes = ["REWORK", "USE_AS_IS", "SCRAP", "RETURN_TO_SUPPLIER"]

        public var words: String {
            switch self {
            case .rework(let scope): "Rework: " + ChecklistKind.allCases.filter(scope.contains).map(\.words).joined(separator: ", ")
            case .useAsIs: "Use as is"
            case .scrap: "Scrap and rebuild"
            case .returnToSupplier: "Return to supplier"
            }
        }
    }

    public enum State: String, Sendable, Hashable, CaseIterable, Codable {
        /// Waiting for QC's disposition.
        case open = "OPEN"
        /// Use as is, waiting for the second approval.
        case awaitingApproval = "AWAITING_APPROVAL"
        /// Disposition decided; waiting for the result that verifies it.
        case inRework = "IN_REWORK"
        case closed = "CLOSED"

        public var words: String {
            switch self {
            case .open: "Open: disposition needed"
            case .awaitingApproval: "Awaiting second approval"
            case .inRework: "In rework"
            case .closed: "Closed"
            }
        }
    }

    /// What the records hold of one nonconformance.
    public struct Record: Sendable, Hashable {
        public var failed: ChecklistKind
        public var disposition: Disposition?
        public var decidedBy: UUID?
        public var approvedBy: UUID?
        public var closed: Bool

        public init(
            failed: ChecklistKind, disposition: Disposition? = nil, decidedBy: UUID? = nil, approvedBy: UUID? = nil, closed: Bool = false
        ) {
            self.failed = failed
            self.disposition = disposition
            self.decidedBy = decidedBy
            self.approvedBy = approvedBy
            self.closed = closed
        }

        public var state: State {
            if closed { return .closed }
            guard let disposition else { return .open }
            if disposition == .useAsIs { return approvedBy == nil ? .awaitingApproval : .closed }
            return .inRework
        }
    }

    /// What a disposition does to the build: where it goes back to, and
    /// which checklists must be signed again there; `nil` for use as is,
    /// which moves nothing.
    public static func effect(of disposition: Disposition, failed: ChecklistKind) -> (to: OrderStatus, restarts: Set<ChecklistKind>)? {
        switch disposition {
        case .rework(let scope):
            let redone = reworked(scope, failed: failed)
            return (OrderPolicy.recordingStatus(ChecklistKind.allCases.first(where: redone.contains)!), redone)
        case .useAsIs: return nil
        case .scrap: return (.partsSent, Set(ChecklistKind.allCases))
        case .returnToSupplier: return (.partsSent, [.preQC])
        }
    }

    /// The checklists a rework of `scope` signs again: every one from the
    /// earliest in the scope to the failed one.
    public static func reworked(_ scope: Set<ChecklistKind>, failed: ChecklistKind) -> Set<ChecklistKind> {
        let kinds = ChecklistKind.allCases
        let last = kinds.firstIndex(of: failed)!
        let first = kinds.firstIndex { scope.contains($0) && kinds.firstIndex(of: $0)! <= last } ?? last
        return Set(kinds[first...last])
    }

    /// Why a disposition does not fit the failure, by field.
    public static func problems(_ disposition: Disposition, failed: ChecklistKind, justification: String) -> [FieldError] {
        var problems: [FieldError] = []
        switch disposition {
        case .rework(let scope):
            let position = ChecklistKind.allCases.firstIndex(of: failed)!
            for kind in ChecklistKind.allCases.filter(scope.contains) {
                if ChecklistKind.allCases.firstIndex(of: kind)! > position {
                    problems.append(
                        FieldError(field: "scope", message: "\(kind.words) comes after the failed \(failed.words): it cannot be reworked"))
                } else if kind == .preQC, failed != .preQC {
                    problems.append(
                        FieldError(field: "scope", message: "Pre-QC is not redone once the sink is built; choose scrap to start again"))
                }
            }
        case .useAsIs:
            if justification.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(FieldError(field: "justification", message: "use as is needs a written justification"))
            }
        case .scrap: break
        case .returnToSupplier:
            if failed != .preQC {
                problems.append(FieldError(field: "disposition", message: "parts go back to the supplier from Pre-QC only"))
            }
        }
        return problems
    }

    public enum Action: Sendable, Hashable {
        case decide
        case approve
    }

    /// Why `actor` in `role` may not take `action` on the nonconformance now, or `nil`.
    public static func refusal(_ action: Action, role: Role, actor: UUID, record: Record) -> OrderPolicy.Refusal? {
        guard deciders.contains(role) else { return .role("Only QC or an administrator decides on a nonconformance.") }
        switch action {
        case .decide:
            return record.state == .open
                ? nil : .conflict("The nonconformance has its disposition already (\(record.state.words.lowercased())).")
        case .approve:
            guard record.state == .awaitingApproval else {
                return .conflict(
                    "Only a use-as-is disposition waiting for its second approval is approved; this one is \(record.state.words.lowercased())."
                )
            }
            return record.decidedBy == actor
                ? .role(
                    "The second approval of a use-as-is disposition is by another QC person or an administrator, not by the one who decided it."
                )
                : nil
        }
    }
}

extension ChecklistKind {
    /// How the floor says it.
    public var words: String {
        switch self {
        case .preQC: "Pre-QC"
        case .production: "Production"
        case .eolTest: "End-of-line test"
        case .packaging: "Packaging"
        case .finalQC: "Final QC"
        }
    }
}
