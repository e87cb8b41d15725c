import Fluent
import Foundation
import NIOConcurrencyHelpers
import Prometheus
import Vapor

/// The application's Prometheus registry (ops.md): HTTP traffic by route
/// pattern, business counters, live sessions and the process's memory and CPU.
final class AppMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// 1 ms to 5 s, the range the guide's thresholds live in.
    static let buckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000].map { .microseconds(Int64($0 * 1_000)) }

    private let lastCPUSeconds = NIOLockedValueBox<Double>(0)

    /// One route (by identity), method and status: the key of a cached pair of series.
    struct RequestSeries: Hashable {
        var route: ObjectIdentifier?
        var method: String
        var status: UInt
    }
    private let requestSeries = NIOLockedValueBox<[RequestSeries: (Counter, DurationHistogram)]>([:])

    /// Counts a request and records its duration. The series of a route,
    /// method and status are made once and then found by identity: the hot
    /// path builds no label strings and takes the registry's lock only once
    /// per series.
    func recordRequest(_ key: RequestSeries, route: @autoclosure () -> String, duration: Duration) {
        let series =
            requestSeries.withLockedValue { $0[key] }
            ?? {
                let label = route()
                let made = (
                    registry.makeCounter(
                        descriptor: .init(
                            metricName: "http_requests", unitName: "total", helpText: "HTTP requests by method, route pattern and status"),
                        labels: [("method", key.method), ("route", label), ("status", String(key.status))]),
                    registry.makeDurationHistogram(
                        descriptor: .init(
                            metricName: "http_request_duration", unitName: "seconds", helpText: "HTTP request duration by route pattern"),
                        labels: [("method", key.method), ("route", label)], buckets: Self.buckets)
                )
                requestSeries.withLockedValue { $0[key] = made }
                return made
            }()
        series.0.increment()
        series.1.record(duration)
    }

    /// The query-duration histogram of one database (`primary` or `replica`).
    func queryDuration(database: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: .init(
                metricName: "postgresql_query_duration", unitName: "seconds",
                helpText: "Database query duration by database (primary or replica)"),
            labels: [("database", database)], buckets: Self.buckets)
    }

    /// The connections-in-use gauge of one database.
    func connectionsActive(database: String) -> Gauge {
        registry.makeGauge(
            descriptor: .init(
                metricName: "postgresql_connections", unitName: "active", helpText: "Database connections in use by this instance"),
            labels: [("database", database)])
    }

    func qcChecksCompleted(kind: String, outcome: String) {
        registry.makeCounter(
            descriptor: .init(
                metricName: "qc_checks_completed", unitName: "total", helpText: "Signed checklist results by kind and outcome"),
            labels: [("kind", kind), ("outcome", outcome)]
        ).increment()
    }

    func assemblyTaskCompleted() {
        registry.makeCounter(
            descriptor: .init(metricName: "assembly_tasks_completed", unitName: "total", helpText: "Assembly tasks checked off")
        )
        .increment()
    }

    var ordersCreated: Counter {
        registry.makeCounter(descriptor: .init(metricName: "orders_created", unitName: "total", helpText: "Orders created"))
    }

    /// Refreshes the values read at scrape time and writes the exposition text.
    func scrape(on database: any Database) async throws -> [UInt8] {
        let now = Date()
        let live = try await Session.query(on: database).filter(\.$revokedAt == nil)
            .filter(\.$lastSeenAt > now.addingTimeInterval(-SessionPolicy.idleTimeout))
            .filter(\.$createdAt > now.addingTimeInterval(-SessionPolicy.absoluteTimeout)).count()
        registry.makeGauge(descriptor: .init(metricName: "user_sessions", unitName: "active", helpText: "Live user sessions")).set(
            Int64(live))
        if let usage = ProcessUsage.read() {
            registry.makeGauge(descriptor: .init(metricName: "process_resident_memory", unitName: "bytes", helpText: "Resident memory"))
                .set(usage.residentBytes)
            let cpu = registry.makeCounter(
                descriptor: .init(metricName: "process_cpu_seconds", unitName: "total", helpText: "CPU time used"))
            let delta = lastCPUSeconds.withLockedValue { last in
                defer { last = max(last, usage.cpuSeconds) }
                return usage.cpuSeconds - last
            }
            if delta > 0 { cpu.increment(by: delta) }
        }
        return registry.emitToBuffer()
    }
}

/// Resident memory and CPU time from /proc/self (Linux).
struct ProcessUsage {
    var residentBytes: Double
    var cpuSeconds: Double

    static func read() -> ProcessUsage? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let resident = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessUsage(residentBytes: resident * Double(sysconf(Int32(_SC_PAGESIZE))), cpuSeconds: (user + system) / ticks)
    }
}

/// Counts every request by its route pattern (never the raw path) and status.
struct MetricsMiddleware: AsyncMiddleware {
    let metrics: AppMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        let route = request.route
        metrics.recordRequest(
            .init(route: route.map(ObjectIdentifier.init), method: request.method.rawValue, status: response.status.code),
            route: route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched",
            duration: ContinuousClock.now - start)
        return response
    }
}

struct MetricsKey: StorageKey {
    typealias Value = AppMetrics
}

extension Application {
    var metrics: AppMetrics { storage[MetricsKey.self]! }
}
