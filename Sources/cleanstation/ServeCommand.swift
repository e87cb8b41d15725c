import ArgumentParser
import CleanStationServer
import Vapor

/// `cleanstation serve [--hostname H] [--port P]`: runs the server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP server.")

    @ArgumentParser.Option(help: "The address to listen on (HOST, default 127.0.0.1).")
    var hostname: String?

    @ArgumentParser.Option(help: "The port to listen on (PORT, default 3000).")
    var port: Int?

    func run() async throws {
        try await Failure.reporting {
            try await ServerApp.with(
                logs: JSONLogHandler.standardOutput,
                adjust: { config in
                    if let hostname { config.host = hostname }
                    if let port { config.port = port }
                }
            ) { app in
                try await prepareDatabase(app)
                app.logger.notice("CleanStation listens on http://\(app.config.host):\(app.config.port)")
                try await app.execute()
                // SIGTERM or SIGINT: let in-flight requests finish (up to 10 s) before
                // the databases and the rest of the application shut down.
                await app.server.shutdown()
            }
        }
    }
}
