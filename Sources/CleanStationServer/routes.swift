import CleanStationCore
import Vapor

/// Every route of the API in one typed list: method, path, who may call it.
/// The authorization matrix test and the OpenAPI check read this list.
enum Routes {
    static let all: [APIRoute] = [
        APIRoute(.GET, "api/health", .anyone, "Liveness", HealthController.health),
        APIRoute(.GET, "api/ready", .anyone, "Readiness", HealthController.ready),
        APIRoute(.GET, "metrics", .internalNetwork, "Prometheus metrics", MetricsController.metrics),
        APIRoute(.GET, "api/openapi.json", .anyone, "This API's OpenAPI 3.1 document") { _ in OpenAPIDocument.document },
        APIRoute(.POST, "api/auth/login", .anyone, "Sign in (the deployment guide's path)", AuthController.login),
        APIRoute(.POST, "api/v1/auth/login", .anyone, "Sign in", AuthController.login),
        APIRoute(.POST, "api/v1/auth/refresh", .anyone, "Rotate a refresh token", AuthController.refresh),
        APIRoute(
            .POST, "api/v1/auth/password/forgot", .anyone, "Ask for a link to choose a new password (e-mail)",
            PasswordResetController.forgot),
        APIRoute(
            .POST, "api/v1/auth/password/reset", .anyone, "Choose a new password with an e-mailed link's token",
            PasswordResetController.reset),
        APIRoute(.POST, "api/v1/auth/logout", .signedIn(), "End this session", AuthController.logout, allowedBeforeSetup: true),
        APIRoute(
            .GET, "api/v1/auth/session", .signedIn(), "The current user and session", AuthController.session, allowedBeforeSetup: true),
        APIRoute(.GET, "api/v1/auth/sessions", .signedIn(), "My live sessions", SessionsController.mine, allowedBeforeSetup: true),
        APIRoute(
            .DELETE, "api/v1/auth/sessions/:sessionID", .signedIn(), "End a session", SessionsController.end, allowedBeforeSetup: true),
        APIRoute(
            .POST, "api/v1/auth/password", .signedIn(), "Change my password", UsersController.changePassword, allowedBeforeSetup: true),
        APIRoute(.POST, "api/v1/auth/mfa/setup", .signedIn(), "Start two-factor enrolment", MFAController.setup, allowedBeforeSetup: true),
        APIRoute(
            .POST, "api/v1/auth/mfa/enable", .signedIn(), "Confirm two-factor enrolment", MFAController.enable, allowedBeforeSetup: true),
        APIRoute(.GET, "api/v1/users", .admins, "List users", UsersController.list),
        APIRoute(.POST, "api/v1/users", .admins, "Create a user", UsersController.create),
        APIRoute(.GET, "api/v1/users/:userID", .admins, "A user", UsersController.show),
        APIRoute(.PATCH, "api/v1/users/:userID", .admins, "Change a user's name, role or access", UsersController.update),
        APIRoute(.DELETE, "api/v1/users/:userID", .admins, "Deactivate a user", UsersController.deactivate),
        APIRoute(.GET, "api/v1/users/:userID/sessions", .admins, "A user's live sessions", SessionsController.ofUser),
        APIRoute(
            .POST, "api/v1/users/:userID/reset-password", .admins, "Reset another person's password to a one-time one",
            RecoveryController.resetPassword),
        APIRoute(
            .POST, "api/v1/users/:userID/reset-mfa", .admins, "Reset another person's second factor",
            RecoveryController.resetSecondFactor),
        APIRoute(.GET, "api/v1/orders", .signedIn(), "List orders", OrdersController.list),
        APIRoute(.POST, "api/v1/orders", .coordinators, "Create an order", OrdersController.create),
        APIRoute(.GET, "api/v1/orders/:orderID", .orderPeople, "An order", OrdersController.show),
        APIRoute(
            .PATCH, "api/v1/orders/:orderID", .coordinators, "Edit an order (its header at any status before SHIPPED)",
            OrdersController.update),
        APIRoute(
            .POST, "api/v1/orders/:orderID/status", .orderPeople, "Move every build of the order that may move",
            OrdersController.changeStatus),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/status", .orderPeople, "Move one build",
            BuildFlow.changeStatus),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/override", .admins,
            "Force a build's status or un-cancel it, with a reason and the password", BuildFlow.override),
        APIRoute(
            .PUT, "api/v1/orders/:orderID/builds/:buildNumber/configuration", .coordinators,
            "Change a build's configuration (after PARTS_SENT, a change request back to the BOM review)", BuildFlow.changeConfiguration),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/bom/reject", .procurement, "Send a build's BOM back, with a reason",
            BuildFlow.rejectBOM),
        APIRoute(
            .GET, "api/v1/orders/:orderID/shipments", .orderPeople, "An order's shipments",
            ShipmentsController.list),
        APIRoute(
            .POST, "api/v1/orders/:orderID/shipments", .coordinators, "Ship builds that are READY_FOR_SHIP",
            ShipmentsController.create),
        APIRoute(
            .GET, "api/v1/orders/:orderID/shipments/:shipmentID/packing-list", .orderPeople,
            "A shipment's packing list (PDF)", ShipmentsController.packingList),
        APIRoute(
            .GET, "api/v1/nonconformances", .orderPeople, "Nonconformances, newest first",
            NonconformancesController.list),
        APIRoute(
            .GET, "api/v1/nonconformances/:ncrID", .orderPeople, "A nonconformance",
            NonconformancesController.show),
        APIRoute(
            .POST, "api/v1/nonconformances/:ncrID/disposition", .nonconformanceDeciders, "Decide a nonconformance's disposition",
            NonconformancesController.decide),
        APIRoute(
            .POST, "api/v1/nonconformances/:ncrID/approve", .nonconformanceDeciders, "Second approval of a use-as-is disposition",
            NonconformancesController.approve),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/bom", .orderPeople, "A build's BOM",
            OrdersController.bom),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/qr", .orderPeople,
            "A QR code linking to the build's page", OrdersController.buildQRCode),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/labels", .orderPeople,
            "The build's labels for the skirt and the back (PDF, 100 × 50 mm), with the QR code of its page", OrdersController.labels),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/device-history", .deviceHistoryReaders,
            "A shipped build's device history record: its manifest (JSON) with every signed record and audit entry, signed PS256 "
                + "with the server's key (`keyId`); `cleanstation dhr verify` checks it offline", DeviceHistoryController.manifest),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/device-history/pdf", .deviceHistoryReaders,
            "A shipped build's device history record as a PDF, whose SHA-256 its manifest names", DeviceHistoryController.pdf),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/bom/approve", .procurement, "Approve a build's BOM",
            OrdersController.approveBOM),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/claim", .assemblers, "Hold a build in production",
            ClaimsController.claim),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/release", .holders, "Let go of a build",
            ClaimsController.release),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/assign", .admins, "Give a build to an assembler",
            ClaimsController.assign),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind", .orderPeople,
            "A build's checklist, resolved for its configuration", ChecklistsController.show),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/results", .orderPeople,
            "A build's signed results of one checklist", ChecklistsController.results),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/certificate", .orderPeople,
            "The certificate (PDF) of a signed result", ChecklistsController.certificate),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/results", .recorders,
            "Record and sign a result (QC for pre-qc and final-qc; assemblers for the others)", ChecklistsController.sign),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/draft", .orderPeople,
            "A checklist's answers saved so far, before the signature", ChecklistsController.draft),
        APIRoute(
            .PUT, "api/v1/orders/:orderID/builds/:buildNumber/checklists/:kind/draft", .recorders,
            "Save a checklist's answers as they are entered (partial; no signature)", ChecklistsController.saveDraft),
        APIRoute(
            .GET, "api/v1/orders/:orderID/comments", .orderPeople, "An order's comments, oldest first",
            CommentsController.list),
        APIRoute(
            .POST, "api/v1/orders/:orderID/comments", .orderPeople, "Comment on an order",
            CommentsController.create),
        APIRoute(
            .GET, "api/v1/orders/:orderID/documents", .orderPeople, "An order's documents",
            DocumentsController.list),
        APIRoute(
            .POST, "api/v1/orders/:orderID/documents", .orderPeople, "Attach a document (multipart: kind, file)",
            DocumentsController.upload, upload: true, streamsBody: true),
        APIRoute(
            .GET, "api/v1/documents/:documentID", .orderPeople, "Download a document",
            DocumentsController.download),
        APIRoute(
            .POST, "api/v1/bom/preview", .coordinators, "The BOM of a configuration, nothing stored", OrdersController.previewBOM),
        APIRoute(.GET, "api/v1/catalog/accessories", .signedIn(), "Accessories by group", CatalogController.accessories),
        APIRoute(.GET, "api/v1/catalog/items/:itemID", .signedIn(), "A catalogue item with its components", CatalogController.item),
        APIRoute(
            .GET, "api/v1/reports", .reportReaders,
            "The reports over the last `months`: first-pass yield, the items that fail most, cycle time per stage, work in progress, "
                + "on-time delivery, overdue orders, QC workload", ReportsController.all),
        APIRoute(.GET, "api/v1/reports/:report/csv", .reportReaders, "One report as CSV", ReportsController.csv),
        APIRoute(
            .GET, "api/v1/serial-numbers", .orderPeople,
            "Which builds recorded a serial number (or numbers starting with it) in a signed checklist: the build, its order and status",
            TraceabilityController.serials),
        APIRoute(
            .GET, "api/v1/where-used", .orderPeople, "Every build whose BOM holds a part (a recall list)", TraceabilityController.whereUsed),
        APIRoute(
            .GET, "api/v1/where-used/csv", .orderPeople, "Every build whose BOM holds a part, as CSV",
            TraceabilityController.whereUsedCSV),
        APIRoute(
            .GET, "api/v1/catalog/items/:itemID/qr", .signedIn(), "A QR code linking to the catalogue item's page",
            CatalogController.itemQRCode),
        APIRoute(
            .GET, "api/v1/catalog/items/:itemID/label", .signedIn(), "The item's label (PDF, 100 × 50 mm), with the QR code of its page",
            CatalogController.itemLabel),
        APIRoute(.GET, "api/v1/catalog/search", .signedIn(), "Search the catalogue by id or name", CatalogController.search),
        APIRoute(
            .PUT, "api/v1/catalog/items/:itemID/lot-tracking", .admins,
            "Flag a catalogue item as lot-tracked (its lot is recorded at assembly), or stop", LotsController.setTracking),
        APIRoute(
            .POST, "api/v1/catalog/import", .admins, "Import the catalogue export", CatalogController.importCatalog,
            maxBodySize: "16mb"),
        APIRoute(
            .GET, "api/v1/service-orders", .serviceViewers,
            "Service-part requests (the service department sees its own)", ServiceOrdersController.list),
        APIRoute(
            .POST, "api/v1/service-orders", .serviceRequesters, "Request service parts", ServiceOrdersController.create),
        APIRoute(
            .POST, "api/v1/service-orders/:serviceOrderID/approve", .serviceProcessors, "Approve a request",
            ServiceOrdersController.approve),
        APIRoute(
            .POST, "api/v1/service-orders/:serviceOrderID/reject", .serviceProcessors,
            "Reject a request with a reason",
            ServiceOrdersController.reject),
        APIRoute(
            .POST, "api/v1/service-orders/:serviceOrderID/fulfil", .serviceProcessors, "Mark a request fulfilled",
            ServiceOrdersController.fulfil),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/outsourcing", .procurement, "Mark a BOM line for outsourcing",
            ProcurementController.mark),
        APIRoute(
            .GET, "api/v1/orders/:orderID/outsourcing", .orderPeople, "An order's outsourced lines",
            ProcurementController.list),
        APIRoute(
            .PATCH, "api/v1/outsourcing/:lineID", .procurement, "Move an outsourced line on (SENT, RECEIVED)",
            ProcurementController.advance),
        APIRoute(
            .GET, "api/v1/procurement/shortage", .procurement,
            "The parts still to send, totalled over the builds whose orders are wanted by a date",
            ProcurementController.shortage),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/tasks", .orderPeople,
            "A build's assembly tasks with parts, tools and work instructions", AssemblyController.tasks),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/tasks/:taskID/complete", .assemblers,
            "Check off one task of a build you hold (with value for a task that records a choice)", AssemblyController.complete),
        APIRoute(
            .POST, "api/v1/orders/:orderID/builds/:buildNumber/tasks/:taskID/undo", .assemblers,
            "Take back a task's check-off", AssemblyController.undo),
        APIRoute(
            .GET, "api/v1/orders/:orderID/builds/:buildNumber/lots", .orderPeople,
            "The lot-tracked lines of a build's BOM, with the lots recorded at assembly", LotsController.list),
        APIRoute(
            .PUT, "api/v1/orders/:orderID/builds/:buildNumber/lots/:itemID", .assemblers,
            "Record (or correct) the lot of a lot-tracked line of a build you hold", LotsController.record),
        APIRoute(
            .GET, "api/v1/instruments", .orderPeople, "The test equipment register",
            InstrumentsController.list),
        APIRoute(.POST, "api/v1/instruments", .admins, "Add a calibrated instrument", InstrumentsController.create),
        APIRoute(
            .PATCH, "api/v1/instruments/:instrumentID", .admins, "Change an instrument's due date or description, or retire it",
            InstrumentsController.update),
        APIRoute(
            .POST, "api/v1/instruments/:instrumentID/certificate", .admins, "Attach the calibration certificate (multipart: file)",
            InstrumentsController.uploadCertificate, upload: true),
        APIRoute(
            .GET, "api/v1/instruments/:instrumentID/certificate", .orderPeople,
            "Download an instrument's calibration certificate", InstrumentsController.certificate),
        APIRoute(.GET, "api/v1/tools", .orderPeople, "Tools", AssemblyController.tools),
        APIRoute(.POST, "api/v1/tools", .admins, "Add a tool", AssemblyController.createTool),
        APIRoute(
            .GET, "api/v1/work-instructions", .orderPeople, "Work instructions",
            AssemblyController.workInstructions),
        APIRoute(
            .PUT, "api/v1/work-instructions/:taskItemID", .admins, "Set the work instruction of a checklist item (any kind)",
            AssemblyController.putWorkInstruction),
        APIRoute(.GET, "api/v1/notifications", .signedIn(), "My notifications and the unread count", NotificationsController.list),
        APIRoute(
            .POST, "api/v1/notifications/:notificationID/read", .signedIn(), "Mark a notification read", NotificationsController.markRead),
        APIRoute(.GET, "api/v1/checklist-templates", .admins, "Checklist templates, every version", TemplatesController.list),
        APIRoute(.GET, "api/v1/checklist-templates/:templateID", .admins, "One template version", TemplatesController.show),
        APIRoute(
            .POST, "api/v1/checklist-templates/:templateID/versions", .admins, "Create the next version from an edited copy",
            TemplatesController.newVersion),
        APIRoute(
            .POST, "api/v1/checklist-templates/:templateID/retire", .admins, "Retire a template version",
            TemplatesController.retire),
        APIRoute(.GET, "api/v1/audit", .admins, "Audit entries", AuditController.list),
        APIRoute(.GET, "api/v1/audit/verify", .admins, "Verify the audit chain", AuditController.verify),
    ]

    static func register(on app: Application) {
        for route in all {
            let limit = app.bodyLimit(route.maxBodySize, upload: route.upload)
            let limited = app.grouped(DeclaredLengthLimit(maximum: limit))
            let routes: any RoutesBuilder =
                switch route.access {
                case .anyone, .internalNetwork: limited
                default:
                    limited.grouped(BearerAuthenticator(roles: route.access.allowedRoles, allowedBeforeSetup: route.allowedBeforeSetup))
                }
            routes.on(
                route.method, route.pathComponents, body: route.streamsBody ? .stream : .collect(maxSize: ByteCount(value: limit)),
                use: route.handler)
        }
    }
}
