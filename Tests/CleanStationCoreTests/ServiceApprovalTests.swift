import CleanStationCore
import Testing

/// Partial approval of a service request (issue 18; PRD §3.6).
@Suite struct ServiceApprovalTests {
    let asked = [ServiceApproval.Line(id: "A", quantity: 3), ServiceApproval.Line(id: "B", quantity: 1)]

    @Test func aLineNotNamedIsApprovedInFullAndZeroDeclinesOne() throws {
        #expect(try ServiceApproval.approve(requested: asked, approved: []).get() == asked)
        let partial = try ServiceApproval.approve(requested: asked, approved: [.init(id: "B", quantity: 0), .init(id: "A", quantity: 2)])
            .get()
        #expect(partial == [.init(id: "A", quantity: 2), .init(id: "B", quantity: 0)], "in the request's order")
    }

    @Test func moreThanAskedAPartNotAskedForATwiceNamedLineOrNothingAtAllIsRefused() {
        let refused = { (approved: [ServiceApproval.Line]) -> [String] in
            guard case .failure(let errors) = ServiceApproval.approve(requested: asked, approved: approved) else { return [] }
            return errors.errors.map(\.field)
        }
        #expect(refused([.init(id: "A", quantity: 4)]) == ["items[0].quantity"])
        #expect(refused([.init(id: "A", quantity: -1)]) == ["items[0].quantity"])
        #expect(refused([.init(id: "C", quantity: 1)]) == ["items[0].id"])
        #expect(refused([.init(id: "A", quantity: 1), .init(id: "A", quantity: 1)]) == ["items[1].id"])
        #expect(refused([.init(id: "A", quantity: 0), .init(id: "B", quantity: 0)]) == ["items"])
    }
}
