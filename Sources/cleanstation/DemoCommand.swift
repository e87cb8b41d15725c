import ArgumentParser
import CleanStationServer
import Foundation
import Vapor

/// `cleanstation demo [--catalog DIR]`: demo users (passwords printed once) and orders.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Fill an empty database with demo users, the catalogue and orders.")

    @ArgumentParser.Option(help: "A catalogue directory; the built-in catalogue otherwise.")
    var catalog: String?

    @ArgumentParser.Option(help: "Add this many orders over every status, with builds, BOMs, history and audit entries (load tests).")
    var orders = 0

    @ArgumentParser.Option(help: "Add this many sign-in accounts for load-test virtual users, sharing one printed password.")
    var loadUsers = 0

    func run() async throws {
        try await Failure.reporting {
            if ProcessInfo.processInfo.environment["ENVIRONMENT"] == "production" { throw Failure.invalid([Demo.productionRefusal]) }
            if orders > 0 || loadUsers > 0 {
                try await generate()
                return
            }
            let logins = try await ServerApp.with { app in
                try await Demo.seed(app, catalogDirectory: catalog.map { URL(fileURLWithPath: $0) })
            }
            guard let logins else {
                print("The database has users already: demo data is not added again (the log-ins were printed when it was made).")
                return
            }
            Self.printLogins(logins)
        }
    }

    private static func printLogins(_ logins: [Demo.Login]) {
        Swift.print("Demo log-ins (shown once):")
        for login in logins {
            Swift.print("  \(login.role.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)) \(login.email)  \(login.password)")
        }
    }

    /// Data at scale on top of the demo data (made first when the database is empty).
    private func generate() async throws {
        let started = Date()
        let report = try await ServerApp.with { app in
            if let logins = try await Demo.seed(app, catalogDirectory: catalog.map { URL(fileURLWithPath: $0) }) {
                Self.printLogins(logins)
            }
            return try await LoadData.generate(app, orders: orders, loadUsers: loadUsers) { done in
                if done % 10_000 == 0 { print("  \(done) orders") }
            }
        }
        print(
            "added \(report.orders) orders, \(report.builds) builds, \(report.auditEntries) audit entries and \(report.users.count) load users "
                + "in \(String(format: "%.0f", Date().timeIntervalSince(started))) s")
        if let password = report.password {
            print("load users' password (shown once): \(password)")
            for email in report.users { print("  \(email)") }
        }
    }
}
