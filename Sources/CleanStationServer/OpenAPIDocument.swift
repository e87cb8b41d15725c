import CleanStationCore

/// The OpenAPI 3.1 document served at `/api/openapi.json`, built from the
/// typed route list: paths, methods, access and parameters come from
/// `Routes.all`; bodies and answers from `operations`, which a test checks
/// covers every route. Enumerations come from the Core types themselves.
public enum OpenAPIDocument {
    /// What a route takes and gives; every route of `Routes.all` has one.
    struct Operation {
        var request: String?
        var requestType = "application/json"
        var status: Int = 200
        var response: String?
        var query: [(name: String, description: String)] = []
    }

    static let whereUsedQuery: [(name: String, description: String)] = [
        ("part", "the part or assembly number (required)"), ("shippedFrom", "builds shipped on or after, YYYY-MM-DD"),
        ("shippedTo", "builds shipped on or before, YYYY-MM-DD"), ("lot", "only the builds that took this lot of the part"),
    ]

    static let operations: [String: Operation] = [
        "GET api/health": Operation(response: "Health"),
        "GET api/ready": Operation(response: "Readiness"),
        "GET metrics": Operation(response: nil),
        "POST api/auth/login": Operation(request: "LoginRequest", response: "Tokens"),
        "POST api/v1/auth/login": Operation(request: "LoginRequest", response: "Tokens"),
        "POST api/v1/auth/refresh": Operation(request: "RefreshRequest", response: "Tokens"),
        "POST api/v1/auth/logout": Operation(status: 204),
        "GET api/v1/auth/session": Operation(response: "SessionInfo"),
        "GET api/v1/auth/sessions": Operation(response: "SessionList"),
        "DELETE api/v1/auth/sessions/:sessionID": Operation(status: 204),
        "POST api/v1/auth/password": Operation(request: "PasswordChange", status: 204),
        "POST api/v1/auth/password/forgot": Operation(request: "PasswordForgot", status: 202, response: "Message"),
        "POST api/v1/auth/password/reset": Operation(request: "PasswordReset", status: 204),
        "POST api/v1/auth/mfa/setup": Operation(response: "MFASetup"),
        "POST api/v1/auth/mfa/enable": Operation(request: "MFAEnable", response: "MFABackupCodes"),
        "PATCH api/v1/users/:userID": Operation(request: "UserUpdate", response: "User"),
        "GET api/v1/users/:userID/sessions": Operation(response: "SessionList"),
        "POST api/v1/users/:userID/reset-password": Operation(request: "AdminPassword", response: "TemporaryPassword"),
        "POST api/v1/users/:userID/reset-mfa": Operation(request: "AdminPassword", status: 204),
        "GET api/v1/users": Operation(response: "UserList"),
        "POST api/v1/users": Operation(request: "NewUser", status: 201, response: "User"),
        "GET api/v1/users/:userID": Operation(response: "User"),
        "DELETE api/v1/users/:userID": Operation(status: 204),
        "GET api/v1/orders": Operation(
            response: "OrderList",
            query: [
                ("status", "an order status"), ("q", "matches PO, customer, project and build numbers"),
                ("wantFrom", "want date on or after, YYYY-MM-DD"), ("wantTo", "want date on or before, YYYY-MM-DD"),
                ("sort", "createdAt, poNumber, customerName, wantDate or status"), ("order", "asc or desc"), ("page", "1 to 1000000"),
                ("limit", "1 to 100"),
            ]),
        "POST api/v1/orders": Operation(request: "OrderCreate", status: 201, response: "OrderDetail"),
        "GET api/v1/orders/:orderID": Operation(response: "OrderDetail"),
        "PATCH api/v1/orders/:orderID": Operation(request: "OrderUpdate", response: "OrderDetail"),
        "POST api/v1/orders/:orderID/status": Operation(request: "StatusChange", response: "OrderDetail"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/status": Operation(request: "StatusChange", response: "OrderDetail"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/override": Operation(request: "StatusOverride", response: "OrderDetail"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/bom/reject": Operation(request: "BOMRejection", response: "OrderDetail"),
        "PUT api/v1/orders/:orderID/builds/:buildNumber/configuration": Operation(request: "SinkConfiguration", response: "OrderDetail"),
        "GET api/v1/orders/:orderID/shipments": Operation(response: "ShipmentList"),
        "POST api/v1/orders/:orderID/shipments": Operation(request: "ShipmentCreate", status: 201, response: "Shipment"),
        "GET api/v1/orders/:orderID/shipments/:shipmentID/packing-list": Operation(response: nil),
        "GET api/v1/nonconformances": Operation(
            response: "NonconformanceList",
            query: [("state", "OPEN, AWAITING_APPROVAL, IN_REWORK or CLOSED"), ("page", "1 to 1000000, 50 a page")]),
        "GET api/v1/nonconformances/:ncrID": Operation(response: "Nonconformance"),
        "POST api/v1/nonconformances/:ncrID/disposition": Operation(request: "Disposition", response: "Nonconformance"),
        "POST api/v1/nonconformances/:ncrID/approve": Operation(request: "AdminPassword", response: "Nonconformance"),
        "GET api/v1/orders/:orderID/builds/:buildNumber/bom": Operation(
            response: "BOMDocument", query: [("format", "json, csv (text/csv) or pdf (application/pdf)")]),
        "GET api/v1/orders/:orderID/builds/:buildNumber/qr": Operation(response: nil, query: [("format", "svg (default) or png")]),
        "GET api/v1/orders/:orderID/builds/:buildNumber/labels": Operation(response: nil),
        "GET api/v1/orders/:orderID/builds/:buildNumber/device-history": Operation(response: nil),
        "GET api/v1/orders/:orderID/builds/:buildNumber/device-history/pdf": Operation(response: nil),
        "GET api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/certificate": Operation(
            response: nil, query: [("result", "a result id; the latest signed result otherwise")]),
        "GET api/v1/catalog/items/:itemID/qr": Operation(response: nil, query: [("format", "svg (default) or png")]),
        "GET api/v1/catalog/items/:itemID/label": Operation(response: nil),
        "POST api/v1/orders/:orderID/builds/:buildNumber/bom/approve": Operation(response: "OrderDetail"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/claim": Operation(response: "OrderDetail"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/release": Operation(response: "OrderDetail"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/assign": Operation(request: "BuildAssignment", response: "OrderDetail"),
        "GET api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind": Operation(response: "ChecklistInstance"),
        "GET api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/results": Operation(response: "ChecklistResultList"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/results": Operation(
            request: "ChecklistSubmission", status: 201, response: "ChecklistResult"),
        "GET api/v1/orders/:orderID/documents": Operation(response: "DocumentList"),
        "POST api/v1/orders/:orderID/documents": Operation(
            request: "DocumentUpload", requestType: "multipart/form-data", status: 201, response: "Document"),
        "GET api/v1/documents/:documentID": Operation(response: nil),
        "POST api/v1/bom/preview": Operation(request: "BOMPreviewRequest", response: "BOMDocument"),
        "GET api/v1/catalog/accessories": Operation(response: "AccessoryGroups"),
        "GET api/v1/catalog/items/:itemID": Operation(response: "CatalogItem"),
        "GET api/v1/reports": Operation(response: "Reports", query: [("months", "1 to 24 months back, this one included; 6 by default")]),
        "GET api/v1/reports/:report/csv": Operation(
            response: nil,
            query: [
                ("months", "1 to 24; 6 by default")
            ]),
        "GET api/v1/serial-numbers": Operation(
            response: "SerialSearch", query: [("serial", "a serial number or its first characters, any case (required)")]),
        "GET api/v1/where-used": Operation(response: "WhereUsed", query: whereUsedQuery),
        "GET api/v1/where-used/csv": Operation(response: nil, query: whereUsedQuery),
        "GET api/v1/catalog/search": Operation(
            response: "CatalogSearch",
            query: [
                ("q", "2 to 100 characters of an id or a name (optional with type or category)"),
                ("type", "PART, KIT, SIMPLE, COMPLEX or SERVICE_PART"), ("category", "a category's code: its assemblies"),
            ]),
        "POST api/v1/catalog/import": Operation(request: "CatalogImportRequest", response: "CatalogImportResult"),
        "GET api/v1/audit": Operation(
            response: "AuditList",
            query: [
                ("resourceType", ""), ("resourceId", ""), ("userId", ""), ("action", ""),
                ("from", "entries on or after this day, YYYY-MM-DD (UTC)"), ("to", "entries on or before this day, YYYY-MM-DD (UTC)"),
                ("page", "1 to 1000000"), ("limit", "1 to 100"),
            ]),
        "GET api/v1/audit/verify": Operation(response: "AuditVerification"),
        "GET api/v1/service-orders": Operation(
            response: "ServiceOrderList", query: [("status", "PENDING, APPROVED, REJECTED or FULFILLED")]),
        "POST api/v1/service-orders": Operation(request: "ServiceOrderCreate", status: 201, response: "ServiceOrder"),
        "POST api/v1/service-orders/:serviceOrderID/approve": Operation(request: "ServiceOrderDecision", response: "ServiceOrder"),
        "POST api/v1/service-orders/:serviceOrderID/reject": Operation(request: "ServiceOrderDecision", response: "ServiceOrder"),
        "POST api/v1/service-orders/:serviceOrderID/fulfil": Operation(request: "ServiceOrderDecision", response: "ServiceOrder"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/outsourcing": Operation(
            request: "OutsourcingMark", status: 201, response: "OutsourcedLine"),
        "GET api/v1/orders/:orderID/outsourcing": Operation(response: "OutsourcedLineList"),
        "PATCH api/v1/outsourcing/:lineID": Operation(request: "OutsourcingUpdate", response: "OutsourcedLine"),
        "GET api/v1/procurement/shortage": Operation(
            response: "Shortage", query: [("wantBy", "orders wanted on or before, YYYY-MM-DD (30 days from today unless given)")]),
        "GET api/v1/orders/:orderID/builds/:buildNumber/tasks": Operation(response: "TaskList"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/tasks/:taskID/complete": Operation(request: "TaskValue", response: "TaskList"),
        "POST api/v1/orders/:orderID/builds/:buildNumber/tasks/:taskID/undo": Operation(response: "TaskList"),
        "GET api/v1/orders/:orderID/builds/:buildNumber/lots": Operation(response: "LotList"),
        "PUT api/v1/orders/:orderID/builds/:buildNumber/lots/:itemID": Operation(request: "LotRecord", response: "LotList"),
        "PUT api/v1/catalog/items/:itemID/lot-tracking": Operation(request: "LotTrackingInput", response: "LotTracking"),
        "GET api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/draft": Operation(response: "ChecklistDraft"),
        "PUT api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/draft": Operation(
            request: "ChecklistDraftInput", response: "ChecklistDraft"),
        "GET api/v1/instruments": Operation(response: "InstrumentList"),
        "POST api/v1/instruments": Operation(request: "InstrumentCreate", status: 201, response: "Instrument"),
        "PATCH api/v1/instruments/:instrumentID": Operation(request: "InstrumentUpdate", response: "Instrument"),
        "POST api/v1/instruments/:instrumentID/certificate": Operation(
            request: "FileUpload", requestType: "multipart/form-data", response: "Instrument"),
        "GET api/v1/instruments/:instrumentID/certificate": Operation(response: nil),
        "GET api/v1/tools": Operation(response: "ToolList"),
        "POST api/v1/tools": Operation(request: "ToolCreate", status: 201, response: "ToolList"),
        "GET api/v1/work-instructions": Operation(response: "WorkInstructionList"),
        "PUT api/v1/work-instructions/:taskItemID": Operation(request: "WorkInstructionInput", response: "WorkInstruction"),
        "GET api/v1/notifications": Operation(response: "Notifications"),
        "GET api/v1/orders/:orderID/comments": Operation(response: "CommentList"),
        "POST api/v1/orders/:orderID/comments": Operation(request: "CommentCreate", status: 201, response: "CommentList"),
        "POST api/v1/notifications/:notificationID/read": Operation(status: 204),
        "GET api/v1/checklist-templates": Operation(response: "TemplateList"),
        "GET api/v1/checklist-templates/:templateID": Operation(response: "TemplateDetail"),
        "POST api/v1/checklist-templates/:templateID/versions": Operation(
            request: "TemplateDefinition", status: 201, response: "TemplateSummary"),
        "POST api/v1/checklist-templates/:templateID/retire": Operation(response: "TemplateSummary"),
        "GET api/openapi.json": Operation(response: nil),
    ]

    public static let document: JSONValue = build()

    static func build() -> JSONValue {
        var paths: [String: [JSONMember]] = [:]
        var order: [String] = []
        for route in Routes.all {
            let key = "\(route.method.rawValue) \(route.path)"
            let operation = operations[key] ?? Operation()
            let template =
                "/" + route.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            if paths[template] == nil { order.append(template) }
            paths[template, default: []].append(JSONMember(route.method.rawValue.lowercased(), describe(route, operation)))
        }
        return .object([
            JSONMember("openapi", "3.1.0"),
            JSONMember(
                "info",
                .object([
                    JSONMember("title", "CleanStation API"), JSONMember("version", "1.0.0"),
                    JSONMember("description", "Production orders, BOMs and quality records for Torvan Medical's CleanStation sinks."),
                ])),
            JSONMember("paths", .object(order.map { JSONMember($0, .object(paths[$0]!)) })),
            JSONMember(
                "components",
                .object([
                    JSONMember(
                        "securitySchemes",
                        .object([
                            JSONMember(
                                "bearer",
                                .object([JSONMember("type", "http"), JSONMember("scheme", "bearer"), JSONMember("bearerFormat", "JWT")]))
                        ])),
                    JSONMember("schemas", .object(schemas)),
                ])),
        ])
    }

    private static func describe(_ route: APIRoute, _ operation: Operation) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("operationId", .string(operationID(route))), JSONMember("summary", .string(route.summary)),
        ]
        switch route.access {
        case .anyone, .internalNetwork:
            members.append(JSONMember("security", []))
        case .signedIn, .roles:
            members.append(JSONMember("security", [.object([JSONMember("bearer", [])])]))
            let roles = route.access.allowedRoles!.map(\.rawValue).sorted().map { JSONValue.string($0) }
            members.append(JSONMember("x-roles", .array(roles)))
        }
        var parameters: [JSONValue] = route.path.split(separator: "/").filter { $0.hasPrefix(":") }.map { name in
            .object([
                JSONMember("name", .string(String(name.dropFirst()))), JSONMember("in", "path"), JSONMember("required", true),
                JSONMember("schema", .object([JSONMember("type", "string")])),
            ])
        }
        parameters += operation.query.map { query in
            .object([
                JSONMember("name", .string(query.name)), JSONMember("in", "query"), JSONMember("required", false),
                JSONMember("description", .string(query.description)), JSONMember("schema", .object([JSONMember("type", "string")])),
            ])
        }
        if !parameters.isEmpty { members.append(JSONMember("parameters", .array(parameters))) }
        if let request = operation.request {
            members.append(
                JSONMember(
                    "requestBody",
                    .object([
                        JSONMember("required", true),
                        JSONMember("content", .object([JSONMember(operation.requestType, .object([JSONMember("schema", ref(request))]))])),
                    ])))
        }
        var responses: [JSONMember] = []
        let success: JSONValue =
            if let response = operation.response {
                .object([
                    JSONMember("description", "Success"),
                    JSONMember("content", .object([JSONMember("application/json", .object([JSONMember("schema", ref(response))]))])),
                ])
            } else {
                .object([JSONMember("description", "Success")])
            }
        responses.append(JSONMember(String(operation.status), success))
        let errors: [(Int, String)] =
            switch route.access {
            case .anyone: [(422, "Invalid input"), (429, "Locked or rate limited")]
            case .internalNetwork: [(403, "Not from the internal network")]
            case .signedIn, .roles:
                [
                    (401, "Not signed in"),
                    (403, "The role may not do this, or a step comes first: PASSWORD_CHANGE_REQUIRED, MFA_REQUIRED"),
                    (404, "Not found"), (409, "Conflict"), (422, "Invalid input"),
                ]
            }
        for (status, description) in errors {
            responses.append(
                JSONMember(
                    String(status),
                    .object([
                        JSONMember("description", .string(description)),
                        JSONMember("content", .object([JSONMember("application/json", .object([JSONMember("schema", ref("Error"))]))])),
                    ])))
        }
        members.append(JSONMember("responses", .object(responses)))
        return .object(members)
    }

    private static func operationID(_ route: APIRoute) -> String {
        let words = route.path.split(separator: "/").dropFirst().map {
            $0.hasPrefix(":") ? "by" + $0.dropFirst().capitalizedFirst : $0.capitalizedFirst
        }
        return route.method.rawValue.lowercased()
            + words.joined().replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "-", with: "")
    }

    // MARK: Schema builders

    static func ref(_ name: String) -> JSONValue {
        .object([JSONMember("$ref", .string("#/components/schemas/\(name)"))])
    }

    static func object(
        _ properties: [(String, JSONValue)], required: [String]? = nil, closed: Bool = true, nullable: Bool = false
    ) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("type", nullable ? ["object", "null"] : "object"),
            JSONMember("properties", .object(properties.map { JSONMember($0.0, $0.1) })),
        ]
        members.append(JSONMember("required", .array((required ?? properties.map(\.0)).map { .string($0) })))
        if closed { members.append(JSONMember("additionalProperties", false)) }
        return .object(members)
    }

    /// An object whose members, whatever their names, are each `value`.
    static func map(_ value: JSONValue) -> JSONValue {
        .object([JSONMember("type", "object"), JSONMember("additionalProperties", value)])
    }

    /// A schema or null.
    static func nullable(_ schema: JSONValue) -> JSONValue { .object([JSONMember("anyOf", [schema, type("null")])]) }

    static func type(_ name: String, nullable: Bool = false) -> JSONValue {
        .object([JSONMember("type", nullable ? .array([.string(name), "null"]) : .string(name))])
    }

    static func enumeration<Value: RawRepresentable & CaseIterable>(_: Value.Type, nullable: Bool = false) -> JSONValue
    where Value.RawValue == String {
        let values = Value.allCases.map { JSONValue.string($0.rawValue) } + (nullable ? [.null] : [])
        return .object([JSONMember("enum", .array(values))])
    }

    static func array(_ items: JSONValue) -> JSONValue {
        .object([JSONMember("type", "array"), JSONMember("items", items)])
    }

    static let string = type("string")
    static let number = type("number")
    static let integer = type("integer")
    static let boolean = type("boolean")
    static let anyObject: JSONValue = .object([JSONMember("type", "object")])
    /// An order's header (`OrdersController.OrderSummary`): what its list item and its detail start with.
    static let orderSummary: [(String, JSONValue)] = [
        ("id", string), ("poNumber", string), ("customerName", string), ("projectName", type("string", nullable: true)),
        ("salesPerson", string), ("wantDate", string), ("language", enumeration(Language.self)), ("notes", string),
        ("sinkFamily", enumeration(SinkFamily.self)), ("status", enumeration(OrderStatus.self)),
        ("statusBreakdown", array(object([("status", enumeration(OrderStatus.self)), ("builds", integer)]))),
        ("createdAt", type("string", nullable: true)), ("updatedAt", type("string", nullable: true)),
    ]

    /// Any JSON: what an audit entry kept, in the shape of what it records.
    static let anyValue: JSONValue = .object([JSONMember("type", ["object", "array", "string", "number", "boolean", "null"])])
    /// A checklist answer's value: a check, a number, a text or a choice's code.
    static let answerValue: JSONValue = .object([JSONMember("type", ["boolean", "number", "string", "null"])])

    static let dimensions2 = object([("width", number), ("length", number)])
    static let dimensions3 = object([("width", number), ("length", number), ("depth", number)])

}

extension Substring {
    fileprivate var capitalizedFirst: String {
        prefix(1).uppercased() + dropFirst()
    }
}
