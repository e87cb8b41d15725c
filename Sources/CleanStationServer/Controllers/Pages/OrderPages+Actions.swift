import CleanStationCore
import Fluent
import Vapor

/// What a person does on an order's page: each action builds the API's
/// typed input from its form, calls the API's handler with it (ADR 006)
/// and comes back to the page with a toast.
extension OrderPages {
    /// `{status, note}` from a status form, for the order's move and a build's alike.
    static func statusChange(_ fields: FormFields) -> OrdersController.StatusChange {
        OrdersController.StatusChange(status: .string(fields.value("status") ?? ""), note: fields.text("note"))
    }

    static func changeStatus(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let back = SiteURL.order(try request.uuidParameter("orderID", "The order")).path
        let label = OrderStatus(rawValue: fields.value("status") ?? "").map(\.words) ?? ""
        return try await Flash.perform(request, then: back, "The order is now \(label).") {
            _ = try await OrdersController.changeStatus(request, statusChange(fields))
        }
    }

    /// One build moves on its own.
    static func changeBuildStatus(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let label = OrderStatus(rawValue: fields.value("status") ?? "").map(\.words) ?? ""
        let build = request.parameters.get("buildNumber") ?? ""
        return try await Flash.perform(request, then: try backToOrder(request) + "#build-\(build)", "Build \(build) is now \(label).") {
            _ = try await BuildFlow.changeStatus(request, statusChange(fields))
        }
    }

    static func rejectBOM(_ request: Request) async throws -> Response {
        let input = BuildFlow.BOMRejection(reason: FormFields(request).value("reason") ?? "")
        let build = request.parameters.get("buildNumber") ?? ""
        return try await Flash.perform(
            request, then: try backToOrder(request) + "#build-\(build)", "BOM of \(build) sent back to the coordinator."
        ) {
            _ = try await BuildFlow.rejectBOM(request, input)
        }
    }

    static func override(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let input = BuildFlow.Override(
            status: .string(fields.value("status") ?? ""), reason: fields.value("reason") ?? "", password: fields.value("password") ?? "")
        let build = request.parameters.get("buildNumber") ?? ""
        return try await Flash.perform(
            request, then: try backToOrder(request) + "#build-\(build)", "Build \(build) overridden; the history flags it."
        ) {
            _ = try await BuildFlow.override(request, input)
        }
    }

    /// Builds ready to ship leave in one shipment, with its carrier and tracking number.
    static func ship(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        // Shipping cannot be undone: the form asks for a tick, and comes back with what was typed when it is missing.
        guard fields.value("confirm") == "yes" else {
            var detail = try await detail(request)
            // What was chosen comes back as it was: a build left out stays out.
            let chosen = Set(fields.values("builds"))
            detail.shippable = detail.shippable.map { Choice(value: $0.value, label: $0.label, selected: chosen.contains($0.value)) }
            detail.ship = ShipForm(
                carrier: fields.value("carrier") ?? "", trackingNumber: fields.value("trackingNumber") ?? "",
                shippedOn: fields.value("shippedOn") ?? "", error: "Tick the box to confirm that these builds have left the plant.")
            let response = try await Chrome.render(request, "order", title: detail.poNumber, detail, section: SiteURL.orders.path)
            response.status = .unprocessableEntity
            return response
        }
        let input = ShipmentsController.NewShipment(
            builds: fields.values("builds").map { .string($0) }, shippedOn: fields.value("shippedOn") ?? "",
            carrier: fields.value("carrier") ?? "",
            trackingNumber: fields.value("trackingNumber") ?? "")
        return try await Flash.perform(
            request, then: try backToOrder(request) + "#shipments", "Shipment recorded; its packing list is ready."
        ) {
            _ = try await ShipmentsController.create(request, input)
        }
    }

    /// Want date, project, customer contact and notes, at any status before SHIPPED.
    static func editHeader(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let current = try await Order.find(try request.uuidParameter("orderID", "The order"), on: request.db)
        // The want date is sent only when it changed: an overdue order's notes and contact can still be edited.
        let wantDate = fields.value("wantDate").flatMap { $0 == current?.wantDate ? nil : $0 }
        // The header's fields read by Core's `OrderUpdate`, as the API reads them, with the same field errors.
        let header = JSONValue.object(
            (wantDate.map { [JSONMember("wantDate", .string($0))] } ?? []) + [
                JSONMember("projectName", fields.text("projectName").map { .string($0) } ?? .null),
                JSONMember("customerContact", fields.text("customerContact").map { .string($0) } ?? .null),
                JSONMember("notes", .string(fields.value("notes") ?? "")),
            ])
        let id = try request.uuidParameter("orderID", "The order")
        return try await Flash.perform(request, then: try backToOrder(request), "Order details saved.") {
            _ = try await OrdersController.update(
                request, id: id, try OrdersController.read(OrderUpdate.read(header, today: OrderRequest.today())))
        }
    }

    static func comment(_ request: Request) async throws -> Response {
        let input = CommentsController.NewComment(text: FormFields(request).value("text") ?? "")
        return try await Flash.perform(request, then: try backToOrder(request), "Comment added.") {
            _ = try await CommentsController.create(request, input)
        }
    }

    static func approveBOM(_ request: Request) async throws -> Response {
        let back = try backToOrder(request)
        return try await Flash.perform(request, then: back, "BOM of \(request.parameters.get("buildNumber") ?? "") approved.") {
            _ = try await OrdersController.approveBOM(request)
        }
    }

    static func claim(_ request: Request) async throws -> Response {
        let back = try backToOrder(request)
        return try await Flash.perform(request, then: back, "You hold build \(request.parameters.get("buildNumber") ?? "").") {
            _ = try await ClaimsController.claim(request)
        }
    }

    /// An admin gives a build to an assembler (the holder changes, audited).
    static func assign(_ request: Request) async throws -> Response {
        let back = try backToOrder(request)
        let input = ClaimsController.Assignment(userId: FormFields(request).value("userId") ?? "")
        return try await Flash.perform(request, then: back, "Build \(request.parameters.get("buildNumber") ?? "") given to its new holder.")
        {
            _ = try await ClaimsController.assign(request, input)
        }
    }

    static func release(_ request: Request) async throws -> Response {
        let back = try backToOrder(request)
        return try await Flash.perform(request, then: back, "Build \(request.parameters.get("buildNumber") ?? "") released.") {
            _ = try await ClaimsController.release(request)
        }
    }

    /// Attaches a document; a form elsewhere (the checklist's photo) names
    /// the page to come back to.
    static func upload(_ request: Request) async throws -> Response {
        struct Return: Content {
            var `return`: String?
        }
        let requested = (try? request.content.decode(Return.self))?.return
        let back = try requested.map { LoginPages.safeNext($0) } ?? backToOrder(request)
        return try await Flash.perform(request, then: back, "Document attached.") {
            _ = try await DocumentsController.upload(request)
        }
    }

    static func backToOrder(_ request: Request) throws -> String {
        SiteURL.order(try request.uuidParameter("orderID", "The order")).path
    }
}
