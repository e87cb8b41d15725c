import ArgumentParser
import Foundation

/// How a command fails: its message goes to stderr, its exit status tells
/// scripts what went wrong.
enum Failure: Error, CustomStringConvertible {
    /// The input was read but is invalid: exit 1, one problem per line.
    case invalid([String])
    /// A file could not be read or parsed: exit 2.
    case unreadable(String)

    var description: String {
        switch self {
        case .invalid(let lines): lines.joined(separator: "\n")
        case .unreadable(let reason): reason
        }
    }

    var exitCode: ExitCode {
        switch self {
        case .invalid: ExitCode(1)
        case .unreadable: ExitCode(2)
        }
    }
}

extension Failure {
    /// Runs a command's body; a `Failure` is written to stderr and becomes
    /// the process's exit status.
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data((failure.description + "\n").utf8))
            throw failure.exitCode
        }
    }

    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data((failure.description + "\n").utf8))
            throw failure.exitCode
        }
    }
}
