import CleanStationCore
import Testing
import VaporTesting

@testable import CleanStationServer

/// Every route × every role and anonymous: the answer follows the route's
/// access rule. A route added to `Routes.all` is covered automatically; one
/// registered outside it fails `everyRegisteredRouteIsInTheTypedList`.
@Suite struct AuthorizationMatrixTests {
    @Test func everyRouteAnswersEveryRoleByItsRule() async throws {
        try await withTestApp(.sqlite) { app in
            var tokens: [Role: HTTPHeaders] = [:]
            for role in Role.allCases { tokens[role] = try await app.signIn(role) }
            for route in Routes.all {
                let path = route.path.split(separator: "/").map {
                    $0.hasPrefix(":") ? (String($0) == ":buildNumber" ? "B0" : "00000000-0000-0000-0000-000000000000") : String($0)
                }
                .joined(separator: "/")
                let anonymous = try await app.testing().sendRequest(route.method, path, headers: jsonHeaders, body: .init(string: "{}"))
                if route.access == .internalNetwork {
                    #expect(anonymous.status == .forbidden, "\(route.path): an in-memory request has no internal address")
                    continue
                } else if route.access == .anyone {
                    #expect(anonymous.status != .unauthorized && anonymous.status != .forbidden, "\(route.method) \(route.path) anonymous")
                } else {
                    #expect(anonymous.status == .unauthorized, "\(route.method) \(route.path) anonymous: \(anonymous.status)")
                }
                for role in Role.allCases where route.path != "api/v1/auth/logout" {
                    let response = try await app.testing().sendRequest(
                        route.method, path, headers: tokens[role]!, body: .init(string: "{}"))
                    let allowed = route.access.allowedRoles?.contains(role) ?? true
                    if allowed {
                        #expect(
                            response.status != .forbidden && response.status != .unauthorized,
                            "\(route.method) \(route.path) as \(role): \(response.status)")
                        #expect(response.status.code < 500, "\(route.method) \(route.path) as \(role): \(response.body.string)")
                    } else if !role.seesOrders && (route.path.contains(":orderID") || route.path.contains(":documentID")) {
                        // Order ids do not leak to a role that sees no orders.
                        #expect(response.status == .notFound, "\(route.method) \(route.path) as \(role): \(response.status)")
                        #expect(response.errorCode == "RESOURCE_NOT_FOUND")
                    } else {
                        #expect(response.status == .forbidden, "\(route.method) \(route.path) as \(role): \(response.status)")
                        #expect(response.errorCode == "PERMISSION_DENIED")
                    }
                }
            }
        }
    }

    /// A page and the API route of the same address share one access set (`Access.orderPeople`…): a form posts what
    /// the API's route allows, and a page shows no more than the API answers.
    @Test func aPageAndItsAPIRouteShareTheirAccess() {
        var twins = 0
        for page in Pages.all {
            let paths = ["api/v1/" + page.path, "api/v1/" + page.path.replacingOccurrences(of: "admin/", with: "")]
            guard let api = Routes.all.first(where: { $0.method == page.method && paths.contains($0.path) }) else { continue }
            twins += 1
            if page.method == .GET {
                let wider = (page.access.allowedRoles ?? Set(Role.allCases)).subtracting(api.access.allowedRoles ?? Set(Role.allCases))
                #expect(wider.isEmpty, "GET \(page.path) shows more roles than its API route: \(wider)")
            } else {
                #expect(page.access == api.access, "POST \(page.path): \(page.access) against the API's \(api.access)")
            }
        }
        #expect(twins >= 30, "pages with an API twin: \(twins)")
    }

    @Test func everyRegisteredRouteIsInTheTypedList() async throws {
        try await withTestApp(.sqlite) { app in
            let registered = Set(app.routes.all.map { "\($0.method.rawValue) \($0.path.map(\.description).joined(separator: "/"))" })
            let listed = Set(Routes.all.map { "\($0.method.rawValue) \($0.path)" } + Pages.all.map { "\($0.method.rawValue) \($0.path)" })
            #expect(registered == listed)
            #expect(Routes.all.count + Pages.all.count == app.routes.all.count, "no route is listed twice")
        }
    }
}
