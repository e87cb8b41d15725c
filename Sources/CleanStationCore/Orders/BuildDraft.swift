import Foundation

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
