/// When BOM lines may be outsourced and tracked: before the parts are
/// all in. Once an order is ready for Pre-QC its outsourced lines are all
/// RECEIVED (`Lifecycle`), and a new one would bypass that check.
public enum Outsourcing {
    public static let openStatuses: Set<OrderStatus> = [.orderCreated, .partsSent]
    public static let maximumNoteLength = 1000

    /// Why a line of an order at `status` may not be marked or moved on, or `nil`.
    public static func problem(at status: OrderStatus) -> String? {
        openStatuses.contains(status)
            ? nil
            : "outsourcing is tracked while an order is at Order created or Parts sent; this one is at \(status.words)"
    }

    /// Why a note is refused, or `nil`.
    public static func problem(note: String) -> String? {
        note.count > maximumNoteLength ? "must have at most \(maximumNoteLength) characters" : nil
    }
}
