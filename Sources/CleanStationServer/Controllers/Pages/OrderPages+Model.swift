import CleanStationCore
import Fluent
import Vapor

/// What the order's page shows: the model its template reads.
extension OrderPages {
    struct Detail: Encodable {
        var id: String
        var links: OrderLinks
        var poNumber: String
        var customerName: String
        var projectName: String
        var salesPerson: String
        var wantDate: String
        var language: String
        var notes: String
        var status: StatusView
        var timeline: [Step]
        var history: [HistoryEntry]
        var builds: [BuildView]
        var documents: [DocumentView]
        var documentKinds: [Choice]
        var transitions: [Transition]
        var canCancel: Bool
        var canEdit: Bool
        var canUpload: Bool
        var tracker: OutsourcingPages.Tracker
        var canOutsource: Bool
        var comments: [Comment]
        /// The active assemblers an admin may give a build to (empty for others).
        var assemblers: [Choice]
        /// How many builds stand in each status ("2 × Ready to ship").
        var breakdown: [String]
        var due: String
        var dueTone: String
        var customerContact: String
        /// The header fields the coordinator may edit at any status before SHIPPED.
        var canEditHeader: Bool
        var shipments: [ShipmentView]
        /// Builds READY_FOR_SHIP that the coordinator may put into a shipment.
        var shippable: [Choice]
        var today: String
        var nonconformances: [NCRLink]
        /// Statuses an administrator may force a build to.
        var overrideChoices: [Choice]
        /// What must happen before each build can go on, whoever does it, shown before any click.
        var needs: [Need]
        /// The shipment form sent back: what was typed, and why it was refused.
        var ship = ShipForm()
        /// One build on its own page (its QR code's address), not the whole order.
        var single = false
    }

    struct Need: Encodable {
        var text: String
        var href: String?
        var link: String?
    }

    struct ShipForm: Encodable {
        var carrier = ""
        var trackingNumber = ""
        /// The day as typed; the page offers today when empty.
        var shippedOn = ""
        var error: String?
    }

    struct ShipmentView: Encodable {
        var shippedOn: String
        var carrier: String
        var trackingNumber: String
        var builds: String
        var packingList: String
    }

    struct NCRLink: Encodable {
        var number: String
        var href: String
        var build: String
        var state: String
        var description: String
    }

    /// A stage of the lifecycle as the timeline shows it.
    struct Step: Encodable {
        var label: String
        var state: String
    }

    struct HistoryEntry: Encodable {
        var at: String
        var by: String
        var from: String
        var to: String
        var note: String
    }

    struct Transition: Encodable, Equatable {
        var to: String
        var label: String
        var backwards: Bool
        /// Why the lifecycle refuses it now (the API's 409): the button is shown disabled with this reason.
        var blocked: String?
    }

    struct Comment: Encodable {
        var author: String
        var at: String
        var text: String
    }

    struct DocumentView: Encodable {
        var href: String
        var kind: String
        var fileName: String
        var size: String
        var by: String
        var at: String
    }

    struct BuildView: Encodable {
        var number: String
        var links: BuildLinks
        var status: StatusView
        var bomRejection: String
        var canRejectBOM: Bool
        /// The moves this role may make of this build alone, enabled or with their reason.
        var transitions: [Transition]
        var canOverride: Bool
        /// Shipped, and this role takes out device history records.
        var canReadDeviceHistory: Bool
        /// The build's open nonconformance (its page and number), where it is sent back.
        var nonconformance: String
        var nonconformanceNumber: String
        var facts: [Fact]
        var approved: Bool
        var approvedBy: String
        var canApprove: Bool
        var heldBy: String
        var canClaim: Bool
        var canRelease: Bool
        var canAssign: Bool
        var checklists: [ChecklistLink]
        var tasksHref: String
        /// The BOM's tree, flat list and outsourcing choices as HTML (`BOMTable`).
        var treeRows: String
        var lineRows: String
        var lineCount: Int
        /// Empty where this role may not outsource.
        var lineOptions: String
        var warnings: [String]
    }

    struct Fact: Encodable {
        var label: String
        var value: String
    }

    struct ChecklistLink: Encodable {
        var label: String
        var href: String
        var outcome: String
    }
}
