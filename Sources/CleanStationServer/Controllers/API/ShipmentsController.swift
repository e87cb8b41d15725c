import CleanStationCore
import CleanStationExports
import Fluent
import Vapor

/// Shipments: builds that passed Final QC leave on their own, each
/// shipment with its date, carrier, tracking number and packing list (issue 16).
enum ShipmentsController {
    /// `POST /api/v1/orders/{id}/shipments`: every build named must be READY_FOR_SHIP, or none ships.
    /// `{builds, shippedOn, carrier, trackingNumber}`: builds that leave together.
    struct NewShipment: APIInput {
        /// The build numbers as given; `nil` only when a body left the member out (the reader said so already).
        var builds: [JSONValue]?
        var shippedOn: String?
        var carrier: String
        var trackingNumber: String

        static func read(_ json: JSONValue, _ reader: inout JSONFieldReader) -> NewShipment? {
            guard let object = reader.object(json, at: .root, allowedKeys: ["builds", "shippedOn", "carrier", "trackingNumber"]) else {
                return nil
            }
            let builds = reader.member(object, "builds").flatMap { reader.array($0, at: .root.key("builds")) }
            let shippedOn = reader.optionalString(object, "shippedOn")
            let carrier = reader.requiredString(object, "carrier")
            let tracking = reader.requiredString(object, "trackingNumber")
            guard let carrier, let tracking else { return nil }
            return NewShipment(builds: builds, shippedOn: shippedOn, carrier: carrier, trackingNumber: tracking)
        }

        func check(_ reader: inout JSONFieldReader) -> ([String], BuildFlow.Dispatch)? {
            let today = OrderRequest.today()
            var numbers: [String] = []
            for (index, value) in (builds ?? []).enumerated() {
                guard let number = reader.string(value, at: .root.key("builds").index(index)) else { continue }
                if numbers.contains(number) { reader.fail(.root.key("builds").index(index), "is named twice") }
                numbers.append(number)
            }
            if builds?.isEmpty == true { reader.fail(.root.key("builds"), "name at least one build") }
            if let shippedOn {
                if !OrderRequest.isCalendarDate(shippedOn) {
                    reader.fail(.root.key("shippedOn"), "must be a date as YYYY-MM-DD")
                } else if shippedOn > today {
                    reader.fail(.root.key("shippedOn"), "cannot be after today (\(today))")
                }
            }
            let carrier = carrier.trimmingCharacters(in: .whitespacesAndNewlines)
            if carrier.isEmpty || carrier.count > 100 { reader.fail(.root.key("carrier"), "must have 1 to 100 characters") }
            let tracking = trackingNumber.trimmingCharacters(in: .whitespacesAndNewlines)
            if tracking.isEmpty || tracking.count > 100 { reader.fail(.root.key("trackingNumber"), "must have 1 to 100 characters") }
            return (numbers, BuildFlow.Dispatch(shippedOn: shippedOn ?? today, carrier: carrier, trackingNumber: tracking))
        }
    }

    static func create(_ request: Request) async throws -> Response {
        try await create(request, try request.input(NewShipment.self))
    }

    static func create(_ request: Request, _ input: NewShipment) async throws -> Response {
        let orderID = try request.uuidParameter("orderID", "The order")
        let (builds, dispatch) = try input.checked()
        let principal = try request.principal()
        if let refusal = OrderPolicy.refusal(.ship, role: principal.role, facts: .init(status: .readyForShip)) { throw APIError(refusal) }
        let moved = try await BuildFlow.move(
            orderID: orderID, named: builds, to: .shipped, note: "Shipped by \(dispatch.carrier), tracking \(dispatch.trackingNumber)",
            by: principal, actor: request.auditActor, on: request.db, mail: request.mailContext, dispatch: dispatch)
        await DeviceHistory.fileAfterShipping(moved.builds, of: orderID, request)
        let response = try await (moved.shipment ?? .null).encodeResponse(for: request)
        response.status = .created
        return response
    }

    /// Builds that left together, and where their packing list is.
    struct ShipmentView: APIResponse {
        var id: String
        var builds: [String]
        /// `YYYY-MM-DD`.
        var shippedOn: String
        var carrier: String
        var trackingNumber: String
        var createdBy: String
        var createdAt: String
        var packingList: String

        static let example = ShipmentView(
            id: "5b4a3928-1706-4f5e-8d4c-3b2a1908f7e6", builds: ["B1001", "B1002"], shippedOn: "2026-12-04", carrier: "Purolator",
            trackingNumber: "329010001234", createdBy: "2a3b4c5d-6e7f-4819-9a0b-1c2d3e4f5a6b", createdAt: "2026-12-04T15:02:11.000Z",
            packingList: "/api/v1/orders/1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b/shipments/5b4a3928-1706-4f5e-8d4c-3b2a1908f7e6/packing-list")
    }

    static func list(_ request: Request) async throws -> APIList<ShipmentView> {
        let orderID = try request.uuidParameter("orderID", "The order")
        guard try await Order.find(orderID, on: request.db) != nil else { throw APIError.notFound("The order") }
        return APIList(try await list(of: orderID, on: request.db))
    }

    /// The order's shipments, oldest first.
    static func list(of orderID: UUID, on database: any Database) async throws -> [ShipmentView] {
        let shipments = try await Shipment.query(on: database).filter(\.$order.$id == orderID).sort(\.$createdAt).sort(\.$id).all()
        guard !shipments.isEmpty else { return [] }
        let lines = try await ShipmentBuild.query(on: database).filter(\.$shipment.$id ~~ shipments.compactMap(\.id)).all()
        return shipments.map { shipment in
            view(shipment, builds: lines.filter { $0.$shipment.id == shipment.id }.map(\.buildNumber).sorted())
        }
    }

    static func view(_ shipment: Shipment, builds: [String]) -> ShipmentView {
        let id = shipment.id!.uuidString.lowercased()
        return ShipmentView(
            id: id, builds: builds, shippedOn: shipment.shippedOn, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber,
            createdBy: shipment.$createdBy.id.uuidString.lowercased(), createdAt: AuditLog.timestamp(shipment.createdAt),
            packingList: "/api/v1/orders/\(shipment.$order.id.uuidString.lowercased())/shipments/\(id)/packing-list")
    }

    /// `GET …/shipments/{shipmentID}/packing-list`: the packing list as a PDF.
    static func packingList(_ request: Request) async throws -> Response {
        let orderID = try request.uuidParameter("orderID", "The order")
        let id = try request.uuidParameter("shipmentID", "The shipment")
        guard let order = try await Order.find(orderID, on: request.db),
            let shipment = try await Shipment.query(on: request.db).filter(\.$id == id).filter(\.$order.$id == orderID).first()
        else { throw APIError.notFound("The shipment") }
        let numbers = try await ShipmentBuild.query(on: request.db).filter(\.$shipment.$id == id).all().map(\.buildNumber)
        let builds = try await Build.query(on: request.db).filter(\.$buildNumber ~~ numbers).sort(\.$position).all()
        let packed = try builds.map { build in
            let bom = try JSONDecoder().decode(BOMDocument.self, from: Data(build.bom.utf8))
            let model = try SinkConfiguration.read(Data(build.configuration.utf8)).get().model.rawValue
            return PackingListPDF.Shipment.Build(
                buildNumber: build.buildNumber, model: model,
                lines: bom.lines.map { (id: $0.id, name: $0.name ?? "", quantity: $0.quantity) })
        }
        let pdf = try PackingListPDF.render(
            PackingListPDF.Shipment(
                poNumber: order.poNumber, customer: order.customerName, project: order.projectName, shippedOn: shipment.shippedOn,
                carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, builds: packed))
        try await AuditLog.recordExport(
            request, resourceType: "shipment", resourceID: id.uuidString.lowercased(), details: [JSONMember("export", "packing-list")])
        return Response.download(pdf, type: "application/pdf", filename: "\(order.poNumber)-packing-list-\(shipment.shippedOn).pdf")
    }
}
