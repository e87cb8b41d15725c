import CleanStationCore
import Crypto
import Foundation
import NIOConcurrencyHelpers

/// What a stored JSON text decodes to, kept by the SHA-256 of the text's bytes: the same bytes always decode to the
/// same value, so nothing kept can go stale, and a row whose text changed is another key. The order and checklist
/// pages decode their builds' BOMs and configurations on every view: about a twentieth of those pages' CPU (`perf`,
/// release build, one page at a time), for the same few hundred builds the floor works on (issue 20). Keyed by a
/// digest, not by the text: a key holds no copy of the text, and a text with non-ASCII characters (every BOM and
/// template has some) is not hashed through `String`'s normalising path. At most `capacity` values are kept; when
/// full, they are all dropped (and freed outside the lock) and kept afresh.
final class TextMemo<Value: Sendable>: Sendable {
    private let capacity: Int
    private let values = NIOLockedValueBox<[SHA256Digest: Value]>([:])

    init(capacity: Int) { self.capacity = capacity }

    func value(of text: String, _ make: () throws -> Value) rethrows -> Value {
        let key = SHA256.hash(data: Data(text.utf8))
        if let known = values.withLockedValue({ $0[key] }) { return known }
        // Made outside the lock: two requests meeting the same new text each make it, and the values are equal.
        let value = try make()
        // What is dropped is handed out of the lock, and freed after it.
        _ = values.withLockedValue { values in
            var dropped: [SHA256Digest: Value] = [:]
            if values.count >= capacity { swap(&dropped, &values) }
            values[key] = value
            return dropped
        }
        return value
    }

    var count: Int { values.withLockedValue(\.count) }
}

/// The stored texts the pages decode on every view, each decoded once (`TextMemo`).
enum DecodedText {
    /// A build's BOM (`builds.bom`).
    static func bom(_ text: String) throws -> BOMDocument {
        try boms.value(of: text) { try JSONDecoder().decode(BOMDocument.self, from: Data(text.utf8)) }
    }

    /// A build's configuration (`builds.configuration`).
    static func sink(_ text: String) throws -> SinkConfiguration {
        try sinks.value(of: text) { try SinkConfiguration.read(Data(text.utf8)).get() }
    }

    /// A checklist template's definition (`checklist_templates.definition`).
    static func template(_ text: String) throws -> ChecklistTemplate {
        try templates.value(of: text) { try JSONDecoder().decode(ChecklistTemplate.self, from: Data(text.utf8)) }
    }

    // A BOM is about 6 kB of JSON. The load of `make scale` opens the builds of the orders its lists show: some
    // hundreds.
    static let boms = TextMemo<BOMDocument>(capacity: 1_024)
    static let sinks = TextMemo<SinkConfiguration>(capacity: 1_024)
    // Templates are a handful of versions.
    static let templates = TextMemo<ChecklistTemplate>(capacity: 64)
}
