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

    /// `YYYY-MM-DD` of an instant, in UTC: by arithmetic, as the pages do it for every row of a queue (a
    /// `Calendar` and `String(format:)` took a twentieth of a queue page's CPU, issue 20).
    static func day(of date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (year, month, day) = civil(days)
        return text(year, month, day)
    }

    /// Days since 1970-01-01 of `YYYY-MM-DD`, when it names a day of the (proleptic) Gregorian calendar.
    static func daysSince1970(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month),
            (1...31).contains(day)
        else { return nil }
        let days = days(year, month, day)
        return civil(days) == (year, month, day) ? days : nil
    }

    /// Days since 1970-01-01 of a day of the proleptic Gregorian calendar (month 1–12; a day past the month's
    /// end runs into the next): H. Hinnant's `days_from_civil`.
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The Gregorian day `days` after 1970-01-01: `civil_from_days`.
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * mp + 2) / 5 + 1)
    }

    /// `2026-03-07`.
    static func text(_ year: Int, _ month: Int, _ day: Int) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "-" + two(month) + "-" + two(day)
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
