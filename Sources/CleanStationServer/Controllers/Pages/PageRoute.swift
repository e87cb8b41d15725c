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

    /// The page at `url`, its parameters given as keys (`.order(.key)`).
    init(
        _ method: HTTPMethod, _ url: SiteURL, _ access: Access, maxBodySize: ByteCount = "1mb", upload: Bool = false,
        allowedBeforeSetup: Bool = false, _ handler: @escaping @Sendable (Request) async throws -> Response
    ) {
        self.init(
            method, pattern: url.pattern, access, maxBodySize: maxBodySize, upload: upload, allowedBeforeSetup: allowedBeforeSetup, handler)
    }

    private init(
        _ method: HTTPMethod, pattern: String, _ access: Access, maxBodySize: ByteCount = "1mb", upload: Bool = false,
        allowedBeforeSetup: Bool = false, _ handler: @escaping @Sendable (Request) async throws -> Response
    ) {
        self.upload = upload
        self.allowedBeforeSetup = allowedBeforeSetup
        self.method = method
        self.path = pattern
        self.access = access
        self.maxBodySize = maxBodySize
        self.handler = handler
    }

    /// Any other address: the HTML "Not found" page.
    static func notFound(_ handler: @escaping @Sendable (Request) async throws -> Response) -> PageRoute {
        PageRoute(.GET, pattern: "**", .anyone, handler)
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
    /// A build's page, or one under it, as a route.
    static func build(_ page: SiteURL.BuildPage? = nil) -> SiteURL { .build(.key, .key, page) }

    static let all: [PageRoute] = [
        PageRoute(.GET, .login, .anyone, LoginPages.form),
        PageRoute(.POST, .login, .anyone, LoginPages.submit),
        PageRoute(.GET, .passwordForgot, .anyone, PasswordResetPages.forgot),
        PageRoute(.POST, .passwordForgot, .anyone, PasswordResetPages.requestLink),
        PageRoute(.GET, .passwordReset, .anyone, PasswordResetPages.form),
        PageRoute(.POST, .passwordReset, .anyone, PasswordResetPages.reset),
        PageRoute(.POST, .logout, .signedIn(), allowedBeforeSetup: true, LoginPages.logout),
        PageRoute(.GET, .account, .signedIn(), allowedBeforeSetup: true, AccountPages.account),
        PageRoute(.POST, .accountPassword, .signedIn(), allowedBeforeSetup: true, AccountPages.changePassword),
        PageRoute(.POST, .accountSessionEnd(.key), .signedIn(), allowedBeforeSetup: true, AccountPages.endSession),
        PageRoute(.GET, .accountMFA, .signedIn(), allowedBeforeSetup: true, AccountPages.mfa),
        PageRoute(.POST, .accountMFAStart, .signedIn(), allowedBeforeSetup: true, AccountPages.start),
        PageRoute(.POST, .accountMFAEnable, .signedIn(), allowedBeforeSetup: true, AccountPages.enable),
        PageRoute(.GET, .home, .signedIn(), DashboardPages.home),
        PageRoute(.GET, .orders, .orderPeople, DashboardPages.orders),
        PageRoute(.GET, .procurement, .procurement, DashboardPages.procurement),
        PageRoute(.GET, .procurementParts, .procurement, DashboardPages.partsNeeded),
        PageRoute(.GET, .qc, .roles([.qcPerson, .admin]), DashboardPages.qc),
        PageRoute(.GET, .production, .productionFloor, DashboardPages.production),
        PageRoute(.GET, .family(.key), .signedIn(), DashboardPages.underConstruction),
        PageRoute(.GET, .notifications, .signedIn(), DashboardPages.notifications),
        PageRoute(.GET, .notificationsUnread, .signedIn(), DashboardPages.unread),
        PageRoute(.POST, .notificationRead(.key), .signedIn(), DashboardPages.markRead),
        PageRoute(.GET, .newOrder, .coordinators, WizardPages.start),
        PageRoute(.POST, .newOrder, .coordinators, upload: true, WizardPages.step),
        PageRoute(.GET, .order(.key), .orderPeople, OrderPages.show),
        PageRoute(.GET, .order(.key, .edit), .coordinators, WizardPages.edit),
        PageRoute(.GET, .order(.key, .print), .orderPeople, OrderPages.printable),
        PageRoute(.POST, .order(.key, .status), .orderPeople, OrderPages.changeStatus),
        PageRoute(.POST, .order(.key, .comments), .orderPeople, OrderPages.comment),
        PageRoute(.POST, .order(.key, .header), .coordinators, OrderPages.editHeader),
        PageRoute(.POST, .order(.key, .shipments), .coordinators, OrderPages.ship),
        PageRoute(.GET, .packingList(.key, .key), .orderPeople) { try await ShipmentsController.packingList($0) },
        PageRoute(.GET, build(), .orderPeople, OrderPages.build),
        PageRoute(.GET, build(.qr), .orderPeople) { try await OrdersController.buildQRCode($0) },
        PageRoute(.GET, build(.labels), .orderPeople) { try await OrdersController.labels($0) },
        PageRoute(.GET, build(.deviceHistory), .deviceHistoryReaders) { try await DeviceHistoryController.manifest($0) },
        PageRoute(.GET, build(.deviceHistoryPDF), .deviceHistoryReaders) { try await DeviceHistoryController.pdf($0) },
        PageRoute(.GET, .scan, .orderPeople, ScanPages.show),
        PageRoute(.GET, .whereUsed, .orderPeople, TraceabilityPages.show),
        PageRoute(.GET, .whereUsedCSV, .orderPeople) { try await TraceabilityController.whereUsedCSV($0) },
        PageRoute(.GET, .reports, .reportReaders, ReportsPages.show),
        PageRoute(.GET, .reportCSV(.key), .reportReaders) { try await ReportsController.csv($0) },
        PageRoute(.GET, .catalogItem(.key), .signedIn(), CatalogPages.item),
        PageRoute(.GET, .catalogItem(.key, .qr), .signedIn()) { try CatalogController.itemQRCode($0) },
        PageRoute(.GET, .catalogItem(.key, .label), .signedIn()) { try await CatalogController.itemLabel($0) },
        PageRoute(.POST, .catalogItem(.key, .lotTracking), .admins, CatalogPages.setLotTracking),
        PageRoute(.POST, build(.status), .orderPeople, OrderPages.changeBuildStatus),
        PageRoute(.POST, build(.reject), .procurement, OrderPages.rejectBOM),
        PageRoute(.POST, build(.override), .admins, OrderPages.override),
        PageRoute(.GET, .nonconformances, .orderPeople, NonconformancePages.list),
        PageRoute(.GET, .nonconformance(.key), .orderPeople, NonconformancePages.show),
        PageRoute(.POST, .nonconformance(.key, .disposition), .nonconformanceDeciders, NonconformancePages.decide),
        PageRoute(.POST, .nonconformance(.key, .approve), .nonconformanceDeciders, NonconformancePages.approve),
        PageRoute(.POST, .order(.key, .documents), .orderPeople, upload: true, OrderPages.upload),
        PageRoute(.GET, .document(.key), .orderPeople) { try await DocumentsController.download($0) },
        PageRoute(.GET, build(.bom), .orderPeople) { try await OrdersController.bom($0) },
        PageRoute(.POST, build(.approve), .procurement, OrderPages.approveBOM),
        PageRoute(.POST, build(.outsourcing), .procurement, OutsourcingPages.mark),
        PageRoute(.POST, .outsourcingLine(.key), .procurement, OutsourcingPages.advance),
        PageRoute(.POST, build(.claim), .assemblers, OrderPages.claim),
        PageRoute(.POST, build(.release), .holders, OrderPages.release),
        PageRoute(.POST, build(.assign), .admins, OrderPages.assign),
        PageRoute(.GET, build(.checklist(.key)), .orderPeople, ChecklistPages.show),
        PageRoute(.POST, build(.checklist(.key)), .recorders, ChecklistPages.sign),
        PageRoute(.GET, build(.checklist(.key, .certificate)), .orderPeople) { try await ChecklistsController.certificate($0) },
        PageRoute(.GET, build(.checklist(.key, .print)), .orderPeople, ChecklistPages.printable),
        PageRoute(.POST, build(.checklist(.key, .draft)), .recorders, ChecklistPages.saveDraft),
        PageRoute(
            .POST, build(.checklist(.key, .photos)), .recorders, upload: true,
            ChecklistPages.attachPhoto),
        PageRoute(.GET, build(.tasks), .orderPeople, ChecklistPages.tasks),
        PageRoute(.POST, build(.task(.key)), .assemblers, ChecklistPages.completeTask),
        PageRoute(.POST, build(.taskUndo(.key)), .assemblers, ChecklistPages.undoTask),
        PageRoute(.POST, build(.lot(.key)), .assemblers, ChecklistPages.recordLot),
        PageRoute(.GET, .service, .serviceViewers, ServicePages.show),
        PageRoute(.POST, .serviceCart, .serviceRequesters, ServicePages.addToCart),
        PageRoute(.POST, .serviceCartUpdate, .serviceRequesters, ServicePages.updateCart),
        PageRoute(.POST, .serviceRequests, .serviceRequesters, ServicePages.request),
        PageRoute(.POST, .serviceDecision(.key, .key), .serviceProcessors, ServicePages.decide),
        PageRoute(.GET, .admin(.users), .admins, AdminPages.users),
        PageRoute(.POST, .admin(.users), .admins, AdminPages.createUser),
        PageRoute(.POST, .admin(.user(.key, .deactivate)), .admins, AdminPages.deactivate),
        PageRoute(.POST, .admin(.user(.key, .reactivate)), .admins, AdminPages.reactivate),
        PageRoute(.GET, .admin(.user(.key)), .admins, AdminPages.user),
        PageRoute(.POST, .admin(.user(.key)), .admins, AdminPages.updateUser),
        PageRoute(.POST, .admin(.user(.key, .sessionEnd(.key))), .admins, AdminPages.endUserSession),
        PageRoute(.POST, .admin(.user(.key, .resetPassword)), .admins, AdminPages.resetPassword),
        PageRoute(.POST, .admin(.user(.key, .resetMFA)), .admins, AdminPages.resetSecondFactor),
        PageRoute(.GET, .admin(.audit), .admins, AdminPages.audit),
        PageRoute(.GET, .admin(.templates), .admins, AdminPages.templates),
        PageRoute(.GET, .admin(.templateEdit(.key)), .admins, TemplateEditorPages.edit),
        PageRoute(.POST, .admin(.templateEdit(.key)), .admins, TemplateEditorPages.submit),
        PageRoute(.GET, .admin(.instruments), .admins, InstrumentPages.list),
        PageRoute(.POST, .admin(.instruments), .admins, InstrumentPages.create),
        PageRoute(.POST, .admin(.instrument(.key)), .admins, InstrumentPages.update),
        PageRoute(.POST, .admin(.instrumentCertificate(.key)), .admins, upload: true, InstrumentPages.upload),
        PageRoute(.GET, .instrumentCertificate(.key), .orderPeople) { try await InstrumentsController.certificate($0) },
        PageRoute(.GET, .admin(.tools), .admins, WorkshopPages.tools),
        PageRoute(.POST, .admin(.tools), .admins, WorkshopPages.createTool),
        PageRoute(.GET, .admin(.workInstructions), .admins, WorkshopPages.workInstructions),
        PageRoute(.POST, .admin(.workInstruction(.key)), .admins, WorkshopPages.putWorkInstruction),
        PageRoute(.GET, .admin(.catalog), .admins, WorkshopPages.catalog),
        PageRoute(.POST, .admin(.catalog), .admins, maxBodySize: "16mb", WorkshopPages.importCatalog),
        // Last, and matched last by the router: any other address gets the HTML "Not found" page (the API's stay JSON).
        // Nobody is asked to sign in to learn a page is missing, and a missing page touches no session.
        PageRoute.notFound { request in
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
