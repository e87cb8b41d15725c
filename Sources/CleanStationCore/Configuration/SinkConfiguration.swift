/// One MDRD sink as ordered: the configuration of one build (bom-rules.md §2).
///
/// A value read from JSON with `SinkConfiguration.read` has passed every
/// rule of §2; values built in code are checked with `validationErrors()`.
public struct SinkConfiguration: Sendable, Hashable {
    public var buildNumber: String
    public var model: SinkModel
    public var width: Double
    public var length: Double
    public var legs: Legs
    public var feet: Feet
    public var pegboard: Pegboard?
    public var workflowDirection: WorkflowDirection
    public var basins: [Basin]
    public var faucets: [Faucet]
    public var sprayers: [Sprayer]
    public var accessories: [AccessoryLine]

    public init(
        buildNumber: String, model: SinkModel, width: Double, length: Double, legs: Legs, feet: Feet,
        pegboard: Pegboard?, workflowDirection: WorkflowDirection, basins: [Basin], faucets: [Faucet] = [],
        sprayers: [Sprayer] = [], accessories: [AccessoryLine] = []
    ) {
        self.buildNumber = buildNumber
        self.model = model
        self.width = width
        self.length = length
        self.legs = legs
        self.feet = feet
        self.pegboard = pegboard
        self.workflowDirection = workflowDirection
        self.basins = basins
        self.faucets = faucets
        self.sprayers = sprayers
        self.accessories = accessories
    }
}

public enum SinkModel: String, Sendable, Hashable, CaseIterable, Codable {
    case t2B1 = "T2-B1"
    case t2B2 = "T2-B2"
    case t2B3 = "T2-B3"

    public var basinCount: Int {
        switch self {
        case .t2B1: 1
        case .t2B2: 2
        case .t2B3: 3
        }
    }
}

public struct Legs: Sendable, Hashable {
    public var type: LegsType
    public var model: LegsModel

    public init(type: LegsType, model: LegsModel) {
        self.type = type
        self.model = model
    }
}

public enum LegsType: String, Sendable, Hashable, CaseIterable, Codable {
    case heightAdjustable = "HEIGHT_ADJUSTABLE"
    case fixedHeight = "FIXED_HEIGHT"
}

public enum LegsModel: String, Sendable, Hashable, CaseIterable, Codable {
    case dl27 = "DL27"
    case dl14 = "DL14"
    case lc1 = "LC1"
}

public enum Feet: String, Sendable, Hashable, CaseIterable, Codable {
    case lockLevelingCasters = "LOCK_LEVELING_CASTERS"
    case seismicFeet = "SEISMIC_FEET"
}

public struct Pegboard: Sendable, Hashable {
    public var type: PegboardType
    public var color: PegboardColor?
    public var size: PegboardSize

    public init(type: PegboardType, color: PegboardColor?, size: PegboardSize) {
        self.type = type
        self.color = color
        self.size = size
    }
}

public enum PegboardType: String, Sendable, Hashable, CaseIterable, Codable {
    case perforated = "PERFORATED"
    case solid = "SOLID"
}

public enum PegboardColor: String, Sendable, Hashable, CaseIterable, Codable {
    case green = "GREEN"
    case black = "BLACK"
    case yellow = "YELLOW"
    case grey = "GREY"
    case red = "RED"
    case blue = "BLUE"
    case orange = "ORANGE"
    case white = "WHITE"
}

public enum PegboardSize: Sendable, Hashable {
    case sameAsSink
    case custom(width: Double, length: Double)

    public static let sameAsSinkValue = "SAME_AS_SINK"
}

public enum WorkflowDirection: String, Sendable, Hashable, CaseIterable, Codable {
    case leftToRight = "LEFT_TO_RIGHT"
    case rightToLeft = "RIGHT_TO_LEFT"
}

public struct Basin: Sendable, Hashable {
    public var type: BasinType
    public var size: BasinSize
    public var pTrap: Bool
    public var basinLight: Bool

    public init(type: BasinType, size: BasinSize, pTrap: Bool = false, basinLight: Bool = false) {
        self.type = type
        self.size = size
        self.pTrap = pTrap
        self.basinLight = basinLight
    }
}

public enum BasinType: String, Sendable, Hashable, CaseIterable, Codable {
    case eSink = "E_SINK"
    case eSinkDI = "E_SINK_DI"
    case eDrain = "E_DRAIN"

    /// Control boxes count E-Sink and E-Sink DI basins alike.
    public var isESink: Bool { self != .eDrain }
}

public enum BasinSize: Sendable, Hashable {
    case standard(StandardBasinSize)
    case custom(width: Double, length: Double, depth: Double)
}

public enum StandardBasinSize: String, Sendable, Hashable, CaseIterable, Codable {
    case s20x20x8 = "20X20X8"
    case s24x20x8 = "24X20X8"
    case s24x20x10 = "24X20X10"
    case s30x20x8 = "30X20X8"
    case s30x20x10 = "30X20X10"
}

public struct Faucet: Sendable, Hashable {
    public var type: FaucetType
    public var quantity: Int
    public var placement: FaucetPlacement

    public init(type: FaucetType, quantity: Int, placement: FaucetPlacement) {
        self.type = type
        self.quantity = quantity
        self.placement = placement
    }
}

public enum FaucetType: String, Sendable, Hashable, CaseIterable, Codable {
    case wristBlade = "WRIST_BLADE"
    case preRinse = "PRE_RINSE"
    case diGooseneck = "DI_GOOSENECK"
}

public enum FaucetPlacement: String, Sendable, Hashable, CaseIterable, Codable {
    case center = "CENTER"
    case between1And2 = "BETWEEN_1_2"
    case between2And3 = "BETWEEN_2_3"

    /// The fewest basins a sink needs for this placement.
    public var minimumBasins: Int {
        switch self {
        case .center: 1
        case .between1And2: 2
        case .between2And3: 3
        }
    }
}

public struct Sprayer: Sendable, Hashable {
    public var type: SprayerType
    public var quantity: Int
    public var location: SprayerLocation

    public init(type: SprayerType, quantity: Int, location: SprayerLocation) {
        self.type = type
        self.quantity = quantity
        self.location = location
    }
}

public enum SprayerType: String, Sendable, Hashable, CaseIterable, Codable {
    case diWaterGunTurret = "DI_WATER_GUN_TURRET"
    case diWaterGunRosette = "DI_WATER_GUN_ROSETTE"
    case airGunTurret = "AIR_GUN_TURRET"
    case airGunRosette = "AIR_GUN_ROSETTE"
}

public enum SprayerLocation: String, Sendable, Hashable, CaseIterable, Codable {
    case left = "LEFT"
    case right = "RIGHT"
}

public struct AccessoryLine: Sendable, Hashable {
    public var id: String
    public var quantity: Int

    public init(id: String, quantity: Int) {
        self.id = id
        self.quantity = quantity
    }
}

/// The order's language: it picks the manuals.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case en = "EN"
    case fr = "FR"
    case sp = "SP"
}
