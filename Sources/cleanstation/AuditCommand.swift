import ArgumentParser
import CleanStationServer
import Vapor

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self])

    /// `cleanstation audit verify`: exit 0 when the chain is intact, 1 naming the first broken entry.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the audit chain.")

        func run() async throws {
            try await Failure.reporting {
                let result = try await ServerApp.with { app in try await AuditTrail.verify(app) }
                guard result.intact else {
                    throw Failure.invalid(["audit entry \(result.firstBroken ?? 0) is broken: \(result.reason ?? "")"])
                }
                print("the audit chain is intact: \(result.checked) entries")
            }
        }
    }
}
