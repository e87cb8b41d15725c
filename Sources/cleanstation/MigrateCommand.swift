import ArgumentParser
import CleanStationServer
import Fluent
import Vapor

/// `cleanstation migrate [--revert] [--yes]`. With `DATABASE_MIGRATION_URL`
/// the migrations run as that role, the schema's owner, and the
/// application's role (`DATABASE_URL`) is then granted what it may do (ADR 009).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply (or revert) database migrations.")

    @ArgumentParser.Flag(help: "Revert the last batch of migrations instead.")
    var revert = false

    @ArgumentParser.Flag(help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        try await Failure.reporting {
            var appRole: String?
            var oneRole = false
            try await ServerApp.with(adjust: { config in
                guard case .postgres(let url) = config.database else { return }
                guard let owner = config.migrationDatabaseURL, DatabaseRoles.role(of: url) != DatabaseRoles.role(of: owner) else {
                    oneRole = config.isStrict
                    return
                }
                appRole = DatabaseRoles.role(of: url)
                config.database = .postgres(url: owner)
            }) { app in
                guard !oneRole else {
                    throw Failure.invalid([
                        "staging and production migrate as the schema's owner: set DATABASE_MIGRATION_URL to the owner's URL "
                            + "and DATABASE_URL to the application's own role (ADR 009)"
                    ])
                }
                try await app.migrator.setupIfNeeded().get()
                if revert {
                    guard yes else { throw Failure.invalid(["reverting deletes data: add --yes to confirm"]) }
                    try await app.migrator.revertLastBatch().get()
                    print("reverted the last batch of migrations")
                } else {
                    let pending = try await app.migrator.previewPrepareBatch().get()
                    try await app.autoMigrate()
                    print(pending.isEmpty ? "the database is up to date" : "applied \(pending.count) migration(s)")
                    if let appRole {
                        do {
                            try await DatabaseRoles.grant(to: appRole, on: app.db)
                        } catch let refusal as DatabaseRoles.Refusal {
                            throw Failure.invalid([refusal.description])
                        }
                        print("granted the application's role \(appRole): append-only on the records, no DDL")
                    }
                }
            }
        }
    }
}
