import CleanStationCore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// One JSON object per line (ops.md): timestamp, level, message, service,
/// environment, version, the logger's label, its metadata (request id
/// among it) and the error's cause when there is one.
public struct JSONLogHandler: LogHandler {
    /// Where finished lines go; stdout in the product, a buffer in tests.
    public typealias Sink = @Sendable (String) -> Void

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let fixed: [JSONMember]
    let sink: Sink

    public init(
        label: String, level: Logger.Level, environment: String, version: String, sink: @escaping Sink = JSONLogHandler.standardOutput
    ) {
        self.label = label
        self.logLevel = level
        self.fixed = [
            JSONMember("service", .string("cleanstation")), JSONMember("environment", .string(environment)),
            JSONMember("version", .string(version)),
        ]
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }
        var members: [JSONMember] = [
            JSONMember("timestamp", .string(Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))),
            JSONMember("level", .string(event.level.rawValue)), JSONMember("message", .string(event.message.description)),
        ]
        members += fixed
        members.append(JSONMember("logger", .string(label)))
        if let requestID = merged.removeValue(forKey: "request_id") { members.append(JSONMember("request_id", Self.json(requestID))) }
        if let error = event.error { members.append(JSONMember("error", .string(String(reflecting: error)))) }
        for key in merged.keys.sorted() { members.append(JSONMember(key, Self.json(merged[key]!))) }
        sink(JSONSerializer.string(.object(members), style: .compact))
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let members): .object(members.keys.sorted().map { JSONMember($0, json(members[$0]!)) })
        }
    }

    private static let lock = NIOLock()

    /// The server's lines: stdout, where the platform collects them (ops.md).
    public static let standardOutput: Sink = { line in write(line, to: STDOUT_FILENO) }

    /// A one-shot command's lines: stderr, so that what the command prints
    /// on stdout (a one-time password, a report) stays its own.
    public static let standardError: Sink = { line in write(line, to: STDERR_FILENO) }

    /// Writes the line and its newline in one call, so that lines from
    /// several threads never interleave.
    private static func write(_ line: String, to descriptor: Int32) {
        lock.withLock {
            var bytes = Array(line.utf8)
            bytes.append(0x0A)
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { if errno == EINTR { continue } else { return } }
                    offset += written
                }
            }
        }
    }
}

extension JSONLogHandler {
    /// Makes every logger of the process write JSON lines. The logging
    /// system can be set up once per process only; later calls do nothing.
    public static func bootstrap(config: Config, sink: @escaping Sink = standardOutput) {
        bootstrapOnce.withLockedValue { done in
            guard !done else { return }
            done = true
            let level = Logger.Level(rawValue: config.logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                JSONLogHandler(
                    label: label, level: level, environment: config.deployment.rawValue, version: config.appVersion, sink: sink)
            }
        }
    }

    private static let bootstrapOnce = NIOLockedValueBox(false)
}
