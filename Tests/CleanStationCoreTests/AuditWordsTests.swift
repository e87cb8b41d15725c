import Foundation
import Testing

@testable import CleanStationCore

@Suite struct AuditWordsTests {
    @Test func everyActionReadsAsWordsNotACode() {
        for (code, words) in AuditWords.actions {
            #expect(words != code && words.first?.isUppercase == true && !words.contains("_"), "\(code)")
        }
        #expect(AuditWords.action("DEACTIVATE") == "Deactivated")
        #expect(AuditWords.action("SOMETHING_NEW") == "Something new", "an action without words still reads as a phrase")
        #expect(AuditWords.resource("outsourced_line") == "Outsourced line")
        #expect(AuditWords.outcome("FAILURE") == "Refused")
    }

    @Test func aDayPlusDaysCrossesMonthsAndYears() {
        #expect(WantDate.day("2026-12-31", plus: 1) == "2027-01-01")
        #expect(WantDate.day("2028-02-28", plus: 1) == "2028-02-29")
        #expect(WantDate.day("not a day", plus: 1) == "not a day")
    }

    /// Replacing one ASCII character byte by byte is Foundation's replacing, on ids, codes and text beyond ASCII
    /// (a combining mark right after the character, which ids and codes never have, is not looked at).
    @Test func replacingAnASCIICharacterIsFoundations() {
        for text in ["eol.flow.b2", "", "...", "PRE_QC", "Ø.ü_工場.🧼_x", "none"] {
            #expect(Array(text.replacing(ascii: ".", with: "-").utf8) == Array(text.replacingOccurrences(of: ".", with: "-").utf8))
            #expect(Array(text.replacing(ascii: "_", with: " ").utf8) == Array(text.replacingOccurrences(of: "_", with: " ").utf8))
        }
        #expect(AuditWords.sentence("HEIGHT_ADJUSTABLE") == "Height adjustable" && AuditWords.sentence("") == "")
    }
}
