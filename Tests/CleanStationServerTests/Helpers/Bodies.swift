import CleanStationCore
import CleanStationTestSupport
import Foundation
import Testing
import VaporTesting

@testable import CleanStationServer

/// A valid two-build order body, varied by the tests.
func orderBody(po: String = "PO-2026-0042", builds: [String] = ["B1001", "B1002"]) -> JSONValue {
    let sink = try! JSONParser.parse(
        """
        {"model": "T2-B2", "width": 30, "length": 60,
         "legs": {"type": "HEIGHT_ADJUSTABLE", "model": "DL27"}, "feet": "LOCK_LEVELING_CASTERS",
         "pegboard": {"type": "PERFORATED", "color": "GREEN", "size": "SAME_AS_SINK"}, "workflowDirection": "LEFT_TO_RIGHT",
         "basins": [{"type": "E_DRAIN", "size": "24X20X10", "pTrap": true, "basinLight": false},
                    {"type": "E_SINK", "size": {"width": 26, "length": 20, "depth": 9}, "pTrap": false, "basinLight": true}],
         "faucets": [{"type": "WRIST_BLADE", "quantity": 1, "placement": "BETWEEN_1_2"}],
         "sprayers": [], "accessories": [{"id": "T-OA-BINRAIL-24-KIT", "quantity": 2}]}
        """)
    guard case .object(let members) = sink else { fatalError() }
    return .object([
        JSONMember("poNumber", .string(po)), JSONMember("customerName", "St. Mary Hospital"), JSONMember("projectName", "SPD renovation"),
        JSONMember("salesPerson", "Jane Roe"), JSONMember("wantDate", .string(OrderRequest.today(Date().addingTimeInterval(30 * 86_400)))),
        JSONMember("language", "EN"), JSONMember("notes", ""), JSONMember("sinkFamily", "MDRD"),
        JSONMember("builds", .array(builds.map { .object([JSONMember("buildNumber", .string($0))] + members) })),
    ])
}

func pdfText(of response: TestingHTTPResponse) throws -> String {
    try PDFText.of(Data(buffer: response.body))
}
