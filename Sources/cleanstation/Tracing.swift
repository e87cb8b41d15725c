import CleanStationServer
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry traces (swift-otel), exported over OTLP/HTTP when
/// `OTEL_EXPORTER_OTLP_ENDPOINT` is set. The tracer is process-global, so
/// it is installed here, once, by the executable; the standard `OTEL_*`
/// variables (sampler, headers, protocol…) still apply.
enum Tracing {
    /// Installs the tracer and runs `body`; the spans still queued are
    /// exported before it returns.
    static func with<T>(config: Config, logger: Logger, _ body: () async throws -> T) async throws -> T {
        guard config.tracingEndpoint != nil else { return try await body() }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "cleanstation"
        configuration.resourceAttributes = [
            "service.version": config.appVersion, "deployment.environment.name": config.deployment.rawValue,
        ]
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.propagators = [.traceContext]
        configuration.diagnosticLogger = .custom(logger)
        let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(tracer)
        let group = ServiceGroup(services: [service], logger: logger)
        let exporting = Task { try await group.run() }
        let result: Result<T, any Error>
        do {
            result = .success(try await body())
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        _ = await exporting.result
        return try result.get()
    }
}
