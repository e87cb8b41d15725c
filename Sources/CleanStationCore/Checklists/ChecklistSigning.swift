/// Who records and signs a checklist (21 CFR 11.10(g), segregation of
/// duties): the role the customer's form names, and for the assembly forms
/// the assembler holding the build. The rule is the same for everyone; an
/// administrator manages accounts and holds, and signs no checklist.
public enum ChecklistSigning {
    public static func signer(of kind: ChecklistKind) -> Role {
        switch kind {
        case .preQC, .finalQC: .qcPerson
        case .production, .eolTest, .packaging: .assembler
        }
    }

    /// Whether the signer must hold the build (the assembly forms).
    public static func needsHold(_ kind: ChecklistKind) -> Bool {
        signer(of: kind) == .assembler
    }

    public enum Refusal: Equatable, Sendable {
        /// The role may not record this kind (403).
        case role(Role)
        /// The build is not held by the one recording it (409).
        case notHolding
    }

    /// Why `role` may not record a checklist of `kind` now, or `nil`.
    public static func refusal(_ kind: ChecklistKind, role: Role, holdsBuild: Bool) -> Refusal? {
        guard role == signer(of: kind) else { return .role(role) }
        return needsHold(kind) && !holdsBuild ? .notHolding : nil
    }
}
