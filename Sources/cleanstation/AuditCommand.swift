import ArgumentParser
import CleanStationServer
import Vapor

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self, Checkpoint.self])

    /// `cleanstation audit verify`: exit 0 when every record holds, 1 naming the first problem (ADR 009).
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit chain, its seals, its head and checkpoint, and every signed checklist record.")

        @ArgumentParser.Flag(
            help: "Leave out the checkpoints: after a point-in-time recovery, those taken after the recovery point are ahead of the chain.")
        var noCheckpoint = false

        func run() async throws {
            try await Failure.reporting {
                let result = try await ServerApp.with { app in try await AuditTrail.verify(app, checkpoints: !noCheckpoint) }
                for warning in result.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                guard result.intact else {
                    throw Failure.invalid(["the records do not hold: " + (result.reason ?? "")])
                }
                var facts = ["\(result.checked) entries", "\(result.results) signed checklist records"]
                facts.append(
                    noCheckpoint
                        ? "checkpoints left out"
                        : result.checkpoint.map { "the head matches the checkpoint at entry \($0)" } ?? "no checkpoint yet")
                print("the audit chain is intact: " + facts.joined(separator: "; "))
            }
        }
    }

    /// `cleanstation audit checkpoint`: a checkpoint of the head now, in the file and, with S3, the bucket.
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a sealed checkpoint of the chain's head now.")

        @ArgumentParser.Flag(
            help: """
                After a point-in-time restore: accept that the chain ends before the newest checkpoint. \
                The chain must hold on its own; the acceptance is audited and sealed into the checkpoint.
                """)
        var acceptRestore = false

        func run() async throws {
            try await Failure.reporting {
                do {
                    let seq = try await ServerApp.with { app in try await AuditTrail.checkpoint(app, acceptingRestore: acceptRestore) }
                    print(
                        seq.map { (acceptRestore ? "restore accepted; " : "") + "checkpoint written at entry \($0)" }
                            ?? "nothing to checkpoint: no entries, or no AUDIT_LOG_PATH or S3 bucket")
                } catch let error as AuditTrail.CheckpointError {
                    throw Failure.invalid([error.description])
                }
            }
        }
    }
}
