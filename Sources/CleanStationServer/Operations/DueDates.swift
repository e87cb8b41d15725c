import CleanStationCore
import Fluent
import SQLKit
import Vapor

/// The coordinators' daily reminder of want dates (issue 16): how many
/// orders are overdue and how many are due within three days. Sent once a
/// day whatever the number of instances: the day's row in `reminders` is
/// unique, and the instance that writes it sends the reminder.
enum DueDates {
    /// Sends today's reminder unless it was sent; returns whether this call sent it.
    @discardableResult
    static func remind(on database: any Database, today: String = OrderRequest.today(), mail: MailContext?) async throws -> Bool {
        let sql = database as! any SQLDatabase
        let open = [OrderStatus.shipped.rawValue, OrderStatus.cancelled.rawValue]
        let counts = try await sql.raw(
            """
            SELECT
                count(*) FILTER (WHERE want_date < \(bind: today)) AS overdue,
                count(*) FILTER (WHERE want_date >= \(bind: today) AND want_date <= \(bind: WantDate.riskHorizon(today))) AS at_risk
            FROM orders WHERE status NOT IN (\(binds: open))
            """
        ).first()
        let overdue = try counts?.decode(column: "overdue", as: Int.self) ?? 0
        let atRisk = try counts?.decode(column: "at_risk", as: Int.self) ?? 0
        do {
            return try await database.transaction { transaction in
                try await (transaction as! any SQLDatabase).insert(into: "reminders").columns("day", "kind").values(
                    SQLBind(today), SQLBind("WANT_DATES")
                ).run()
                guard overdue + atRisk > 0 else { return true }
                try await NotificationsController.notify(
                    [.productionCoordinator],
                    title: "Want dates: \(overdue) order(s) overdue, \(atRisk) due within \(WantDate.riskDays) days",
                    orderID: nil, on: transaction, mail: mail)
                return true
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }
}

/// Checks every hour whether today's reminder is due (the first check after
/// midnight UTC sends it), from boot until the server stops.
struct DueDatesLifecycle: LifecycleHandler {
    final class Worker: @unchecked Sendable {
        var task: Task<Void, Never>?
    }

    let worker = Worker()

    func didBootAsync(_ application: Application) async throws {
        let logger = application.logger
        worker.task = Task { [unowned application] in
            while !Task.isCancelled {
                do {
                    try await DueDates.remind(on: application.db, mail: application.mailContext)
                } catch {
                    logger.warning("want-date reminder failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(3_600))
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        worker.task?.cancel()
    }
}
