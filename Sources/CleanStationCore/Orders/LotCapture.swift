import Foundation

/// Lot tracking (issue 18): an administrator flags a catalogue part or
/// assembly as lot-tracked, and the assembler records, at assembly, the lot
/// of each such line of the build's BOM. The production checklist is not
/// signed while one is missing (`OrderPolicy`), so that a recall by lot
/// finds every build that took it.
public enum LotCapture {
    /// A lot as printed on a supplier's label: at most this many characters.
    public static let maxLength = 40

    /// Who flags an item as lot-tracked, or stops tracking it.
    public static func mayFlag(_ role: Role) -> Bool { role == .admin }

    /// The lot as typed (spaces around it dropped), or what is wrong with it, at `field`.
    public static func read(_ text: String, field: String = "lot") -> Result<String, FieldError> {
        let lot = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if lot.isEmpty { return .failure(FieldError(field: field, message: "enter the lot as printed on the part's label")) }
        if lot.count > maxLength { return .failure(FieldError(field: field, message: "must have at most \(maxLength) characters")) }
        if lot.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(FieldError(field: field, message: "must be printable characters"))
        }
        return .success(lot)
    }

    /// The lot-tracked lines of a build (`tracked`, in their order) without a recorded lot.
    public static func missing(tracked: [String], recorded: Set<String>) -> [String] {
        tracked.filter { !recorded.contains($0) }
    }
}
