import Testing

@testable import CleanStationCore

/// Every role × every checklist kind × holding the build or not, against
/// the customer's forms written out as a table: QC signs Pre-QC (CLP header)
/// and Final QC (CLQ); the assembler holding the build signs production
/// (CLP), the end-of-line test (CLT) and packaging; nobody else, no
/// administrator either (issue 17, ADR 010).
@Suite struct ChecklistSigningTests {
    static let signers: [ChecklistKind: Role] = [
        .preQC: .qcPerson, .finalQC: .qcPerson, .production: .assembler, .eolTest: .assembler, .packaging: .assembler,
    ]
    static let heldWhileSigned: Set<ChecklistKind> = [.production, .eolTest, .packaging]

    @Test(arguments: Role.allCases, ChecklistKind.allCases)
    func onlyTheFormsRoleSigns(role: Role, kind: ChecklistKind) {
        for holds in [false, true] {
            let refusal = ChecklistSigning.refusal(kind, role: role, holdsBuild: holds)
            if Self.signers[kind] != role {
                #expect(refusal == .role(role), "\(role) \(kind)")
            } else if Self.heldWhileSigned.contains(kind) && !holds {
                #expect(refusal == .notHolding, "\(role) \(kind)")
            } else {
                #expect(refusal == nil, "\(role) \(kind) holds: \(holds)")
            }
        }
    }

    @Test func anAdministratorSignsNothing() {
        for kind in ChecklistKind.allCases {
            #expect(ChecklistSigning.refusal(kind, role: .admin, holdsBuild: true) == .role(.admin))
        }
    }
}
