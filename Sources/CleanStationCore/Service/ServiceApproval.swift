/// Procurement's approval of a service request (PRD UC 3.5; issue 18): each
/// line at most what was asked, and a line not named is approved in full.
/// Zero declines a line; approving nothing at all is a rejection, which
/// asks for a reason, not an approval.
public enum ServiceApproval {
    /// Who decides a request (approve, reject, fulfil): procurement and an administrator.
    public static let processors: Set<Role> = [.procurementSpecialist, .admin]
    /// Who sees every request: those who decide, and production (PRD §3.6: "Procurement and Production users will
    /// see these requests"), who hear of each new one.
    public static let overseers: Set<Role> = processors.union([.productionCoordinator])
    /// Who opens the service page: those who ask (their own requests) and the overseers (every request).
    public static let viewers: Set<Role> = overseers.union([.serviceDepartment])

    public struct Line: Sendable, Hashable {
        public var id: String
        public var quantity: Int

        public init(id: String, quantity: Int) {
            self.id = id
            self.quantity = quantity
        }
    }

    /// The approved quantity of every requested line, in the request's
    /// order, or the errors, each at `items[i].…` of the approval.
    public static func approve(requested: [Line], approved: [Line]) -> Result<[Line], ValidationError> {
        var errors: [FieldError] = []
        var given: [String: Int] = [:]
        let asked = Dictionary(requested.map { ($0.id, $0.quantity) }, uniquingKeysWith: { first, _ in first })
        for (index, line) in approved.enumerated() {
            let path = "items[\(index)]"
            guard let limit = asked[line.id] else {
                errors.append(FieldError(field: "\(path).id", message: "\(line.id) is not in this request"))
                continue
            }
            if given[line.id] != nil { errors.append(FieldError(field: "\(path).id", message: "\(line.id) is listed twice")) }
            if !(0...limit).contains(line.quantity) {
                errors.append(FieldError(field: "\(path).quantity", message: "must be from 0 to \(limit), the quantity asked for"))
            }
            given[line.id] = line.quantity
        }
        let lines = requested.map { Line(id: $0.id, quantity: given[$0.id] ?? $0.quantity) }
        if errors.isEmpty, lines.allSatisfy({ $0.quantity == 0 }) {
            errors.append(
                FieldError(field: "items", message: "approve at least one part; to approve none, reject the request with a reason"))
        }
        return errors.isEmpty ? .success(lines) : .failure(ValidationError(errors))
    }
}
