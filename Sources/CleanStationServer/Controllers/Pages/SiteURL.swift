import CleanStationCore
import Foundation
import Vapor

/// Every page's address (issue 19), in the style of SwiftPackageIndex-Server's
/// `SiteURL`: `Pages.all` registers each route with its parameters as keys
/// (`.order(.key)`), and every link the pages make, in Swift and through
/// their models in the templates, is the same case with values
/// (`.order(.id(order))`). A link names the page it opens, so a link to a
/// page that does not exist does not compile and renaming a path is one
/// edit; the values are not checked (`SiteURLTests` reads the pages).
enum SiteURL: Sendable, Hashable {
    /// A path parameter: its name when a route is registered, its value in a link.
    enum Parameter: Sendable, Hashable {
        case key
        case value(String)

        static func id(_ uuid: UUID) -> Parameter { .value(uuid.uuidString.lowercased()) }
    }

    case home
    case login, logout, passwordForgot, passwordReset
    case account, accountPassword, accountSessionEnd(Parameter), accountMFA, accountMFAStart, accountMFAEnable
    case orders, newOrder, scan
    case whereUsed, whereUsedCSV
    case reports, reportCSV(Parameter)
    case procurement, procurementParts, qc, production
    case family(Parameter)
    case notifications, notificationsUnread, notificationRead(Parameter)
    case order(Parameter, OrderPage? = nil)
    case build(Parameter, Parameter, BuildPage? = nil)
    case packingList(Parameter, Parameter)
    case catalogItem(Parameter, ItemPage? = nil)
    case nonconformances, nonconformance(Parameter, NonconformancePage? = nil)
    case document(Parameter)
    case outsourcingLine(Parameter)
    case instrumentCertificate(Parameter)
    case service, serviceCart, serviceCartUpdate, serviceRequests, serviceDecision(Parameter, Parameter)
    case admin(AdminPage)

    enum OrderPage: String, Sendable, Hashable {
        case edit, print, status, comments, header, shipments, documents
    }

    enum BuildPage: Sendable, Hashable {
        case qr, labels, status, reject, override, bom, approve, outsourcing, claim, release, assign, tasks
        /// The device history record: its signed manifest (JSON), and its PDF.
        case deviceHistory, deviceHistoryPDF
        case task(Parameter), taskUndo(Parameter)
        /// The lot of a lot-tracked line, by its item id.
        case lot(Parameter)
        case checklist(Parameter, ChecklistPage? = nil)
    }

    enum ChecklistPage: String, Sendable, Hashable {
        case certificate, print, draft, photos
    }

    enum ItemPage: String, Sendable, Hashable {
        case qr, label
        case lotTracking = "lot-tracking"
    }

    enum NonconformancePage: String, Sendable, Hashable {
        case disposition, approve
    }

    enum AdminPage: Sendable, Hashable {
        case users, audit, templates, instruments, tools, workInstructions, catalog
        case user(Parameter, UserPage? = nil)
        case templateEdit(Parameter)
        case instrument(Parameter)
        case instrumentCertificate(Parameter)
        case workInstruction(Parameter)
    }

    enum UserPage: Sendable, Hashable {
        case deactivate, reactivate, resetPassword, resetMFA
        case sessionEnd(Parameter)
    }

    /// A constant segment, or a parameter with its route name.
    enum Segment: Sendable, Hashable {
        case constant(String)
        case parameter(String, Parameter)
    }

    var segments: [Segment] {
        func c(_ names: String...) -> [Segment] { names.map(Segment.constant) }
        switch self {
        case .home: return []
        case .login: return c("login")
        case .logout: return c("logout")
        case .passwordForgot: return c("password", "forgot")
        case .passwordReset: return c("password", "reset")
        case .account: return c("account")
        case .accountPassword: return c("account", "password")
        case .accountSessionEnd(let id): return c("account", "sessions") + [.parameter("sessionID", id)] + c("end")
        case .accountMFA: return c("account", "mfa")
        case .accountMFAStart: return c("account", "mfa", "start")
        case .accountMFAEnable: return c("account", "mfa", "enable")
        case .orders: return c("orders")
        case .newOrder: return c("orders", "new")
        case .scan: return c("scan")
        case .whereUsed: return c("where-used")
        case .whereUsedCSV: return c("where-used", "csv")
        case .reports: return c("reports")
        case .reportCSV(let report): return c("reports") + [.parameter("report", report)] + c("csv")
        case .procurement: return c("procurement")
        case .procurementParts: return c("procurement", "parts")
        case .qc: return c("qc")
        case .production: return c("production")
        case .family(let family): return c("families") + [.parameter("family", family)]
        case .notifications: return c("notifications")
        case .notificationsUnread: return c("notifications", "unread")
        case .notificationRead(let id): return c("notifications") + [.parameter("notificationID", id)] + c("read")
        case .order(let id, let page): return c("orders") + [.parameter("orderID", id)] + (page.map { c($0.rawValue) } ?? [])
        case .build(let order, let build, let page):
            return c("orders") + [.parameter("orderID", order)] + c("builds") + [.parameter("buildNumber", build)]
                + (page?.segments ?? [])
        case .packingList(let order, let shipment):
            return c("orders") + [.parameter("orderID", order)] + c("shipments") + [.parameter("shipmentID", shipment)] + c("packing-list")
        case .catalogItem(let id, let page): return c("catalog", "items") + [.parameter("itemID", id)] + (page.map { c($0.rawValue) } ?? [])
        case .nonconformances: return c("nonconformances")
        case .nonconformance(let id, let page):
            return c("nonconformances") + [.parameter("ncrID", id)] + (page.map { c($0.rawValue) } ?? [])
        case .document(let id): return c("documents") + [.parameter("documentID", id)]
        case .outsourcingLine(let id): return c("outsourcing") + [.parameter("lineID", id)]
        case .instrumentCertificate(let id): return c("instruments") + [.parameter("instrumentID", id)] + c("certificate")
        case .service: return c("service")
        case .serviceCart: return c("service", "cart")
        case .serviceCartUpdate: return c("service", "cart", "update")
        case .serviceRequests: return c("service", "requests")
        case .serviceDecision(let id, let decision):
            return c("service", "requests") + [.parameter("serviceOrderID", id), .parameter("decision", decision)]
        case .admin(let page): return c("admin") + page.segments
        }
    }

    /// The address of a link; each value is one path segment, percent-encoded.
    var path: String {
        "/"
            + segments.map { segment in
                switch segment {
                case .constant(let name): name
                case .parameter(let name, .key): ":" + name
                case .parameter(_, .value(let value)):
                    // Ids and build numbers need no encoding; Foundation's took 1.7 % of the instance's CPU under load.
                    value.utf8.allSatisfy(Self.isUnreserved)
                        ? value : value.addingPercentEncoding(withAllowedCharacters: Self.segmentCharacters) ?? value
                }
            }.joined(separator: "/")
    }

    /// The route's components, parameters by name.
    var pathComponents: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .constant(let name): .constant(name)
            case .parameter(let name, _): .parameter(name)
            }
        }
    }

    /// The parameters by name when `segments` (decoded) are an address of this route, as the router would match them.
    func match(_ segments: [String]) -> [String: String]? {
        guard segments.count == self.segments.count else { return nil }
        var found: [String: String] = [:]
        for (segment, expected) in zip(segments, self.segments) {
            switch expected {
            case .constant(let name): guard segment == name else { return nil }
            case .parameter(let name, _): found[name] = segment
            }
        }
        return found
    }

    /// `pathComponents` as text: `orders/:orderID`.
    var pattern: String {
        pathComponents.map(\.description).joined(separator: "/")
    }

    static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))

    /// RFC 3986's unreserved characters, which no segment encodes (a subset of `segmentCharacters`).
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}

extension SiteURL.BuildPage {
    var segments: [SiteURL.Segment] {
        switch self {
        case .qr: [.constant("qr")]
        case .labels: [.constant("labels")]
        case .status: [.constant("status")]
        case .reject: [.constant("reject")]
        case .override: [.constant("override")]
        case .bom: [.constant("bom")]
        case .approve: [.constant("approve")]
        case .outsourcing: [.constant("outsourcing")]
        case .claim: [.constant("claim")]
        case .release: [.constant("release")]
        case .assign: [.constant("assign")]
        case .tasks: [.constant("tasks")]
        case .deviceHistory: [.constant("device-history")]
        case .deviceHistoryPDF: [.constant("device-history"), .constant("pdf")]
        case .task(let id): [.constant("tasks"), .parameter("taskID", id)]
        case .taskUndo(let id): [.constant("tasks"), .parameter("taskID", id), .constant("undo")]
        case .lot(let id): [.constant("lots"), .parameter("itemID", id)]
        case .checklist(let kind, let page):
            [.constant("checklists"), .parameter("kind", kind)] + (page.map { [.constant($0.rawValue)] } ?? [])
        }
    }
}

extension SiteURL.AdminPage {
    var segments: [SiteURL.Segment] {
        switch self {
        case .users: [.constant("users")]
        case .audit: [.constant("audit")]
        case .templates: [.constant("templates")]
        case .instruments: [.constant("instruments")]
        case .tools: [.constant("tools")]
        case .workInstructions: [.constant("work-instructions")]
        case .catalog: [.constant("catalog")]
        case .user(let id, let page): [.constant("users"), .parameter("userID", id)] + (page?.segments ?? [])
        case .templateEdit(let id): [.constant("templates"), .parameter("templateID", id), .constant("edit")]
        case .instrument(let id): [.constant("instruments"), .parameter("instrumentID", id)]
        case .instrumentCertificate(let id): [.constant("instruments"), .parameter("instrumentID", id), .constant("certificate")]
        case .workInstruction(let id): [.constant("work-instructions"), .parameter("taskItemID", id)]
        }
    }
}

extension SiteURL.UserPage {
    var segments: [SiteURL.Segment] {
        switch self {
        case .deactivate: [.constant("deactivate")]
        case .reactivate: [.constant("reactivate")]
        case .resetPassword: [.constant("reset-password")]
        case .resetMFA: [.constant("reset-mfa")]
        case .sessionEnd(let id): [.constant("sessions"), .parameter("sessionID", id), .constant("end")]
        }
    }
}

extension SiteURL {
    /// A build's page and the pages under it, by the order's id and the build's number.
    static func build(_ order: UUID, _ build: String, _ page: BuildPage? = nil) -> SiteURL {
        .build(.id(order), .value(build), page)
    }

    /// A checklist of a build.
    static func checklist(_ order: UUID, _ build: String, _ kind: ChecklistKind, _ page: ChecklistPage? = nil) -> SiteURL {
        .build(.id(order), .value(build), .checklist(.value(kind.pathName), page))
    }

    static func order(_ id: UUID, _ page: OrderPage? = nil) -> SiteURL { .order(.id(id), page) }

    /// The build the request's path names, or a page under it.
    static func build(of request: Request, _ page: BuildPage? = nil) -> SiteURL {
        .build(.value(request.parameters.get("orderID") ?? ""), .value(request.parameters.get("buildNumber") ?? ""), page)
    }

    /// The address with a query of these parameters, each name and value encoded (a `+` or `&` in a part number
    /// stays itself), in the order given.
    func with(parameters: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return with(query: parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&"))
    }

    /// The address with a query (already encoded) and a fragment.
    func with(query: String? = nil, fragment: String? = nil) -> String {
        path + (query.map { "?" + $0 } ?? "") + (fragment.map { "#" + $0 } ?? "")
    }
}
