import CleanStationCore
import Vapor

/// One entry of the web pages' typed route list: method, path, who may
/// open it and the handler. Pages sign in with the session cookie; every
/// POST carries the form's CSRF token.
struct PageRoute: Sendable {
    var method: HTTPMethod
    var path: String
    var access: Access
    var maxBodySize: ByteCount
    /// It carries a file (`Application.bodyLimit`).
    var upload: Bool
    /// Whether a user who must still enrol in two-factor sign-in may open it.
    var allowedBeforeSetup: Bool
    var handler: @Sendable (Request) async throws -> Response

    init(
        _ method: HTTPMethod, _ path: String, _ access: Access, maxBodySize: ByteCount = "1mb", upload: Bool = false,
        allowedBeforeSetup: Bool = false, _ handler: @escaping @Sendable (Request) async throws -> Response
    ) {
        self.upload = upload
        self.allowedBeforeSetup = allowedBeforeSetup
        self.method = method
        self.path = path
        self.access = access
        self.maxBodySize = maxBodySize
        self.handler = handler
    }

    /// Whether this route answers a path of these segments.
    func matches(_ segments: [Substring]) -> Bool {
        let components = pathComponents
        guard components.count == segments.count else { return false }
        return zip(components, segments).allSatisfy { component, segment in
            switch component {
            case .constant(let name): name == segment
            case .parameter: true
            case .anything, .catchall: false
            }
        }
    }

    var pathComponents: [PathComponent] {
        path.split(separator: "/").map {
            $0 == "**" ? .catchall : $0.hasPrefix(":") ? .parameter(String($0.dropFirst())) : .constant(String($0))
        }
    }
}

/// Every page of the web application.
enum Pages {
    static let coordinators: Set<Role> = Routes.coordinators
    static let everyoneButService: Access = .signedIn(except: [.serviceDepartment])
    static let build = "orders/:orderID/builds/:buildNumber"

    static let all: [PageRoute] = [
        PageRoute(.GET, "login", .anyone, LoginPages.form),
        PageRoute(.POST, "login", .anyone, LoginPages.submit),
        PageRoute(.GET, "password/forgot", .anyone, PasswordResetPages.forgot),
        PageRoute(.POST, "password/forgot", .anyone, PasswordResetPages.requestLink),
        PageRoute(.GET, "password/reset", .anyone, PasswordResetPages.form),
        PageRoute(.POST, "password/reset", .anyone, PasswordResetPages.reset),
        PageRoute(.POST, "logout", .signedIn(), allowedBeforeSetup: true, LoginPages.logout),
        PageRoute(.GET, "account", .signedIn(), allowedBeforeSetup: true, AccountPages.account),
        PageRoute(.POST, "account/password", .signedIn(), allowedBeforeSetup: true, AccountPages.changePassword),
        PageRoute(.POST, "account/sessions/:sessionID/end", .signedIn(), allowedBeforeSetup: true, AccountPages.endSession),
        PageRoute(.GET, "account/mfa", .signedIn(), allowedBeforeSetup: true, AccountPages.mfa),
        PageRoute(.POST, "account/mfa/start", .signedIn(), allowedBeforeSetup: true, AccountPages.start),
        PageRoute(.POST, "account/mfa/enable", .signedIn(), allowedBeforeSetup: true, AccountPages.enable),
        PageRoute(.GET, "", .signedIn(), DashboardPages.home),
        PageRoute(.GET, "orders", everyoneButService, DashboardPages.orders),
        PageRoute(.GET, "procurement", .roles(Routes.procurement), DashboardPages.procurement),
        PageRoute(.GET, "procurement/parts", .roles(Routes.procurement), DashboardPages.partsNeeded),
        PageRoute(.GET, "qc", .roles([.qcPerson, .admin]), DashboardPages.qc),
        PageRoute(.GET, "production", .roles([.assembler, .admin]), DashboardPages.production),
        PageRoute(.GET, "families/:family", .signedIn(), DashboardPages.underConstruction),
        PageRoute(.GET, "notifications", .signedIn(), DashboardPages.notifications),
        PageRoute(.GET, "notifications/unread", .signedIn(), DashboardPages.unread),
        PageRoute(.POST, "notifications/:notificationID/read", .signedIn(), DashboardPages.markRead),
        PageRoute(.GET, "orders/new", .roles(coordinators), WizardPages.start),
        PageRoute(.POST, "orders/new", .roles(coordinators), upload: true, WizardPages.step),
        PageRoute(.GET, "orders/:orderID", everyoneButService, OrderPages.show),
        PageRoute(.GET, "orders/:orderID/edit", .roles(coordinators), WizardPages.edit),
        PageRoute(.GET, "orders/:orderID/print", everyoneButService, OrderPages.printable),
        PageRoute(.POST, "orders/:orderID/status", .signedIn(except: [.serviceDepartment]), OrderPages.changeStatus),
        PageRoute(.POST, "orders/:orderID/comments", everyoneButService, OrderPages.comment),
        PageRoute(.POST, "orders/:orderID/header", .roles(coordinators), OrderPages.editHeader),
        PageRoute(.POST, "orders/:orderID/shipments", .roles(coordinators), OrderPages.ship),
        PageRoute(.GET, build, everyoneButService, OrderPages.build),
        PageRoute(.GET, "\(build)/qr", everyoneButService) { try await OrdersController.buildQRCode($0) },
        PageRoute(.GET, "\(build)/labels", everyoneButService) { try await OrdersController.labels($0) },
        PageRoute(.GET, "scan", everyoneButService, ScanPages.show),
        PageRoute(.GET, "catalog/items/:itemID", .signedIn(), CatalogPages.item),
        PageRoute(.GET, "catalog/items/:itemID/qr", .signedIn()) { try CatalogController.itemQRCode($0) },
        PageRoute(.GET, "catalog/items/:itemID/label", .signedIn()) { try await CatalogController.itemLabel($0) },
        PageRoute(.POST, "\(build)/status", everyoneButService, OrderPages.changeBuildStatus),
        PageRoute(.POST, "\(build)/reject", .roles(Routes.procurement), OrderPages.rejectBOM),
        PageRoute(.POST, "\(build)/override", .roles([.admin]), OrderPages.override),
        PageRoute(.GET, "nonconformances", everyoneButService, NonconformancePages.list),
        PageRoute(.GET, "nonconformances/:ncrID", everyoneButService, NonconformancePages.show),
        PageRoute(.POST, "nonconformances/:ncrID/disposition", .roles(Nonconformance.deciders), NonconformancePages.decide),
        PageRoute(.POST, "nonconformances/:ncrID/approve", .roles(Nonconformance.deciders), NonconformancePages.approve),
        PageRoute(.POST, "orders/:orderID/documents", everyoneButService, upload: true, OrderPages.upload),
        PageRoute(.GET, "documents/:documentID", everyoneButService) { try await DocumentsController.download($0) },
        PageRoute(.GET, "\(build)/bom", everyoneButService) { try await OrdersController.bom($0) },
        PageRoute(.POST, "\(build)/approve", .roles(Routes.procurement), OrderPages.approveBOM),
        PageRoute(.POST, "\(build)/outsourcing", .roles(Routes.procurement), OutsourcingPages.mark),
        PageRoute(.POST, "outsourcing/:lineID", .roles(Routes.procurement), OutsourcingPages.advance),
        PageRoute(.POST, "\(build)/claim", .roles([.assembler]), OrderPages.claim),
        PageRoute(.POST, "\(build)/release", .roles([.assembler, .admin]), OrderPages.release),
        PageRoute(.POST, "\(build)/assign", .roles([.admin]), OrderPages.assign),
        PageRoute(.GET, "\(build)/checklists/:kind", everyoneButService, ChecklistPages.show),
        PageRoute(.POST, "\(build)/checklists/:kind", .roles([.qcPerson, .assembler]), ChecklistPages.sign),
        PageRoute(.GET, "\(build)/checklists/:kind/certificate", everyoneButService) { try await ChecklistsController.certificate($0) },
        PageRoute(.GET, "\(build)/checklists/:kind/print", everyoneButService, ChecklistPages.printable),
        PageRoute(.POST, "\(build)/checklists/:kind/draft", .roles([.qcPerson, .assembler]), ChecklistPages.saveDraft),
        PageRoute(
            .POST, "\(build)/checklists/:kind/photos", .roles([.qcPerson, .assembler]), upload: true,
            ChecklistPages.attachPhoto),
        PageRoute(.GET, "\(build)/tasks", everyoneButService, ChecklistPages.tasks),
        PageRoute(.POST, "\(build)/tasks/:taskID", .roles([.assembler]), ChecklistPages.completeTask),
        PageRoute(.POST, "\(build)/tasks/:taskID/undo", .roles([.assembler]), ChecklistPages.undoTask),
        PageRoute(.GET, "service", .roles([.serviceDepartment, .procurementSpecialist, .admin]), ServicePages.show),
        PageRoute(.POST, "service/cart", .roles([.serviceDepartment, .admin]), ServicePages.addToCart),
        PageRoute(.POST, "service/cart/update", .roles([.serviceDepartment, .admin]), ServicePages.updateCart),
        PageRoute(.POST, "service/requests", .roles([.serviceDepartment, .admin]), ServicePages.request),
        PageRoute(.POST, "service/requests/:serviceOrderID/:decision", .roles(ServiceOrdersController.processors), ServicePages.decide),
        PageRoute(.GET, "admin/users", .roles([.admin]), AdminPages.users),
        PageRoute(.POST, "admin/users", .roles([.admin]), AdminPages.createUser),
        PageRoute(.POST, "admin/users/:userID/deactivate", .roles([.admin]), AdminPages.deactivate),
        PageRoute(.POST, "admin/users/:userID/reactivate", .roles([.admin]), AdminPages.reactivate),
        PageRoute(.GET, "admin/users/:userID", .roles([.admin]), AdminPages.user),
        PageRoute(.POST, "admin/users/:userID", .roles([.admin]), AdminPages.updateUser),
        PageRoute(.POST, "admin/users/:userID/sessions/:sessionID/end", .roles([.admin]), AdminPages.endUserSession),
        PageRoute(.POST, "admin/users/:userID/reset-password", .roles([.admin]), AdminPages.resetPassword),
        PageRoute(.POST, "admin/users/:userID/reset-mfa", .roles([.admin]), AdminPages.resetSecondFactor),
        PageRoute(.GET, "admin/audit", .roles([.admin]), AdminPages.audit),
        PageRoute(.GET, "admin/templates", .roles([.admin]), AdminPages.templates),
        PageRoute(.GET, "admin/templates/:templateID/edit", .roles([.admin]), TemplateEditorPages.edit),
        PageRoute(.POST, "admin/templates/:templateID/edit", .roles([.admin]), TemplateEditorPages.submit),
        PageRoute(.GET, "admin/instruments", .roles([.admin]), InstrumentPages.list),
        PageRoute(.POST, "admin/instruments", .roles([.admin]), InstrumentPages.create),
        PageRoute(.POST, "admin/instruments/:instrumentID", .roles([.admin]), InstrumentPages.update),
        PageRoute(.POST, "admin/instruments/:instrumentID/certificate", .roles([.admin]), upload: true, InstrumentPages.upload),
        PageRoute(.GET, "instruments/:instrumentID/certificate", everyoneButService) { try await InstrumentsController.certificate($0) },
        PageRoute(.GET, "admin/tools", .roles([.admin]), WorkshopPages.tools),
        PageRoute(.POST, "admin/tools", .roles([.admin]), WorkshopPages.createTool),
        PageRoute(.GET, "admin/work-instructions", .roles([.admin]), WorkshopPages.workInstructions),
        PageRoute(.POST, "admin/work-instructions/:taskItemID", .roles([.admin]), WorkshopPages.putWorkInstruction),
        PageRoute(.GET, "admin/catalog", .roles([.admin]), WorkshopPages.catalog),
        PageRoute(.POST, "admin/catalog", .roles([.admin]), maxBodySize: "16mb", WorkshopPages.importCatalog),
        // Last, and matched last by the router: any other address gets the HTML "Not found" page (the API's stay JSON).
        // Nobody is asked to sign in to learn a page is missing, and a missing page touches no session.
        PageRoute(.GET, "**", .anyone) { request in
            throw APIError(.notFound, "RESOURCE_NOT_FOUND", "There is no page at \(request.url.path).")
        },
    ]

    static func register(on app: Application) {
        let pages = app.grouped(PageMiddleware())
        for route in all {
            let limit = app.bodyLimit(route.maxBodySize, upload: route.upload)
            // The declared length and the session are checked before the body is read (for the CSRF token).
            var middleware: [any Middleware] = [DeclaredLengthLimit(maximum: limit)]
            if route.access != .anyone {
                middleware.append(CookieAuthenticator(roles: route.access.allowedRoles, allowedBeforeSetup: route.allowedBeforeSetup))
            }
            if route.method == .POST { middleware.append(CSRFMiddleware(maxBodySize: ByteCount(value: limit))) }
            pages.grouped(middleware).on(
                route.method, route.pathComponents, body: .collect(maxSize: ByteCount(value: limit)), use: route.handler)
        }
    }
}
