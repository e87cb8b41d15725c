import CleanStationCore
import Fluent
import Vapor

/// What a person does on an order's page: each action hands its form to
/// the API's handler (ADR 006) and comes back to the page with a toast.
extension OrderPages {
    /// `{status, note}` from a status form, for the order's move and a build's alike.
    static func statusForm(_ fields: FormFields) -> JSONValue {
        var body: [JSONMember] = [JSONMember("status", .string(fields.value("status") ?? ""))]
        if let note = fields.text("note") { body.append(JSONMember("note", .string(note))) }
        return .object(body)
    }

    static func changeStatus(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let back = "/orders/\(try request.uuidParameter("orderID", "The order").uuidString.lowercased())"
        request.formBody = statusForm(fields)
        let label = OrderStatus(rawValue: fields.value("status") ?? "").map(\.words) ?? ""
        return try await Flash.perform(request, then: back, "The order is now \(label).") {
            _ = try await OrdersController.changeStatus(request)
        }
    }

    /// One build moves on its own.
    static func changeBuildStatus(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        request.formBody = statusForm(fields)
        let label = OrderStatus(rawValue: fields.value("status") ?? "").map(\.words) ?? ""
        let build = request.parameters.get("buildNumber") ?? ""
        return try await Flash.perform(request, then: try backToOrder(request) + "#build-\(build)", "Build \(build) is now \(label).") {
            _ = try await BuildFlow.changeStatus(request)
        }
    }

    static func rejectBOM(_ request: Request) async throws -> Response {
        request.formBody = .object([JSONMember("reason", .string(FormFields(request).value("reason") ?? ""))])
        let build = request.parameters.get("buildNumber") ?? ""
        return try await Flash.perform(
            request, then: try backToOrder(request) + "#build-\(build)", "BOM of \(build) sent back to the coordinator."
        ) {
            _ = try await BuildFlow.rejectBOM(request)
        }
    }

    static func override(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        request.formBody = .object([
            JSONMember("status", .string(fields.value("status") ?? "")), JSONMember("reason", .string(fields.value("reason") ?? "")),
            JSONMember("password", .string(fields.value("password") ?? "")),
        ])
        let build = request.parameters.get("buildNumber") ?? ""
        return try await Flash.perform(
            request, then: try backToOrder(request) + "#build-\(build)", "Build \(build) overridden; the history flags it."
        ) {
            _ = try await BuildFlow.override(request)
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
            let response = try await Chrome.render(request, "order", title: detail.poNumber, detail, section: "/orders")
            response.status = .unprocessableEntity
            return response
        }
        request.formBody = .object([
            JSONMember("builds", .array(fields.values("builds").map { .string($0) })),
            JSONMember("shippedOn", .string(fields.value("shippedOn") ?? "")),
            JSONMember("carrier", .string(fields.value("carrier") ?? "")),
            JSONMember("trackingNumber", .string(fields.value("trackingNumber") ?? "")),
        ])
        return try await Flash.perform(
            request, then: try backToOrder(request) + "#shipments", "Shipment recorded; its packing list is ready."
        ) {
            _ = try await ShipmentsController.create(request)
        }
    }

    /// Want date, project, customer contact and notes, at any status before SHIPPED.
    static func editHeader(_ request: Request) async throws -> Response {
        let fields = FormFields(request)
        let current = try await Order.find(try request.uuidParameter("orderID", "The order"), on: request.db)
        // The want date is sent only when it changed: an overdue order's notes and contact can still be edited.
        let wantDate = fields.value("wantDate").flatMap { $0 == current?.wantDate ? nil : $0 }
        request.formBody = .object(
            (wantDate.map { [JSONMember("wantDate", .string($0))] } ?? []) + [
                JSONMember("projectName", fields.text("projectName").map { .string($0) } ?? .null),
                JSONMember("customerContact", fields.text("customerContact").map { .string($0) } ?? .null),
                JSONMember("notes", .string(fields.value("notes") ?? "")),
            ])
        return try await Flash.perform(request, then: try backToOrder(request), "Order details saved.") {
            _ = try await OrdersController.update(request)
        }
    }

    static func comment(_ request: Request) async throws -> Response {
        request.formBody = .object([JSONMember("text", .string(FormFields(request).value("text") ?? ""))])
        return try await Flash.perform(request, then: try backToOrder(request), "Comment added.") {
            _ = try await CommentsController.create(request)
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
        request.formBody = .object([JSONMember("userId", .string(FormFields(request).value("userId") ?? ""))])
        return try await Flash.perform(request, then: back, "Build \(request.parameters.get("buildNumber") ?? "") given to its new holder.")
        {
            _ = try await ClaimsController.assign(request)
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
        "/orders/\(try request.uuidParameter("orderID", "The order").uuidString.lowercased())"
    }
}
