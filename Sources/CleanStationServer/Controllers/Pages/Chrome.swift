import CleanStationCore
import Fluent
import LeafKit
import Vapor

/// What every page's frame shows: the user, the navigation of their role,
/// the unread notifications, the CSRF token for its forms and the toast.
struct Chrome: Encodable {
    struct User: Encodable {
        var fullName: String
        var initials: String
        var role: String
    }

    struct Link: Encodable {
        var label: String
        var href: String
        var current: Bool
    }

    var title: String
    var user: User?
    var nav: [Link]
    var breadcrumbs: [Link]
    var csrf: String
    var flash: Flash?
    var unread: Int
    /// The fixed addresses the templates link to, from `SiteURL`.
    var site = Site.fixed

    /// Every address without a parameter that a template links to or posts to.
    struct Site: Encodable, Sendable, LeafDataRepresentable {
        static let fixed = Site()
        /// Leaf's encoder takes a value's `leafData` as it is: the addresses are made into Leaf's values once, not
        /// encoded field by field for every page.
        private static let data = LeafData.dictionary(
            Dictionary(uniqueKeysWithValues: Mirror(reflecting: fixed).children.map { ($0.label!, LeafData.string($0.value as? String)) }))
        var leafData: LeafData { Self.data }

        let home = SiteURL.home.path
        let login = SiteURL.login.path
        let logout = SiteURL.logout.path
        let passwordForgot = SiteURL.passwordForgot.path
        let passwordReset = SiteURL.passwordReset.path
        let account = SiteURL.account.path
        let accountPassword = SiteURL.accountPassword.path
        let accountMFA = SiteURL.accountMFA.path
        let accountMFAStart = SiteURL.accountMFAStart.path
        let accountMFAEnable = SiteURL.accountMFAEnable.path
        let notifications = SiteURL.notifications.path
        let orders = SiteURL.orders.path
        let newOrder = SiteURL.newOrder.path
        let scan = SiteURL.scan.path
        let whereUsed = SiteURL.whereUsed.path
        let reports = SiteURL.reports.path
        let procurement = SiteURL.procurement.path
        let procurementParts = SiteURL.procurementParts.path
        let nonconformances = SiteURL.nonconformances.path
        let service = SiteURL.service.path
        let serviceCart = SiteURL.serviceCart.path
        let serviceCartUpdate = SiteURL.serviceCartUpdate.path
        let serviceRequests = SiteURL.serviceRequests.path
        let adminUsers = SiteURL.admin(.users).path
        let adminAudit = SiteURL.admin(.audit).path
        let adminTemplates = SiteURL.admin(.templates).path
        let adminInstruments = SiteURL.admin(.instruments).path
        let adminTools = SiteURL.admin(.tools).path
        let adminCatalog = SiteURL.admin(.catalog).path
    }

    /// A page's frame and its own content, as the template sees them.
    struct Context<Page: Encodable>: Encodable {
        var chrome: Chrome
        var page: Page
    }

    static func render<Page: Encodable>(
        _ request: Request, _ template: String, title: String, _ page: Page, section: String?, breadcrumbs: [Link] = []
    ) async throws -> Response {
        var user: User?
        var unread = 0
        var nav: [Link] = []
        if let principal = request.storage[PrincipalKey.self] {
            user = User(fullName: principal.fullName, initials: principal.initials, role: roleName(principal.role))
            unread = try await NotificationsController.unreadCount(of: principal, request)
            nav = navigation(for: principal.role).map { Link(label: $0.label, href: $0.href, current: $0.href == section) }
        }
        let chrome = Chrome(
            title: title, user: user, nav: nav, breadcrumbs: breadcrumbs, csrf: request.csrfToken, flash: Flash.read(request),
            unread: unread)
        let leaf = request.application.leaf
        let renderer = LeafRenderer(
            configuration: leaf.configuration, tags: leaf.tags, cache: leaf.cache, sources: leaf.sources,
            eventLoop: Self.renderingLoops.next(),
            userInfo: leaf.userInfo.merging(["application": request.application, "request": request]) { _, ours in ours })
        let html = try await renderer.render(path: template, context: Context(chrome: chrome, page: page)).get()
        return Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(buffer: html))
    }

    /// Where Leaf writes pages: loops of their own, not the server's (`request.view` would render on the request's
    /// event loop, so pages build their `LeafRenderer` as Vapor's `Request.leaf` does, with another loop). A page's template takes milliseconds of CPU;
    /// on the event loop that also reads the database's answers, every query behind it waited (and held its
    /// connection) that long, which under load made the pages' tail ten times their cost.
    private static let renderingLoops = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)

    /// The sidebar of each role: only the places the role may open.
    static func navigation(for role: Role) -> [(label: String, href: String)] {
        let orders = ("Orders", SiteURL.orders.path)
        // A label's code, read by the tablet's camera or typed (`ScanPages`).
        let scan = ("Scan", SiteURL.scan.path)
        // Which build holds a serial number; a recall list: the builds that hold a part.
        let whereUsed = ("Trace", SiteURL.whereUsed.path)
        // Yield, cycle time, late orders at a glance.
        let reports = ("Reports", SiteURL.reports.path)
        switch role {
        case .productionCoordinator:
            return [
                orders, ("New order", SiteURL.newOrder.path), ("Endoscope", SiteURL.family(.value("endoscope")).path),
                ("InstroSink", SiteURL.family(.value("instrosink")).path), ("Service requests", SiteURL.service.path), scan, whereUsed,
                reports,
            ]
        case .procurementSpecialist:
            return [("Procurement", SiteURL.procurement.path), orders, ("Service requests", SiteURL.service.path), scan, whereUsed]
        case .qcPerson:
            return [
                ("Quality control", SiteURL.qc.path), ("Nonconformances", SiteURL.nonconformances.path), orders, scan, whereUsed, reports,
            ]
        case .assembler: return [("Production", SiteURL.production.path), orders, scan]
        case .serviceDepartment: return [("Service parts", SiteURL.service.path)]
        case .admin:
            return [
                orders, ("New order", SiteURL.newOrder.path), ("Procurement", SiteURL.procurement.path),
                ("Quality control", SiteURL.qc.path),
                ("Nonconformances", SiteURL.nonconformances.path), ("Production", SiteURL.production.path),
                ("Service requests", SiteURL.service.path), scan, whereUsed, reports,
                ("Users", SiteURL.admin(.users).path),
                ("Catalogue", SiteURL.admin(.catalog).path), ("Tools", SiteURL.admin(.tools).path),
                ("Test instruments", SiteURL.admin(.instruments).path),
                ("Work instructions", SiteURL.admin(.workInstructions).path),
                ("Checklist templates", SiteURL.admin(.templates).path), ("Audit log", SiteURL.admin(.audit).path),
            ]
        }
    }

    /// Where each role starts.
    static func home(for role: Role) -> String {
        navigation(for: role)[0].href
    }

    static func roleName(_ role: Role) -> String {
        switch role {
        case .admin: "Administrator"
        case .productionCoordinator: "Production coordinator"
        case .procurementSpecialist: "Procurement"
        case .qcPerson: "Quality control"
        case .assembler: "Assembler"
        case .serviceDepartment: "Service department"
        }
    }
}
