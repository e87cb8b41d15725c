import CleanStationCore
import Testing

/// Every CSV export (BOMs, recall lists) quotes as RFC 4180 does and starts no spreadsheet formula.
@Suite struct CSVTests {
    @Test func aFieldIsQuotedWhereItMustBeAndNeverStartsAFormula() {
        #expect(CSV.row(["T2-DL27", "a,b", "say \"hi\""]) == "T2-DL27,\"a,b\",\"say \"\"hi\"\"\"\r\n")
        #expect(CSV.row(["=HYPERLINK(1)", "+1", "-2", "@x", "2"]) == "'=HYPERLINK(1),'+1,'-2,'@x,2\r\n")
    }
}
