import ArgumentParser
import CleanStationServer
import Fluent
import Vapor

/// `cleanstation migrate [--revert] [--yes]`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply (or revert) database migrations.")

    @ArgumentParser.Flag(help: "Revert the last batch of migrations instead.")
    var revert = false

    @ArgumentParser.Flag(help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        try await Failure.reporting {
            try await ServerApp.with { app in
                try await app.migrator.setupIfNeeded().get()
                if revert {
                    guard yes else { throw Failure.invalid(["reverting deletes data: add --yes to confirm"]) }
                    try await app.migrator.revertLastBatch().get()
                    print("reverted the last batch of migrations")
                } else {
                    let pending = try await app.migrator.previewPrepareBatch().get()
                    try await app.autoMigrate()
                    print(pending.isEmpty ? "the database is up to date" : "applied \(pending.count) migration(s)")
                }
            }
        }
    }
}
