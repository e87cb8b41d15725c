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
