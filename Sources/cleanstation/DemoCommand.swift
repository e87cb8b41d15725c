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

    func run() async throws {
        try await Failure.reporting {
            let logins = try await ServerApp.with { app in
                try await Demo.seed(app, catalogDirectory: catalog.map { URL(fileURLWithPath: $0) })
            }
            guard let logins else {
                print("The database has users already: demo data is not added again (the log-ins were printed when it was made).")
                return
            }
            print("Demo log-ins (shown once):")
            for login in logins {
                print("  \(login.role.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)) \(login.email)  \(login.password)")
            }
        }
    }
}
