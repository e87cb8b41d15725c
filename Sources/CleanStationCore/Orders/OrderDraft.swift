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

/// One build of an `OrderDraft`, as typed.
public struct BuildDraft: Codable, Sendable, Hashable {
    public var buildNumber = ""
    public var model = SinkModel.t2B2.rawValue
    public var width = ""
    public var length = ""
    public var legsType = LegsType.heightAdjustable.rawValue
    public var legsModel = LegsModel.dl27.rawValue
    public var feet = Feet.lockLevelingCasters.rawValue
    public var workflowDirection = WorkflowDirection.leftToRight.rawValue
    public var pegboard = false
    public var pegboardType = PegboardType.perforated.rawValue
    public var pegboardColor = ""
    public var pegboardSize = PegboardSize.sameAsSinkValue
    public var pegboardWidth = ""
    public var pegboardLength = ""
    /// Three rows always; the model says how many are the sink's.
    public var basins = [BasinDraft(), BasinDraft(), BasinDraft()]
    public var faucets = [FaucetDraft(), FaucetDraft(), FaucetDraft()]
    public var sprayers = [SprayerDraft(), SprayerDraft()]
    /// Accessory id → quantity, as typed.
    public var accessories: [String: String] = [:]

    public init() {}

    /// A stored configuration as the form shows it.
    public init(_ sink: SinkConfiguration) {
        func text(_ number: Double) -> String { JSONSerializer.format(number) }
        buildNumber = sink.buildNumber
        model = sink.model.rawValue
        width = text(sink.width)
        length = text(sink.length)
        legsType = sink.legs.type.rawValue
        legsModel = sink.legs.model.rawValue
        feet = sink.feet.rawValue
        workflowDirection = sink.workflowDirection.rawValue
        if let board = sink.pegboard {
            pegboard = true
            pegboardType = board.type.rawValue
            pegboardColor = board.color?.rawValue ?? ""
            switch board.size {
            case .sameAsSink: pegboardSize = PegboardSize.sameAsSinkValue
            case .custom(let width, let length):
                pegboardSize = Self.custom
                pegboardWidth = text(width)
                pegboardLength = text(length)
            }
        }
        for (index, basin) in sink.basins.prefix(basins.count).enumerated() {
            basins[index].type = basin.type.rawValue
            basins[index].pTrap = basin.pTrap
            basins[index].basinLight = basin.basinLight
            switch basin.size {
            case .standard(let size): basins[index].size = size.rawValue
            case .custom(let width, let length, let depth):
                basins[index].size = Self.custom
                basins[index].width = text(width)
                basins[index].length = text(length)
                basins[index].depth = text(depth)
            }
        }
        for (index, faucet) in sink.faucets.prefix(faucets.count).enumerated() {
            faucets[index] = FaucetDraft(
                type: faucet.type.rawValue, quantity: String(faucet.quantity), placement: faucet.placement.rawValue)
        }
        for (index, sprayer) in sink.sprayers.prefix(sprayers.count).enumerated() {
            sprayers[index] = SprayerDraft(
                type: sprayer.type.rawValue, quantity: String(sprayer.quantity), location: sprayer.location.rawValue)
        }
        accessories = Dictionary(sink.accessories.map { ($0.id, String($0.quantity)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The size value a custom size is chosen with.
    public static let custom = "CUSTOM"

    public var basinCount: Int { SinkModel(rawValue: model)?.basinCount ?? basins.count }

    mutating func applyConfiguration(prefix: String, _ field: (String) -> String?) {
        func take(_ name: String, _ value: inout String) {
            if let text = field("\(prefix).\(name)") { value = text.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        func flag(_ name: String) -> Bool { field("\(prefix).\(name)") != nil }
        take("model", &model)
        take("width", &width)
        take("length", &length)
        take("legs.type", &legsType)
        take("legs.model", &legsModel)
        take("feet", &feet)
        take("workflowDirection", &workflowDirection)
        pegboard = flag("pegboard")
        take("pegboard.type", &pegboardType)
        take("pegboard.color", &pegboardColor)
        take("pegboard.size", &pegboardSize)
        take("pegboard.size.width", &pegboardWidth)
        take("pegboard.size.length", &pegboardLength)
        for index in basins.indices {
            let basin = "basins[\(index)]"
            take("\(basin).type", &basins[index].type)
            take("\(basin).size", &basins[index].size)
            take("\(basin).size.width", &basins[index].width)
            take("\(basin).size.length", &basins[index].length)
            take("\(basin).size.depth", &basins[index].depth)
            basins[index].pTrap = flag("\(basin).pTrap")
            basins[index].basinLight = flag("\(basin).basinLight")
        }
        var faucetRows = faucets.indices.map { index -> FaucetDraft in
            var row = faucets[index]
            take("faucets[\(index)].type", &row.type)
            take("faucets[\(index)].quantity", &row.quantity)
            take("faucets[\(index)].placement", &row.placement)
            return row
        }
        faucetRows = faucetRows.filter { !$0.type.isEmpty } + faucetRows.filter { $0.type.isEmpty }
        faucets = faucetRows
        var sprayerRows = sprayers.indices.map { index -> SprayerDraft in
            var row = sprayers[index]
            take("sprayers[\(index)].type", &row.type)
            take("sprayers[\(index)].quantity", &row.quantity)
            take("sprayers[\(index)].location", &row.location)
            return row
        }
        sprayerRows = sprayerRows.filter { !$0.type.isEmpty } + sprayerRows.filter { $0.type.isEmpty }
        sprayers = sprayerRows
    }

    /// The accessories in the order the JSON lists them.
    var accessoryLines: [(id: String, quantity: String)] {
        accessories.keys.sorted().map { ($0, accessories[$0]!) }
    }

    public func json() -> JSONValue {
        var members = [
            JSONMember("buildNumber", .string(buildNumber.uppercased())), JSONMember("model", .string(model)),
        ]
        if let width = Self.number(width) { members.append(JSONMember("width", width)) }
        if let length = Self.number(length) { members.append(JSONMember("length", length)) }
        members += [
            JSONMember("legs", .object([JSONMember("type", .string(legsType)), JSONMember("model", .string(legsModel))])),
            JSONMember("feet", .string(feet)), JSONMember("workflowDirection", .string(workflowDirection)),
        ]
        if pegboard {
            var board = [JSONMember("type", .string(pegboardType))]
            if !pegboardColor.isEmpty { board.append(JSONMember("color", .string(pegboardColor))) }
            if pegboardSize == Self.custom {
                board.append(JSONMember("size", Self.dimensions(["width": pegboardWidth, "length": pegboardLength], ["width", "length"])))
            } else {
                board.append(JSONMember("size", .string(pegboardSize)))
            }
            members.append(JSONMember("pegboard", .object(board)))
        }
        members.append(JSONMember("basins", .array(basins.prefix(basinCount).map { $0.json() })))
        members.append(
            JSONMember(
                "faucets",
                .array(
                    faucets.filter { !$0.type.isEmpty }.map { row in
                        .object([
                            JSONMember("type", .string(row.type)), JSONMember("quantity", Self.number(row.quantity) ?? .string("")),
                            JSONMember("placement", .string(row.placement)),
                        ])
                    })))
        members.append(
            JSONMember(
                "sprayers",
                .array(
                    sprayers.filter { !$0.type.isEmpty }.map { row in
                        .object([
                            JSONMember("type", .string(row.type)), JSONMember("quantity", Self.number(row.quantity) ?? .string("")),
                            JSONMember("location", .string(row.location)),
                        ])
                    })))
        members.append(
            JSONMember(
                "accessories",
                .array(
                    accessoryLines.map { line in
                        .object([
                            JSONMember("id", .string(line.id)),
                            JSONMember("quantity", Self.number(line.quantity) ?? .string(line.quantity)),
                        ])
                    })))
        return .object(members)
    }

    /// A number where the text is one; the text itself otherwise, so that
    /// the reader says it must be a number; `nil` for an empty field.
    static func number(_ text: String) -> JSONValue? {
        guard !text.isEmpty else { return nil }
        return Double(text).map { .number($0) } ?? .string(text)
    }

    static func dimensions(_ values: [String: String], _ keys: [String]) -> JSONValue {
        .object(keys.compactMap { key in number(values[key] ?? "").map { JSONMember(key, $0) } })
    }
}

public struct BasinDraft: Codable, Sendable, Hashable {
    public var type = BasinType.eSink.rawValue
    public var size = StandardBasinSize.s24x20x8.rawValue
    public var width = ""
    public var length = ""
    public var depth = ""
    public var pTrap = false
    public var basinLight = false

    public init() {}

    func json() -> JSONValue {
        let sizeValue: JSONValue =
            size == BuildDraft.custom
            ? BuildDraft.dimensions(["width": width, "length": length, "depth": depth], ["width", "length", "depth"]) : .string(size)
        return .object([
            JSONMember("type", .string(type)), JSONMember("size", sizeValue), JSONMember("pTrap", .bool(pTrap)),
            JSONMember("basinLight", .bool(basinLight)),
        ])
    }
}

/// A faucet row; an empty type is an unused row.
public struct FaucetDraft: Codable, Sendable, Hashable {
    public var type = ""
    public var quantity = "1"
    public var placement = FaucetPlacement.center.rawValue

    public init() {}

    init(type: String, quantity: String, placement: String) {
        self.type = type
        self.quantity = quantity
        self.placement = placement
    }
}

/// A sprayer row; an empty type is an unused row.
public struct SprayerDraft: Codable, Sendable, Hashable {
    public var type = ""
    public var quantity = "1"
    public var location = SprayerLocation.left.rawValue

    public init() {}

    init(type: String, quantity: String, location: String) {
        self.type = type
        self.quantity = quantity
        self.location = location
    }
}
