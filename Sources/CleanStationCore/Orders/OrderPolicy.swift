import Foundation

/// Who may act on a build of an order, and when (issue 16, step 1): one
/// function that the API's guards and the pages' buttons both ask, so that
/// a button is never offered for an action the API refuses. The order's
/// transitions are `Lifecycle`'s table; the signer of a checklist is
/// `ChecklistSigning`'s; outsourcing's statuses are `Outsourcing`'s.
public enum OrderPolicy {
    public enum Action: Hashable, Sendable {
        case approveBOM
        /// Send the BOM back to the coordinator, with a reason.
        case rejectBOM
        case editOrder
        /// The want date, notes, project name or customer contact, at any status before SHIPPED.
        case editHeader
        /// Force the build's status (or un-cancel it), with a reason and the password.
        case override(to: OrderStatus)
        /// Put builds ready to ship into a shipment.
        case ship
        /// Change one build's configuration: before production, a change
        /// request that sends the build back to its BOM review.
        case changeConfiguration
        case claim
        case release
        case assign
        case outsource
        /// A draft or a photo of a checklist.
        case record(ChecklistKind)
        case sign(ChecklistKind)
        /// Download the build's device history record, filed when it ships.
        case readDeviceHistory
        /// Record (or correct) the lot of a lot-tracked BOM line, at assembly (`LotCapture`).
        case recordLot
    }

    /// What the records say about the build acted on, and who acts.
    public struct Facts: Sendable, Hashable {
        public var status: OrderStatus
        public var bomApproved: Bool
        /// Whether the build is held, and whether by the one acting.
        public var held: Bool
        public var heldByActor: Bool
        /// The order has a DRAWING document (Pre-QC checks the sink against it).
        public var hasDrawing: Bool
        /// Production tasks of the build not checked off.
        public var openTasks: Int
        /// A nonconformance of the checklist signed that waits for its disposition (its number).
        public var undecidedNonconformance: String?
        /// The build's lot-tracked BOM lines without a recorded lot (`LotCapture.missing`).
        public var missingLots: [String]
        /// The production checklist is signed PASS in this round: its tasks and lots stand as signed.
        public var productionSigned: Bool

        public init(
            status: OrderStatus, bomApproved: Bool = false, held: Bool = false, heldByActor: Bool = false, hasDrawing: Bool = false,
            openTasks: Int = 0, undecidedNonconformance: String? = nil, missingLots: [String] = [], productionSigned: Bool = false
        ) {
            self.undecidedNonconformance = undecidedNonconformance
            self.missingLots = missingLots
            self.productionSigned = productionSigned
            self.status = status
            self.bomApproved = bomApproved
            self.held = held
            self.heldByActor = heldByActor
            self.hasDrawing = hasDrawing
            self.openTasks = openTasks
        }
    }

    public enum Refusal: Equatable, Sendable {
        /// The role never may (403).
        case role(String)
        /// Not in this state of the order (409 `INVALID_TRANSITION`).
        case state(String)
        /// Someone else holds it, or it is done already (409 `RESOURCE_CONFLICT`).
        case conflict(String)
        /// Production tasks are open (409 `TASKS_OPEN`).
        case tasksOpen(Int)
        /// Lot-tracked lines have no lot recorded (409 `LOTS_MISSING`), by item.
        case lotsMissing([String])

        public var message: String {
            switch self {
            case .role(let text), .state(let text), .conflict(let text): text
            case .tasksOpen(let count): "\(count) assembly task(s) are still open: check them off first"
            case .lotsMissing(let items):
                "The lot of \(items.joined(separator: ", ")) is not recorded: record \(items.count == 1 ? "it" : "them") on the build's tasks first"
            }
        }
    }

    /// The roles of the lifecycle's table, for the routes' access lists too.
    public static let procurement = Lifecycle.procurement
    public static let coordinators: Set<Role> = [.productionCoordinator, .admin]
    /// Who takes a shipped build's device history record out (issue 18): QC, the coordinator, an administrator.
    public static let deviceHistoryReaders: Set<Role> = [.qcPerson, .productionCoordinator, .admin]
    /// Builds are held while they are in the assemblers' hands.
    public static let holdingStatuses: Set<OrderStatus> = [.readyForProduction, .testingComplete, .packagingComplete]

    /// The order status in which each checklist is recorded.
    public static func recordingStatus(_ kind: ChecklistKind) -> OrderStatus {
        switch kind {
        case .preQC: .readyForPreQC
        case .production, .eolTest: .readyForProduction
        case .packaging: .testingComplete
        case .finalQC: .readyForFinalQC
        }
    }

    /// Why `role` may not take `action` now, or `nil` when it may.
    public static func refusal(_ action: Action, role: Role, facts: Facts) -> Refusal? {
        switch action {
        case .approveBOM:
            guard procurement.contains(role) else { return .role("Only procurement or an administrator approves a BOM.") }
            guard facts.status == .orderCreated else {
                return .state("BOMs are approved while the order is at Order created; it is at \(facts.status.words).")
            }
            return facts.bomApproved ? .conflict("The BOM of the build is approved already.") : nil
        case .rejectBOM:
            guard procurement.contains(role) else { return .role("Only procurement or an administrator sends a BOM back.") }
            guard facts.status == .orderCreated else {
                return .state("BOMs are reviewed while the build is at Order created; it is at \(facts.status.words).")
            }
            return facts.bomApproved ? .conflict("The BOM of the build is approved already.") : nil
        case .editHeader:
            guard coordinators.contains(role) else { return .role("Only a production coordinator or an administrator edits an order.") }
            return [.shipped, .cancelled].contains(facts.status)
                ? .state("An order's header is edited before it ships; it is at \(facts.status.words).") : nil
        case .override(let target):
            guard role == .admin else { return .role("Only an administrator overrides a build's status.") }
            if target == facts.status { return .conflict("The build is at \(target.words) already.") }
            if target == .shipped { return .state("A build ships in a shipment, with its carrier and tracking number; not by override.") }
            return facts.status == .shipped ? .state("A shipped build is not moved back by override; open a nonconformance instead.") : nil
        case .changeConfiguration:
            guard coordinators.contains(role) else {
                return .role("Only a production coordinator or an administrator changes a build's configuration.")
            }
            return [.orderCreated, .partsSent, .readyForPreQC].contains(facts.status)
                ? nil
                : .state(
                    "The build is at \(facts.status.words): once in production, a change is a nonconformance (scrap and rebuild), not an edit."
                )
        case .ship:
            guard coordinators.contains(role) else { return .role("Only a production coordinator or an administrator ships a build.") }
            return facts.status == .readyForShip
                ? nil : .state("A build ships once it is Ready to ship; the build is at \(facts.status.words).")
        case .readDeviceHistory:
            guard deviceHistoryReaders.contains(role) else {
                return .role("Only QC, a production coordinator or an administrator takes out a device history record.")
            }
            return facts.status == .shipped
                ? nil : .state("A build's device history record is filed when it ships; the build is at \(facts.status.words).")
        case .editOrder:
            guard coordinators.contains(role) else { return .role("Only a production coordinator or an administrator edits an order.") }
            return facts.status == .orderCreated
                ? nil : .state("An order is edited while it is at Order created; it is at \(facts.status.words).")
        case .claim:
            guard role == .assembler else { return .role("Only an assembler holds a build.") }
            guard holdingStatuses.contains(facts.status) else { return heldOutside(facts.status) }
            if facts.heldByActor { return .conflict("You hold the build already.") }
            return facts.held ? .conflict("The build is held by another assembler.") : nil
        case .release:
            // An administrator clears a hold in any status: one left over after production would hold the build forever.
            guard role == .assembler || role == .admin else { return .role("Only the holder or an administrator releases a build.") }
            guard facts.held else { return .conflict("Nobody holds the build.") }
            if role == .admin { return nil }
            guard holdingStatuses.contains(facts.status) else { return heldOutside(facts.status) }
            return facts.heldByActor ? nil : .conflict("The build is held by another assembler, not by you.")
        case .assign:
            guard role == .admin else { return .role("Only an administrator gives a build to an assembler.") }
            return holdingStatuses.contains(facts.status) ? nil : heldOutside(facts.status)
        case .recordLot:
            guard role == .assembler else { return .role("Only the assembler holding the build records its lots.") }
            guard facts.status == .readyForProduction else {
                return .state(
                    "Lots are recorded at assembly, while the build is at \(OrderStatus.readyForProduction.words); it is at \(facts.status.words)."
                )
            }
            guard facts.heldByActor else { return .conflict("Claim the build before recording its lots.") }
            return facts.productionSigned
                ? .state("The production checklist of the build is signed PASS: its lots stand as signed.") : nil
        case .outsource:
            guard procurement.contains(role) else { return .role("Only procurement outsources a BOM line.") }
            return Outsourcing.problem(at: facts.status).map { Refusal.state($0.prefix(1).uppercased() + $0.dropFirst() + ".") }
        case .record(let kind), .sign(let kind):
            switch ChecklistSigning.refusal(kind, role: role, holdsBuild: facts.heldByActor) {
            case .role(let role)?: return .role("\(role.rawValue) may not record a \(kind.words) checklist.")
            case .notHolding?:
                guard facts.status == recordingStatus(kind) else { return recordedOutside(kind, facts.status) }
                return .conflict("Claim the build before recording its \(kind.words) checklist.")
            case nil: break
            }
            guard facts.status == recordingStatus(kind) else { return recordedOutside(kind, facts.status) }
            guard case .sign = action else { return nil }
            if kind == .preQC, !facts.hasDrawing {
                return .state("Pre-QC needs the approved drawing: attach a DRAWING document to the order first.")
            }
            if kind == .production, facts.openTasks > 0 { return .tasksOpen(facts.openTasks) }
            if kind == .production, !facts.missingLots.isEmpty { return .lotsMissing(facts.missingLots) }
            if let number = facts.undecidedNonconformance {
                return .conflict("\(number) waits for its disposition: QC decides it before the checklist is signed again.")
            }
            return nil
        }
    }

    /// A refusal's message about "the build" naming it.
    public static func naming(_ message: String, build: String) -> String {
        message.replacingOccurrences(of: "The build", with: "Build \(build)").replacingOccurrences(of: "the build", with: "build \(build)")
    }

    private static func heldOutside(_ status: OrderStatus) -> Refusal {
        .state("Builds are held in production; this one is at \(status.words).")
    }

    private static func recordedOutside(_ kind: ChecklistKind, _ status: OrderStatus) -> Refusal {
        .state("The \(kind.words) checklist is recorded at \(recordingStatus(kind).words); the build is at \(status.words).")
    }
}
