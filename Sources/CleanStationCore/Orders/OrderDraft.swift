import Foundation

/// An order being entered in the web wizard, as typed: every value is the
/// text of its form field, so that a wrong value survives to be corrected.
/// `json()` gives the body of `POST /api/v1/orders`, and the form fields
/// are named by the JSON paths of that body, so that each error of
/// `OrderRequest.read` addresses the input it concerns.
public struct OrderDraft: Codable, Sendable, Hashable {
    public var poNumber = ""
    public var customerName = ""
    public var projectName = ""
    public var salesPerson = ""
    public var wantDate = ""
    public var language = Language.en.rawValue
    public var notes = ""
    public var sinkFamily = SinkFamily.mdrd.rawValue
    public var quantity = "1"
    public var builds = [BuildDraft()]
    /// The purchase order uploaded on the first step, stored already.
    public var poDocument: StoredFile?
    /// The id of the order being edited; `nil` for a new order.
    public var editing: String?

    public init() {}

    /// The draft of an existing order, to change it in the wizard.
    public init(_ order: OrderRequest, editing id: String) {
        poNumber = order.poNumber
        customerName = order.customerName
        projectName = order.projectName ?? ""
        salesPerson = order.salesPerson
        wantDate = order.wantDate
        language = order.language.rawValue
        notes = order.notes
        sinkFamily = order.sinkFamily.rawValue
        quantity = String(order.builds.count)
        builds = order.builds.map(BuildDraft.init)
        editing = id
    }

    public struct StoredFile: Codable, Sendable, Hashable {
        public var sha256: String
        public var fileName: String
        public var contentType: String
        public var size: Int

        public init(sha256: String, fileName: String, contentType: String, size: Int) {
            self.sha256 = sha256
            self.fileName = fileName
            self.contentType = contentType
            self.size = size
        }
    }

    /// The wizard's steps, in order.
    public enum Step: Int, Sendable, CaseIterable, Codable {
        case customer = 1
        case builds
        case configuration
        case accessories
        case review

        public var title: String {
            switch self {
            case .customer: "Customer and order"
            case .builds: "Family and builds"
            case .configuration: "Configuration"
            case .accessories: "Accessories"
            case .review: "Review"
            }
        }

        /// Whether an error of the order's JSON belongs to this step's fields.
        public func owns(_ field: String) -> Bool {
            let header = ["poNumber", "customerName", "projectName", "salesPerson", "wantDate", "language", "notes"]
            switch self {
            case .customer: return header.contains(field)
            case .builds: return field == "sinkFamily" || field == "builds" || field.hasSuffix(".buildNumber") || field == "quantity"
            case .configuration:
                return field.hasPrefix("builds[") && !field.hasSuffix(".buildNumber") && !field.contains(".accessories")
            case .accessories: return field.contains(".accessories")
            case .review: return true
            }
        }
    }

    // MARK: Reading a step's form

    /// Takes the fields of one step's form. Check boxes absent from the form
    /// are unticked; rows of faucets and sprayers are packed, so that the
    /// n-th filled row is the n-th element of the JSON.
    public mutating func apply(_ step: Step, _ field: (String) -> String?) {
        func take(_ name: String, _ value: inout String) {
            if let text = field(name) { value = text.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        switch step {
        case .customer:
            take("poNumber", &poNumber)
            take("customerName", &customerName)
            take("projectName", &projectName)
            take("salesPerson", &salesPerson)
            take("wantDate", &wantDate)
            take("language", &language)
            take("notes", &notes)
        case .builds:
            take("sinkFamily", &sinkFamily)
            take("quantity", &quantity)
            if let count = Int(quantity), (1...OrderRequest.maximumBuilds).contains(count) {
                if builds.count > count { builds.removeLast(builds.count - count) }
                while builds.count < count { builds.append(BuildDraft()) }
            }
            for index in builds.indices { take("builds[\(index)].buildNumber", &builds[index].buildNumber) }
        case .configuration:
            for index in builds.indices { builds[index].applyConfiguration(prefix: "builds[\(index)]", field) }
        case .accessories:
            for index in builds.indices {
                var quantities: [String: String] = [:]
                for entry in Accessories.all {
                    if let text = field("builds[\(index)].accessories.\(entry.id)")?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
                        text != "0"
                    {
                        quantities[entry.id] = text
                    }
                }
                builds[index].accessories = quantities
            }
        case .review:
            break
        }
    }

    /// Build `to` takes the configuration and accessories of build `from`,
    /// keeping its own build number.
    public mutating func copyConfiguration(from: Int, to: Int) {
        guard builds.indices.contains(from), builds.indices.contains(to), from != to else { return }
        let number = builds[to].buildNumber
        builds[to] = builds[from]
        builds[to].buildNumber = number
    }

    // MARK: The order's JSON

    public func json() -> JSONValue {
        var members = [
            JSONMember("poNumber", .string(poNumber)), JSONMember("customerName", .string(customerName)),
            JSONMember("salesPerson", .string(salesPerson)), JSONMember("wantDate", .string(wantDate)),
            JSONMember("language", .string(language)), JSONMember("notes", .string(notes)),
            JSONMember("sinkFamily", .string(sinkFamily)),
            JSONMember("builds", .array(builds.map { $0.json() })),
        ]
        if !projectName.isEmpty { members.insert(JSONMember("projectName", .string(projectName)), at: 2) }
        return .object(members)
    }

    /// The errors of the whole order that belong to `step`, with the
    /// accessories' element paths turned into their inputs' names.
    public func errors(for step: Step, today: String) -> [FieldError] {
        var errors: [FieldError] = []
        if step == .builds || step == .review, Int(quantity).map({ !(1...OrderRequest.maximumBuilds).contains($0) }) ?? true {
            errors.append(FieldError(field: "quantity", message: "must be a whole number from 1 to \(OrderRequest.maximumBuilds)"))
        }
        if case .failure(let failure) = OrderRequest.read(json(), today: today) {
            errors += failure.errors.map(inputName).filter { step.owns($0.field) }
        }
        return errors
    }

    /// `builds[0].accessories[2].quantity` names the input
    /// `builds[0].accessories.<id>`.
    func inputName(_ error: FieldError) -> FieldError {
        guard let range = error.field.range(of: ".accessories["), error.field.hasPrefix("builds["),
            let buildIndex = Int(error.field.dropFirst("builds[".count).prefix { $0 != "]" }), builds.indices.contains(buildIndex)
        else { return error }
        let rest = error.field[range.upperBound...]
        guard let lineIndex = Int(rest.prefix { $0 != "]" }) else { return error }
        let lines = builds[buildIndex].accessoryLines
        guard lines.indices.contains(lineIndex) else { return error }
        return FieldError(field: "builds[\(buildIndex)].accessories.\(lines[lineIndex].id)", message: error.message)
    }
}
