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
        let response = try await (moved.shipment ?? .null).encodeResponse(for: request)
        response.status = .created
        return response
    }

    static func list(_ request: Request) async throws -> JSONValue {
        let orderID = try request.uuidParameter("orderID", "The order")
        guard try await Order.find(orderID, on: request.db) != nil else { throw APIError.notFound("The order") }
        return .array(try await list(of: orderID, on: request.db))
    }

    /// The order's shipments, oldest first.
    static func list(of orderID: UUID, on database: any Database) async throws -> [JSONValue] {
        let shipments = try await Shipment.query(on: database).filter(\.$order.$id == orderID).sort(\.$createdAt).sort(\.$id).all()
        guard !shipments.isEmpty else { return [] }
        let lines = try await ShipmentBuild.query(on: database).filter(\.$shipment.$id ~~ shipments.compactMap(\.id)).all()
        return shipments.map { shipment in
            view(shipment, builds: lines.filter { $0.$shipment.id == shipment.id }.map(\.buildNumber).sorted())
        }
    }

    static func view(_ shipment: Shipment, builds: [String]) -> JSONValue {
        let id = shipment.id!.uuidString.lowercased()
        return .object([
            JSONMember("id", .string(id)), JSONMember("builds", .array(builds.map { .string($0) })),
            JSONMember("shippedOn", .string(shipment.shippedOn)), JSONMember("carrier", .string(shipment.carrier)),
            JSONMember("trackingNumber", .string(shipment.trackingNumber)),
            JSONMember("createdBy", .string(shipment.$createdBy.id.uuidString.lowercased())),
            JSONMember("createdAt", .string(AuditLog.timestamp(shipment.createdAt))),
            JSONMember("packingList", .string("/api/v1/orders/\(shipment.$order.id.uuidString.lowercased())/shipments/\(id)/packing-list")),
        ])
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
