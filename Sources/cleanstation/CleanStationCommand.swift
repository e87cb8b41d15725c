import ArgumentParser
import NIOCore
import NIOPosix

@main
struct CleanStationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanstation",
        abstract: "CleanStation: production orders, BOMs and QC records for Torvan Medical's sink plant.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UserCommand.self, CatalogCommand.self, BOMCommand.self, DemoCommand.self,
            AuditCommand.self, DHRCommand.self, BackupCommand.self, RestoreCommand.self, OpenAPICommand.self,
        ])

    /// Swift concurrency's tasks run on SwiftNIO's event loops instead of
    /// Dispatch's threads, so an async middleware or handler no longer hops
    /// to another thread and back (docs/adr/007-nio-as-the-concurrency-executor.md).
    static func main() async {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await main(nil)
    }
}
