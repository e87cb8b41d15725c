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
    }

    @Test func todayIsThePlantsDay() {
        let lateEvening = Date(timeIntervalSince1970: 1_796_515_200)  // 2026-12-06T00:00:00Z
        #expect(OrderRequest.today(lateEvening, in: toronto) == "2026-12-05", "19:00 in Toronto is still the 5th")
        #expect(OrderRequest.today(lateEvening, in: TimeZone(identifier: "UTC")!) == "2026-12-06")
    }
}
