import ArgumentParser

@main
struct CleanStationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanstation",
        abstract: "CleanStation: production orders, BOMs and QC records for Torvan Medical's sink plant.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UserCommand.self, CatalogCommand.self, BOMCommand.self, DemoCommand.self,
            AuditCommand.self, BackupCommand.self, RestoreCommand.self, OpenAPICommand.self,
        ])
}
