import ArgumentParser
import CleanStationServer
import Foundation
import Vapor

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [Create.self, ResetPassword.self, ResetMFA.self])

    /// `cleanstation user reset-password --email E`: prints a one-time password (issue 17).
    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Give a user a one-time password, which they change at the next sign-in; their sessions end.")

        @ArgumentParser.Option var email: String

        /// An unknown e-mail is the user's mistake: said in one line, exit 1.
        static func known<T>(_ body: () async throws -> T) async throws -> T {
            do {
                return try await body()
            } catch let unknown as Accounts.UnknownUser {
                throw Failure.invalid([unknown.description])
            }
        }

        func run() async throws {
            try await Failure.reporting {
                let temporary = try await Self.known {
                    try await ServerApp.with { app in try await Accounts.resetPassword(app, email: email) }
                }
                print("one-time password for \(email.lowercased()): \(temporary)")
                print("they choose their own at the next sign-in; their sessions have ended")
            }
        }
    }

    /// `cleanstation user reset-mfa --email E`: the user enrols a second factor again (a lost phone).
    struct ResetMFA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-mfa",
            abstract: "Remove a user's second factor; a role that signs in with two factors sets it up again at the next sign-in.")

        @ArgumentParser.Option var email: String

        func run() async throws {
            try await Failure.reporting {
                try await ResetPassword.known {
                    try await ServerApp.with { app in try await Accounts.resetSecondFactor(app, email: email) }
                }
                print("two-factor sign-in reset for \(email.lowercased()); their sessions have ended")
            }
        }
    }

    /// `cleanstation user create --email E --role R --full-name N --initials I --password-stdin`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user; the password is read from stdin.")

        @ArgumentParser.Option var email: String
        @ArgumentParser.Option var role: String
        @ArgumentParser.Option var fullName: String
        @ArgumentParser.Option var initials: String
        @ArgumentParser.Flag(help: "Read the password from the first line of stdin.") var passwordStdin = false

        func run() async throws {
            try await Failure.reporting {
                guard passwordStdin, let password = readLine(strippingNewline: true) else {
                    throw Failure.invalid(["password: give it on stdin with --password-stdin"])
                }
                let id = try await ServerApp.with { app in
                    try await Accounts.create(
                        app, email: email, fullName: fullName, initials: initials, role: role, password: password)
                }
                print("created user \(id) (\(email.lowercased()), \(role))")
            }
        }
    }
}
