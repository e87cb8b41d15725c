import CleanStationCore
import Vapor

/// An order in full, as the API answers it (issue 19): its header, every
/// build with its configuration and BOM approval, the status history, and
/// its documents, shipments and nonconformances.
extension OrdersController {
    struct OrderDetail: APIResponse {
        var summary: OrderSummary
        /// Decrypted for who may see the order.
        var customerContact: String?
        var builds: [BuildView]
        var history: [HistoryEntry]
        var documents: [DocumentsController.DocumentView]
        var shipments: [ShipmentsController.ShipmentView]
        var nonconformances: [NonconformancesController.View]

        struct BuildView: Encodable, Sendable {
            var buildNumber: String
            /// The sink as configured (`SinkConfiguration` in the document), as stored.
            var configuration: JSONValue
            var bomApproval: BOMApproval
            var bomRejection: String?
            var status: OrderStatus
            /// Who holds the build (a user's id).
            var heldBy: String?
        }

        struct BOMApproval: Encodable, Sendable {
            var approved: Bool
            var approvedBy: String?
            var approvedAt: String?
        }

        struct HistoryEntry: Encodable, Sendable {
            var at: String
            var userId: String
            var from: OrderStatus?
            var to: OrderStatus
            /// Nil when the entry is the whole order's.
            var buildNumber: String?
            var override: Bool
            var note: String
        }

        enum CodingKeys: String, CodingKey { case customerContact, builds, history, documents, shipments, nonconformances }

        /// The header's members first, as in the order list.
        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(customerContact, forKey: .customerContact)
            try container.encode(builds, forKey: .builds)
            try container.encode(history, forKey: .history)
            try container.encode(documents, forKey: .documents)
            try container.encode(shipments, forKey: .shipments)
            try container.encode(nonconformances, forKey: .nonconformances)
        }

        static var example: OrderDetail {
            // Written by Core's own writer, so that the document's check covers it.
            let sink = try! SinkConfiguration.read(
                Data(
                    """
                    {"buildNumber": "B1001", "model": "T2-B2", "width": 30, "length": 60,
                     "legs": {"type": "HEIGHT_ADJUSTABLE", "model": "DL27"}, "feet": "LOCK_LEVELING_CASTERS",
                     "pegboard": {"type": "PERFORATED", "color": "GREEN", "size": "SAME_AS_SINK"}, "workflowDirection": "LEFT_TO_RIGHT",
                     "basins": [{"type": "E_DRAIN", "size": "24X20X10", "pTrap": true, "basinLight": false},
                                {"type": "E_SINK", "size": {"width": 26, "length": 20, "depth": 9}, "pTrap": false, "basinLight": true}],
                     "faucets": [{"type": "WRIST_BLADE", "quantity": 1, "placement": "BETWEEN_1_2"}],
                     "sprayers": [{"type": "AIR_GUN_TURRET", "quantity": 1, "location": "LEFT"}],
                     "accessories": [{"id": "T-OA-BINRAIL-24-KIT", "quantity": 2}]}
                    """.utf8)
            ).get()
            let configuration = sink.jsonValue
            return OrderDetail(
                summary: OrderList.example.items[0].summary, customerContact: "Pat Lee, +1 555 0100",
                builds: [
                    BuildView(
                        buildNumber: "B1001", configuration: configuration,
                        bomApproval: BOMApproval(
                            approved: true, approvedBy: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b", approvedAt: "2026-12-06T09:30:00.000Z"),
                        bomRejection: "The basin light is missing.", status: .partsSent, heldBy: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b")
                ],
                history: [
                    HistoryEntry(
                        at: "2026-12-06T09:30:00.000Z", userId: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b", from: .orderCreated, to: .partsSent,
                        buildNumber: "B1001", override: false, note: "Parts on their way.")
                ], documents: [.example], shipments: [.example], nonconformances: [.example])
        }
    }
}
