import CleanStationCore
import Vapor

/// Who may call a route. Deny by default: every route names its rule.
enum Access: Sendable, Equatable {
    case anyone
    /// Any signed-in user but the roles listed.
    case signedIn(except: Set<Role> = [])
    case roles(Set<Role>)
    /// Loopback and the configured internal networks, whoever asks.
    case internalNetwork

    /// The roles allowed, `nil` for anyone.
    var allowedRoles: Set<Role>? {
        switch self {
        case .anyone, .internalNetwork: nil
        case .signedIn(let except): Set(Role.allCases).subtracting(except)
        case .roles(let roles): roles
        }
    }
}

/// The access sets, named once for the API's routes (`Routes.all`) and the
/// pages' (`Pages.all`): a page's form and the API route it calls share one.
extension Access {
    /// Everyone who works on orders: every signed-in role but the service department.
    static let orderPeople: Access = .signedIn(except: [.serviceDepartment])
    static let coordinators: Access = .roles(OrderPolicy.coordinators)
    static let procurement: Access = .roles(OrderPolicy.procurement)
    static let deviceHistoryReaders: Access = .roles(OrderPolicy.deviceHistoryReaders)
    static let reportReaders: Access = .roles(Reports.readers)
    static let admins: Access = .roles([.admin])
    static let assemblers: Access = .roles([.assembler])
    /// Who may give a build back: its holder, or an administrator.
    static let holders: Access = .roles([.assembler, .admin])
    /// Who works from the production queue.
    static let productionFloor: Access = .roles([.assembler, .admin])
    /// Who records checklists (QC and assembly; the checklist's own rule says which).
    static let recorders: Access = .roles([.qcPerson, .assembler])
    static let nonconformanceDeciders: Access = .roles(Nonconformance.deciders)
    static let serviceRequesters: Access = .roles([.serviceDepartment, .admin])
    static let serviceViewers: Access = .roles(ServiceApproval.viewers)
    static let serviceProcessors: Access = .roles(ServiceOrdersController.processors)
}

/// One entry of the typed route list: method, path, access rule and handler.
struct APIRoute: Sendable {
    var method: HTTPMethod
    var path: String
    var access: Access
    var summary: String
    /// The largest body collected for it: 1 MiB for JSON unless said otherwise.
    var maxBodySize: ByteCount
    /// It carries a file: its limit is `UPLOAD_LIMIT_MB` and the rest of the form (`Application.bodyLimit`).
    var upload: Bool
    /// The handler reads the body as it arrives (`StreamedUpload`) instead of having it collected first.
    var streamsBody: Bool
    /// Whether a user who must still enrol in two-factor sign-in may call it.
    var allowedBeforeSetup: Bool
    var handler: @Sendable (Request) async throws -> Response
    /// What the handler returns: for an `APIResponse`, `OpenAPITests` checks its example against the document.
    var output: Any.Type

    init<Output: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: String, _ access: Access, _ summary: String,
        _ handler: @escaping @Sendable (Request) async throws -> Output, maxBodySize: ByteCount = "1mb", upload: Bool = false,
        streamsBody: Bool = false, allowedBeforeSetup: Bool = false
    ) {
        self.upload = upload
        self.streamsBody = streamsBody
        self.allowedBeforeSetup = allowedBeforeSetup
        self.method = method
        self.path = path
        self.access = access
        self.summary = summary
        self.maxBodySize = maxBodySize
        self.output = Output.self
        self.handler = { request in try await handler(request).encodeResponse(for: request) }
    }

    var pathComponents: [PathComponent] {
        path.split(separator: "/").map { $0.hasPrefix(":") ? .parameter(String($0.dropFirst())) : .constant(String($0)) }
    }
}

extension Application {
    /// The most a route's body may hold: a file's limit (`UPLOAD_LIMIT_MB`)
    /// and 1 MiB for the rest of its form, or the route's own size.
    func bodyLimit(_ declared: ByteCount, upload: Bool) -> Int {
        upload ? config.uploadLimitBytes + (1 << 20) : declared.value
    }
}

/// Refuses a body whose declared length is over the route's limit before a
/// byte of it is read (413), and before anyone is signed in: a client
/// cannot make the server buffer what it would refuse anyway.
struct DeclaredLengthLimit: AsyncMiddleware {
    let maximum: Int

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > maximum {
            throw APIError(
                .payloadTooLarge, "PAYLOAD_TOO_LARGE",
                "The body may have at most \(maximum / 1_048_576) MiB; this one has \(declared) bytes.")
        }
        return try await next.respond(to: request)
    }
}
