import Fluent
import SQLKit
import Vapor

/// Liveness and readiness (ops.md): health never touches the database;
/// readiness needs the database to answer and no migration pending.
enum HealthController {
    struct Health: APIResponse {
        var status: String
        var version: String
        var uptimeSeconds: Int

        static let example = Health(status: "ok", version: "1.4.0", uptimeSeconds: 3600)
    }

    struct Readiness: Content {
        var status: String
        var reason: String?
    }

    static let started = Date()

    static func health(_ request: Request) -> Health {
        Health(status: "ok", version: request.application.config.appVersion, uptimeSeconds: Int(Date().timeIntervalSince(started)))
    }

    static func ready(_ request: Request) async -> Response {
        var readiness: Readiness
        do {
            _ = try await (request.db as! any SQLDatabase).raw("SELECT 1").all()
            let pending = try await request.application.migrator.previewPrepareBatch().get()
            readiness =
                pending.isEmpty
                ? Readiness(status: "ready") : Readiness(status: "unavailable", reason: "\(pending.count) migration(s) pending")
        } catch {
            request.logger.warning("readiness check failed", metadata: ["error": "\(String(reflecting: error))"])
            readiness = Readiness(status: "unavailable", reason: "the database does not answer")
        }
        if readiness.status == "ready", let replica = request.application.storage[ReplicaStateKey.self] {
            do {
                _ = try await (request.db(.replica) as! any SQLDatabase).raw("SELECT 1").all()
                replica.markUp()
            } catch {
                replica.markDown()
                readiness = Readiness(status: "degraded", reason: "the read replica does not answer: reads go to the primary")
            }
        }
        let response = Response(status: readiness.status == "unavailable" ? .serviceUnavailable : .ok)
        try? response.content.encode(readiness)
        return response
    }
}
