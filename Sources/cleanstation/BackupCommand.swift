import ArgumentParser
import CleanStationServer
import Foundation
import Vapor

/// `cleanstation backup FILE`: the database copy and `FILE.manifest.json`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Write a consistent backup of the database, with its manifest beside it.")

    @ArgumentParser.Argument(help: "Where to write the backup; the manifest goes to FILE.manifest.json.")
    var file: String

    func run() async throws {
        try await Failure.reporting {
            let manifest = try await ServerApp.with { app in
                try await problemsAreInvalid { try await Backup.write(app, to: file) }
            }
            print(
                "backed up \(manifest.rowCounts.values.reduce(0, +)) rows in \(manifest.rowCounts.count) tables to \(file) "
                    + "(\(manifest.bytes) bytes, sha256 \(manifest.sha256), audit head \(manifest.auditHead.seq))")
        }
    }
}

/// `cleanstation restore FILE`: into an empty database, then verified.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into an empty database and verify its row counts and audit chain against the manifest.")

    @ArgumentParser.Argument(help: "The backup file; its manifest is read from FILE.manifest.json.")
    var file: String

    func run() async throws {
        try await Failure.reporting {
            let config: Config
            do {
                config = try Config.load()
            } catch {
                throw Failure.unreadable("cannot start: \(error)")
            }
            let manifest = try await problemsAreInvalid { try Backup.readManifest(of: file, config: config) }
            if case .sqlite(let path) = config.database {
                try await problemsAreInvalid { try Backup.placeSQLite(file, at: path) }
            }
            // With DATABASE_MIGRATION_URL the schema is restored by its owner, and the application's role granted as after a migration.
            var appRole: String?
            let verification = try await ServerApp.with(adjust: { config in
                guard let owner = config.migrationDatabaseURL, case .postgres(let url) = config.database else { return }
                if DatabaseRoles.role(of: url) != DatabaseRoles.role(of: owner) { appRole = DatabaseRoles.role(of: url) }
                config.database = .postgres(url: owner)
            }) { app in
                try await problemsAreInvalid {
                    try await Backup.restorePostgres(app, from: file)
                    if let appRole { try await DatabaseRoles.grant(to: appRole, on: app.db) }
                    return try await Backup.verify(app, against: manifest)
                }
            }
            guard verification.problems.isEmpty else {
                throw Failure.invalid(["the restored database does not match the backup:"] + verification.problems)
            }
            print(
                "restored \(verification.rows) rows from \(file) (made \(manifest.createdAt)); "
                    + "counts match the manifest and the audit chain is intact: \(verification.auditEntries) entries")
        }
    }
}

/// A backup's problems (a damaged file, a database that is not empty) are the operator's input: exit 1.
private func problemsAreInvalid<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let problem as Backup.Problem {
        throw Failure.invalid([problem.description])
    }
}
