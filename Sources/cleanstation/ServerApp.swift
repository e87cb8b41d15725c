import CleanStationCore
import CleanStationServer
import Foundation
import Vapor

/// Builds the configured application for a command, and shuts it down after.
enum ServerApp {
    /// Loads `Config` (stderr and exit 2 when a setting is missing), makes
    /// the app and runs `body` with it. A one-shot command logs to stderr,
    /// so that its stdout is only what it prints; `serve` logs to stdout.
    static func with<T>(
        logs sink: @escaping JSONLogHandler.Sink = JSONLogHandler.standardError,
        adjust: (inout Config) -> Void = { _ in }, _ body: (Application) async throws -> T
    ) async throws -> T {
        var config: Config
        do {
            config = try Config.load()
        } catch {
            throw Failure.unreadable("cannot start: \(error)")
        }
        adjust(&config)
        if config.logFormat == .json { JSONLogHandler.bootstrap(config: config, sink: sink) }
        let settings = config
        return try await Tracing.with(config: config, logger: Logger(label: "cleanstation.tracing")) {
            let app = try await Application.make(
                Environment(name: settings.deployment.rawValue, arguments: ["cleanstation", "serve"]), .singleton
            )
            do {
                try await configure(app, config: settings)
                let result = try await body(app)
                try await app.asyncShutdown()
                return result
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        }
    }
}
