import CleanStationCore
import Vapor

/// The service department's parts catalogue and cart, and the requests;
/// procurement decides on them here too.
enum ServicePages {
    struct View: Encodable {
        struct Part: Encodable {
            var id: String
            var name: String
            var kind: String
            /// One quantity input, a list so that the field template draws it.
            var fields: [FormField]
        }

        struct Request: Encodable {
            var id: String
            var status: String
            var tone: String
            var items: [String]
            var note: String
            var reason: String
            var at: String
            var canDecide: Bool
            var canFulfil: Bool
        }

        var q: String
        var searched: Bool
        var searchError: String?
        var parts: [Part]
        var total: Int
        var canRequest: Bool
        var note: [FormField]
        var requests: [Request]
        var errors: [String]
    }

    static func show(_ request: Vapor.Request) async throws -> Response {
        try await render(request, errors: [:], values: [:])
    }

    static func render(
        _ request: Vapor.Request, errors: [String: String], values: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let role = try request.principal().role
        // A failed request comes back with the search it was made from (the form's `q`), so the results stay.
        let q = values["q"] ?? request.query[String.self, at: "q"] ?? ""
        var parts: [View.Part] = []
        var total = 0
        var searchError: String?
        if !q.isEmpty {
            do {
                let found = try CatalogController.search(q, type: nil, in: request.application.catalogStore.snapshot.catalog)
                total = Int(found["total"]?.number ?? 0)
                parts =
                    found["items"]?.array.map { item in
                        let id = item["id"]?.string ?? ""
                        return View.Part(
                            id: id, name: item["name"]?.string ?? "", kind: OrderPages.words(item["kind"]?.string ?? ""),
                            fields: [
                                FormField(
                                    "items.\(id)", "Quantity of \(id)", type: "number", value: values["items.\(id)"] ?? "", errors: errors,
                                    min: "0")
                            ])
                    } ?? []
            } catch let error as APIError {
                searchError = error.details.first?.message ?? error.message
            }
        }
        let processors = ServiceOrdersController.processors.contains(role)
        let requests = try await ServiceOrdersController.list(request).array.map { order in
            let status = order["status"]?.string ?? ""
            return View.Request(
                id: order["id"]?.string ?? "", status: OrderPages.words(status),
                tone: ["APPROVED": "info", "FULFILLED": "success", "REJECTED": "danger"][status] ?? "neutral",
                items: order["items"]?.array.map { item in
                    "\(Int(item["quantity"]?.number ?? 0)) × \(item["id"]?.string ?? "") \(item["name"]?.string ?? "")"
                } ?? [],
                note: order["note"]?.string ?? "", reason: order["reason"]?.string ?? "",
                at: OrderRow.shortTime(order["createdAt"]?.string),
                canDecide: processors && status == "PENDING", canFulfil: processors && (status == "PENDING" || status == "APPROVED"))
        }
        let view = View(
            q: q, searched: !q.isEmpty, searchError: searchError, parts: parts, total: total,
            canRequest: role == .serviceDepartment || role == .admin,
            note: [FormField("note", "Note for procurement", type: "textarea", value: values["note"] ?? "", errors: errors)],
            requests: requests, errors: errors.filter { !$0.key.hasPrefix("items.") && $0.key != "note" }.map { "\($0.key): \($0.value)" })
        let response = try await Chrome.render(
            request, "service", title: role == .serviceDepartment ? "Service parts" : "Service requests", view, section: "/service")
        response.status = status
        return response
    }

    /// The cart: every searched part with a quantity, in one request.
    static func request(_ request: Vapor.Request) async throws -> Response {
        let fields = FormFields(request)
        let lines = fields.pairs.filter {
            $0.name.hasPrefix("items.") && !$0.value.trimmingCharacters(in: .whitespaces).isEmpty && $0.value != "0"
        }
        var body = [
            JSONMember(
                "items",
                .array(
                    lines.map { line in
                        .object([
                            JSONMember("id", .string(String(line.name.dropFirst("items.".count)))),
                            JSONMember("quantity", Double(line.value).map { .number($0) } ?? .string(line.value)),
                        ])
                    }))
        ]
        if let note = fields.text("note") { body.append(JSONMember("note", .string(note))) }
        request.formBody = .object(body)
        do {
            _ = try await ServiceOrdersController.create(request)
        } catch let error as APIError where error.status == .unprocessableEntity {
            var errors: [String: String] = [:]
            for detail in error.details {
                // items[2].quantity is the third line's input.
                if detail.field.hasPrefix("items["), let index = Int(detail.field.dropFirst(6).prefix { $0 != "]" }),
                    lines.indices.contains(index)
                {
                    errors[lines[index].name] = detail.message
                } else {
                    errors[detail.field.isEmpty ? "items" : detail.field] = detail.message
                }
            }
            var values = Dictionary(fields.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
            values["q"] = fields.value("q")
            return try await render(request, errors: errors, values: values, status: .unprocessableEntity)
        }
        return Flash.redirect(request, to: "/service", "Request sent to procurement.")
    }

    static func decide(_ request: Vapor.Request) async throws -> Response {
        let decision = request.parameters.get("decision") ?? ""
        if decision == "reject" {
            request.formBody = .object([JSONMember("reason", .string(FormFields(request).text("reason") ?? ""))])
        } else {
            request.formBody = .object([])
        }
        let done = ["approve": "Request approved.", "reject": "Request rejected.", "fulfil": "Request fulfilled."]
        return try await Flash.perform(request, then: "/service", done[decision] ?? "Done.") {
            switch decision {
            case "approve": _ = try await ServiceOrdersController.approve(request)
            case "reject": _ = try await ServiceOrdersController.reject(request)
            case "fulfil": _ = try await ServiceOrdersController.fulfil(request)
            default: throw APIError.notFound("The action")
            }
        }
    }
}
