/// The roles of domain.md; what each may do is decided per route and per
/// lifecycle transition.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case admin = "ADMIN"
    case productionCoordinator = "PRODUCTION_COORDINATOR"
    case procurementSpecialist = "PROCUREMENT_SPECIALIST"
    case qcPerson = "QC_PERSON"
    case assembler = "ASSEMBLER"
    case serviceDepartment = "SERVICE_DEPARTMENT"
}

extension Role {
    /// Whether the role sees production orders at all. One that does not is
    /// told an order (or its document) does not exist, not that it may not
    /// see it, so that order ids do not leak to it.
    public var seesOrders: Bool { self != .serviceDepartment }
}
