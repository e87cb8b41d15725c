import Testing

@testable import CleanStationCore

/// Every role × every checklist kind × holding the build or not: only the
/// role the form names signs, the assembly forms only by the holder, and
/// an administrator signs none (issue 17, segregation of duties).
@Suite struct ChecklistSigningTests {
    @Test(arguments: Role.allCases, ChecklistKind.allCases)
    func onlyTheFormsRoleSigns(role: Role, kind: ChecklistKind) {
        let assembly: Set<ChecklistKind> = [.production, .eolTest, .packaging]
        for holds in [false, true] {
            let expected: ChecklistSigning.Refusal? =
                switch (role, assembly.contains(kind)) {
                case (.qcPerson, false): nil
                case (.assembler, true): holds ? nil : .notHolding
                default: .role(role)
                }
            #expect(ChecklistSigning.refusal(kind, role: role, holdsBuild: holds) == expected, "\(role) \(kind) holds: \(holds)")
        }
    }
}
