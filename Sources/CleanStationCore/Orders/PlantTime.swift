import Foundation

/// The plant's time zone (`PLANT_TIME_ZONE`, UTC unless set): the day a want
/// date is compared with, and the clock the pages show times on (issue 20).
/// Records keep their UTC timestamps; only what a person reads is converted.
/// Set once at start-up from the typed `Config`, read everywhere after.
public enum PlantTime {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var current = TimeZone(identifier: "UTC")!

    public static var zone: TimeZone {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    /// `2026-12-06T03:08:34.123Z` (UTC, as the records keep it) → `2026-12-05 22:08` on the plant's clock;
    /// a text that is not such a timestamp is shown as it is.
    public static func minute(_ timestamp: String, in zone: TimeZone = zone) -> String {
        guard let date = date(timestamp) else { return timestamp }
        let parts = utc.dateComponents([.year, .month, .day, .hour, .minute], from: onTheClock(of: zone, date))
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    /// The Gregorian calendar in UTC, made once: making a `Calendar` costs more than using it, and the pages
    /// convert a date or two on every row.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `YYYY-MM-DD` of an instant, in UTC.
    static func day(of date: Date) -> String {
        let parts = utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// `date` moved by the zone's offset at that instant (daylight saving included): its UTC fields are the
    /// fields of the zone's clock.
    static func onTheClock(of zone: TimeZone, _ date: Date) -> Date {
        date.addingTimeInterval(TimeInterval(zone.secondsFromGMT(for: date)))
    }

    /// The instant of a `YYYY-MM-DDTHH:MM:SS[.fff]Z` timestamp.
    static func date(_ timestamp: String) -> Date? {
        let digits = timestamp.split(whereSeparator: { "-T:.Z".contains($0) }).map { Int($0) }
        guard timestamp.hasSuffix("Z"), digits.count >= 6, digits.prefix(6).allSatisfy({ $0 != nil }) else { return nil }
        let whole = utc.date(
            from: DateComponents(
                year: digits[0], month: digits[1], day: digits[2], hour: digits[3], minute: digits[4], second: digits[5]))
        return whole
    }
}
