import ArgumentParser
import CleanStationServer
import Foundation
import Vapor

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Create.self])

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
