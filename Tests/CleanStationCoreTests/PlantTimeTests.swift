import Foundation
import Testing

@testable import CleanStationCore

/// Issue 20: times on the plant's clock, and "today" the plant's day.
@Suite struct PlantTimeTests {
    let toronto = TimeZone(identifier: "America/Toronto")!

    @Test func aRecordsUTCTimestampShowsOnThePlantsClock() {
        #expect(PlantTime.minute("2026-12-06T03:08:34.123Z", in: toronto) == "2026-12-05 22:08", "winter: UTC-5, the day before")
        #expect(PlantTime.minute("2026-07-01T12:00:00Z", in: toronto) == "2026-07-01 08:00", "summer time: UTC-4")
        #expect(PlantTime.minute("2026-12-06T03:08:34.123Z", in: TimeZone(identifier: "UTC")!) == "2026-12-06 03:08")
        #expect(PlantTime.minute("not a time", in: toronto) == "not a time")
        // Either side of the spring change (2026-03-08, 02:00 EST becomes 03:00 EDT), and of the autumn one.
        #expect(PlantTime.minute("2026-03-08T06:59:00Z", in: toronto) == "2026-03-08 01:59")
        #expect(PlantTime.minute("2026-03-08T07:00:00Z", in: toronto) == "2026-03-08 03:00")
        #expect(PlantTime.minute("2026-11-01T05:59:00Z", in: toronto) == "2026-11-01 01:59", "the first 01:59, still EDT")
        #expect(PlantTime.minute("2026-11-01T06:00:00Z", in: toronto) == "2026-11-01 01:00", "EST again")
    }

    @Test func todayIsThePlantsDay() {
        let lateEvening = Date(timeIntervalSince1970: 1_796_515_200)  // 2026-12-06T00:00:00Z
        #expect(OrderRequest.today(lateEvening, in: toronto) == "2026-12-05", "19:00 in Toronto is still the 5th")
        #expect(OrderRequest.today(lateEvening, in: TimeZone(identifier: "UTC")!) == "2026-12-06")
        #expect(OrderRequest.today(lateEvening, in: TimeZone(identifier: "Asia/Tokyo")!) == "2026-12-06", "09:00 the same day")
    }

    @Test func aDayLaterIsTheCalendarsNextDay() {
        #expect(WantDate.day("2026-03-07", plus: 1) == "2026-03-08")
        #expect(WantDate.day("2026-12-30", plus: 3) == "2027-01-02")
        #expect(WantDate.day("2028-02-28", plus: 1) == "2028-02-29")
        #expect(WantDate.day("soon", plus: 1) == "soon")
        #expect(WantDate.day("2026-13-01", plus: 1) == "2026-13-01", "not a month")
        #expect(WantDate.day("2027-01-05", plus: -10) == "2026-12-26")
        #expect(WantDate.day("2026-02-30", plus: 1) == "2026-02-30", "not a day of February")
        #expect(WantDate.day("9999-12-31", plus: 1) == "9999-12-31", "no fifth digit of year")
        #expect(OrderRequest.isCalendarDate("2028-02-29") && !OrderRequest.isCalendarDate("2026-02-29"))
        #expect(!OrderRequest.isCalendarDate("2026-3-07") && !OrderRequest.isCalendarDate("2026-04-31"))
    }

    /// The days are counted by arithmetic (issue 20): the same days as the Gregorian calendar gives, every
    /// day from 1900 to 2200 and either side of 1970.
    @Test func theArithmeticDaysAreTheCalendarsDays() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var start = calendar.date(from: DateComponents(year: 1900, month: 1, day: 1))!
        var checked = 0
        while checked < 300 * 366 {
            let parts = calendar.dateComponents([.year, .month, .day], from: start)
            let expected = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            #expect(PlantTime.day(of: start.addingTimeInterval(86_399)) == expected)
            #expect(PlantTime.days(parts.year!, parts.month!, parts.day!) == Int(start.timeIntervalSince1970 / 86_400))
            if PlantTime.day(of: start) != expected {
                Issue.record("\(expected) counted as \(PlantTime.day(of: start))")
                break
            }
            start = calendar.date(byAdding: .day, value: 1, to: start)!
            checked += 1
        }
        #expect(PlantTime.day(of: Date(timeIntervalSince1970: -1)) == "1969-12-31")
        #expect(PlantTime.day(of: Date(timeIntervalSince1970: 0)) == "1970-01-01")
    }
}
