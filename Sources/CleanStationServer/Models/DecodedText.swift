import CleanStationCore
import Foundation
import NIOConcurrencyHelpers

/// What a stored JSON text decodes to, kept by the text itself: the same text always gives the same value, so
/// nothing kept can go stale, and a row whose text changed is simply another key. The order, build and checklist
/// pages decode their builds' BOMs and configurations, their checklists' templates, and instantiate a checklist
/// for the build, on every view: a twentieth of the order page's CPU and a tenth of the checklist page's (`perf`,
/// release build), for the same few hundred builds the floor works on (issue 20). At most `capacity` values are kept; when full, they are all dropped and kept afresh.
final class TextMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let values = NIOLockedValueBox<[Key: Value]>([:])

    init(capacity: Int) { self.capacity = capacity }

    func value(for key: Key, _ make: () throws -> Value) rethrows -> Value {
        if let known = values.withLockedValue({ $0[key] }) { return known }
        // Made outside the lock: two requests meeting the same new text each make it, and the values are equal.
        let value = try make()
        values.withLockedValue { values in
            if values.count >= capacity { values.removeAll(keepingCapacity: true) }
            values[key] = value
        }
        return value
    }

    var count: Int { values.withLockedValue(\.count) }
}

/// The stored texts the pages decode on every view, each decoded once (`TextMemo`).
enum DecodedText {
    /// A build's BOM (`builds.bom`).
    static func bom(_ text: String) throws -> BOMDocument {
        try boms.value(for: text) { try JSONDecoder().decode(BOMDocument.self, from: Data(text.utf8)) }
    }

    /// A build's configuration (`builds.configuration`).
    static func sink(_ text: String) throws -> SinkConfiguration {
        try sinks.value(for: text) { try SinkConfiguration.read(Data(text.utf8)).get() }
    }

    /// A checklist template's definition (`checklist_templates.definition`).
    static func template(_ text: String) throws -> ChecklistTemplate {
        try templates.value(for: text) { try JSONDecoder().decode(ChecklistTemplate.self, from: Data(text.utf8)) }
    }

    /// A template's checklist for one build: what it asks of that build's configuration, BOM and language.
    static func instance(of definition: String, configuration: String, bom: String, language: Language) throws -> ChecklistInstance {
        let key = InstanceKey(definition: definition, configuration: configuration, bom: bom, language: language)
        return try instances.value(for: key) {
            try template(definition).instantiate(
                in: ChecklistContext(sink: try sink(configuration), language: language, bom: try self.bom(bom)))
        }
    }

    struct InstanceKey: Hashable, Sendable {
        var definition: String
        var configuration: String
        var bom: String
        var language: Language
    }

    // A BOM's text is about 6 kB and decodes to a few times that; a few thousand builds are a few tens of MB.
    static let boms = TextMemo<String, BOMDocument>(capacity: 2_048)
    static let sinks = TextMemo<String, SinkConfiguration>(capacity: 2_048)
    // Templates are a handful of versions.
    static let templates = TextMemo<String, ChecklistTemplate>(capacity: 256)
    static let instances = TextMemo<InstanceKey, ChecklistInstance>(capacity: 1_024)
}
