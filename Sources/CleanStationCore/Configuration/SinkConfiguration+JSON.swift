import Foundation

extension SinkConfiguration {
    static let fields: Set<String> = [
        "buildNumber", "model", "width", "length", "legs", "feet", "pegboard", "workflowDirection", "basins",
        "faucets", "sprayers", "accessories",
    ]

    /// Reads and validates one configuration: unknown fields and values,
    /// wrong types and every rule of bom-rules.md §2 are reported together,
    /// addressed from `path` (`builds[0]` inside an order).
    public static func read(_ json: JSONValue, at path: JSONPath = .root) -> Result<SinkConfiguration, ValidationError> {
        var reader = JSONFieldReader()
        let configuration = read(json, at: path, reader: &reader)
        if let configuration, reader.errors.isEmpty { return .success(configuration) }
        return .failure(ValidationError(reader.errors))
    }

    /// Reads a configuration from a JSON text; a text that is not JSON is a
    /// single error at the document's root.
    public static func read(_ data: Data) -> Result<SinkConfiguration, ValidationError> {
        do {
            return read(try JSONParser.parse(data))
        } catch {
            return .failure(ValidationError([FieldError(error.path, "not valid JSON: \(error)")]))
        }
    }

    /// Every rule of §2 that this value breaks; empty when it is valid.
    public func validationErrors() -> [FieldError] {
        switch Self.read(jsonValue) {
        case .success: []
        case .failure(let failure): failure.errors
        }
    }

    /// The configuration with the defaults of §3 applied: a sink with an
    /// E-Sink DI basin and no faucet gets one DI gooseneck faucet at the centre.
    public func withDefaults() -> SinkConfiguration {
        var configuration = self
        if faucets.isEmpty, basins.contains(where: { $0.type == .eSinkDI }) {
            configuration.faucets = [Faucet(type: .diGooseneck, quantity: 1, placement: .center)]
        }
        return configuration
    }

    /// Reads a configuration into a reader shared with an enclosing document,
    /// such as an order; `nil` when anything is wrong (the reader says what).
    public static func read(_ json: JSONValue, at path: JSONPath, reader: inout JSONFieldReader) -> SinkConfiguration? {
        guard let object = reader.object(json, at: path, allowedKeys: fields) else { return nil }

        let buildNumber = reader.member(object, "buildNumber").flatMap { value in
            reader.string(value, at: path.key("buildNumber")).flatMap { readBuildNumber($0, at: path.key("buildNumber"), &reader) }
        }
        let model = reader.member(object, "model").flatMap { reader.enumeration(SinkModel.self, $0, at: path.key("model")) }
        let width = reader.member(object, "width").flatMap { value -> Double? in
            guard let width = reader.number(value, at: path.key("width")) else { return nil }
            guard width > 0 else {
                reader.fail(path.key("width"), "must be greater than 0 inches")
                return nil
            }
            return width
        }
        let length = reader.member(object, "length").flatMap { value -> Double? in
            guard let length = reader.number(value, at: path.key("length")) else { return nil }
            guard BOMRules.bodyLengthRange.contains(length) else {
                reader.fail(
                    path.key("length"), "must be from 48 to 120 inches (the sink bodies made), not \(JSONSerializer.format(length))")
                return nil
            }
            return length
        }
        let legs = reader.member(object, "legs").flatMap { readLegs($0, at: path.key("legs"), &reader) }
        let feet = reader.member(object, "feet").flatMap { reader.enumeration(Feet.self, $0, at: path.key("feet")) }
        let pegboard: Pegboard?? = reader.member(object, "pegboard", required: false).map {
            readPegboard($0, at: path.key("pegboard"), &reader)
        }
        let direction = reader.member(object, "workflowDirection").flatMap {
            reader.enumeration(WorkflowDirection.self, $0, at: path.key("workflowDirection"))
        }
        let basins = reader.member(object, "basins").flatMap { value -> [Basin?]? in
            reader.array(value, at: path.key("basins")).map { elements in
                elements.enumerated().map { readBasin($1, at: path.key("basins").index($0), &reader) }
            }
        }
        var faucets = list(object, "faucets", &reader, element: readFaucet)
        let sprayers = list(object, "sprayers", &reader, element: readSprayer)
        let accessories = list(object, "accessories", &reader, element: readAccessory)

        if let basins {
            if let model, basins.count != model.basinCount {
                reader.fail(
                    path.key("basins"),
                    "a \(model.rawValue) sink has \(model.basinCount) \(plural(model.basinCount, "basin")), not \(basins.count)")
            }
            if faucets?.isEmpty ?? true, basins.contains(where: { $0?.type == .eSinkDI }) {
                faucets = [Faucet(type: .diGooseneck, quantity: 1, placement: .center)]
            }
        }
        if let legs, legs.type == .fixedHeight, legs.model == .lc1 {
            reader.fail(
                path.key("legs").key("model"),
                "LC1 legs come height-adjustable only: choose DL27 or DL14 for fixed-height legs, or HEIGHT_ADJUSTABLE")
        }
        if let model, let faucets {
            checkFaucets(faucets, model: model, at: path.key("faucets"), &reader)
        }
        if let sprayers {
            let total = sprayers.compactMap { $0?.quantity }.reduce(0, +)
            if total > BOMRules.maximumSprayers {
                reader.fail(path.key("sprayers"), "at most \(BOMRules.maximumSprayers) sprayers fit a sink, not \(total)")
            }
        }

        guard let buildNumber, let model, let width, let length, let legs, let feet, let direction,
            let basins = basins.map({ $0.compactMap { $0 } }), let faucets = faucets?.compactMap({ $0 }),
            let sprayers = sprayers?.compactMap({ $0 }), let accessories = accessories?.compactMap({ $0 }),
            pegboard.map({ $0 != nil }) ?? true
        else { return nil }
        return SinkConfiguration(
            buildNumber: buildNumber, model: model, width: width, length: length, legs: legs, feet: feet,
            pegboard: pegboard ?? nil, workflowDirection: direction, basins: basins, faucets: faucets,
            sprayers: sprayers, accessories: accessories)
    }

    private static func readBuildNumber(_ text: String, at path: JSONPath, _ reader: inout JSONFieldReader) -> String? {
        let allowed = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        guard (1...32).contains(text.count), allowed else {
            reader.fail(path, "must be 1 to 32 letters, digits or '-'")
            return nil
        }
        return text
    }

    private static func readLegs(_ value: JSONValue, at path: JSONPath, _ reader: inout JSONFieldReader) -> Legs? {
        guard let object = reader.object(value, at: path, allowedKeys: ["type", "model"]) else { return nil }
        let type = reader.member(object, "type").flatMap { reader.enumeration(LegsType.self, $0, at: path.key("type")) }
        let model = reader.member(object, "model").flatMap { reader.enumeration(LegsModel.self, $0, at: path.key("model")) }
        guard let type, let model else { return nil }
        return Legs(type: type, model: model)
    }

    /// `.some(nil)` when the pegboard is present but wrong, so that the
    /// caller can tell it from an absent pegboard.
    private static func readPegboard(_ value: JSONValue, at path: JSONPath, _ reader: inout JSONFieldReader) -> Pegboard? {
        guard let object = reader.object(value, at: path, allowedKeys: ["type", "color", "size"]) else { return nil }
        let type = reader.member(object, "type").flatMap { reader.enumeration(PegboardType.self, $0, at: path.key("type")) }
        let colorValue = reader.member(object, "color", required: false)
        let color = colorValue.flatMap { reader.enumeration(PegboardColor.self, $0, at: path.key("color")) }
        let size = reader.member(object, "size").flatMap { value -> PegboardSize? in
            let sizePath = path.key("size")
            if case .string(let text) = value {
                guard text == PegboardSize.sameAsSinkValue else {
                    reader.fail(
                        sizePath, "\(JSONSerializer.quoted(text)) is not SAME_AS_SINK; give {\"width\", \"length\"} for a custom size")
                    return nil
                }
                return .sameAsSink
            }
            guard let dimensions = readDimensions(value, ["width", "length"], at: sizePath, &reader) else { return nil }
            return .custom(width: dimensions[0], length: dimensions[1])
        }
        guard let type, let size, colorValue == nil || color != nil else { return nil }
        return Pegboard(type: type, color: color, size: size)
    }

    private static func readBasin(_ value: JSONValue, at path: JSONPath, _ reader: inout JSONFieldReader) -> Basin? {
        guard let object = reader.object(value, at: path, allowedKeys: ["type", "size", "pTrap", "basinLight"]) else { return nil }
        let type = reader.member(object, "type").flatMap { reader.enumeration(BasinType.self, $0, at: path.key("type")) }
        let size = reader.member(object, "size").flatMap { value -> BasinSize? in
            let sizePath = path.key("size")
            if case .string(let text) = value {
                guard let standard = StandardBasinSize(rawValue: text) else {
                    let allowed = StandardBasinSize.allCases.map(\.rawValue).joined(separator: ", ")
                    reader.fail(
                        sizePath,
                        "\(JSONSerializer.quoted(text)) is not one of \(allowed); give {\"width\", \"length\", \"depth\"} for a custom size"
                    )
                    return nil
                }
                return .standard(standard)
            }
            guard let dimensions = readDimensions(value, ["width", "length", "depth"], at: sizePath, &reader) else { return nil }
            return .custom(width: dimensions[0], length: dimensions[1], depth: dimensions[2])
        }
        let pTrap = flag(object, "pTrap", &reader)
        let basinLight = flag(object, "basinLight", &reader)
        guard let type, let size, let pTrap, let basinLight else { return nil }
        return Basin(type: type, size: size, pTrap: pTrap, basinLight: basinLight)
    }

    /// An optional boolean that defaults to `false`; `nil` when it is wrong.
    private static func flag(_ object: JSONObjectFields, _ key: String, _ reader: inout JSONFieldReader) -> Bool? {
        guard let value = reader.member(object, key, required: false) else { return false }
        return reader.bool(value, at: object.path.key(key))
    }

    private static func readDimensions(
        _ value: JSONValue, _ keys: [String], at path: JSONPath, _ reader: inout JSONFieldReader
    ) -> [Double]? {
        guard let object = reader.object(value, at: path, allowedKeys: Set(keys)) else { return nil }
        let dimensions = keys.map { key -> Double? in
            guard let number = reader.member(object, key).flatMap({ reader.number($0, at: path.key(key)) }) else { return nil }
            guard number > 0 else {
                reader.fail(path.key(key), "must be greater than 0 inches")
                return nil
            }
            return number
        }
        let known = dimensions.compactMap { $0 }
        return known.count == keys.count ? known : nil
    }

    private static func readFaucet(_ value: JSONValue, at path: JSONPath, _ reader: inout JSONFieldReader) -> Faucet? {
        guard let object = reader.object(value, at: path, allowedKeys: ["type", "quantity", "placement"]) else { return nil }
        let type = reader.member(object, "type").flatMap { reader.enumeration(FaucetType.self, $0, at: path.key("type")) }
        let quantity = positiveQuantity(object, &reader)
        let placement = reader.member(object, "placement").flatMap {
            reader.enumeration(FaucetPlacement.self, $0, at: path.key("placement"))
        }
        guard let type, let quantity, let placement else { return nil }
        return Faucet(type: type, quantity: quantity, placement: placement)
    }

    private static func readSprayer(_ value: JSONValue, at path: JSONPath, _ reader: inout JSONFieldReader) -> Sprayer? {
        guard let object = reader.object(value, at: path, allowedKeys: ["type", "quantity", "location"]) else { return nil }
        let type = reader.member(object, "type").flatMap { reader.enumeration(SprayerType.self, $0, at: path.key("type")) }
        let quantity = reader.member(object, "quantity").flatMap { value -> Int? in
            guard let quantity = reader.integer(value, at: path.key("quantity")) else { return nil }
            guard (1...2).contains(quantity) else {
                reader.fail(path.key("quantity"), "must be 1 or 2, not \(quantity)")
                return nil
            }
            return quantity
        }
        let location = reader.member(object, "location").flatMap {
            reader.enumeration(SprayerLocation.self, $0, at: path.key("location"))
        }
        guard let type, let quantity, let location else { return nil }
        return Sprayer(type: type, quantity: quantity, location: location)
    }

    private static func readAccessory(_ value: JSONValue, at path: JSONPath, _ reader: inout JSONFieldReader) -> AccessoryLine? {
        guard let object = reader.object(value, at: path, allowedKeys: ["id", "quantity"]) else { return nil }
        let id = reader.member(object, "id").flatMap { value -> String? in
            guard let id = reader.string(value, at: path.key("id")) else { return nil }
            guard Accessories.byId[id] != nil else {
                reader.fail(path.key("id"), "\(JSONSerializer.quoted(id)) is not in the accessory list")
                return nil
            }
            return id
        }
        let quantity = positiveQuantity(object, &reader)
        guard let id, let quantity else { return nil }
        return AccessoryLine(id: id, quantity: quantity)
    }

    private static func positiveQuantity(_ object: JSONObjectFields, _ reader: inout JSONFieldReader) -> Int? {
        let path = object.path.key("quantity")
        guard let quantity = reader.member(object, "quantity").flatMap({ reader.integer($0, at: path) }) else { return nil }
        guard quantity >= 1 else {
            reader.fail(path, "must be at least 1, not \(quantity)")
            return nil
        }
        return quantity
    }

    private static func checkFaucets(_ faucets: [Faucet?], model: SinkModel, at path: JSONPath, _ reader: inout JSONFieldReader) {
        let allowed = BOMRules.maximumFaucets(basinCount: model.basinCount)
        let total = faucets.compactMap { $0?.quantity }.reduce(0, +)
        if total > allowed {
            reader.fail(path, "at most \(allowed) faucets fit a \(model.rawValue) sink, not \(total)")
        }
        for (index, faucet) in faucets.enumerated() {
            guard let placement = faucet?.placement, placement.minimumBasins > model.basinCount else { continue }
            reader.fail(
                path.index(index).key("placement"),
                "\(placement.rawValue) needs a sink with at least \(placement.minimumBasins) basins; a \(model.rawValue) has \(model.basinCount)"
            )
        }
    }

    /// An optional list (absent or null is empty); `nil` when it is not an
    /// array, `nil` elements where an element is wrong.
    private static func list<Element>(
        _ object: JSONObjectFields, _ key: String, _ reader: inout JSONFieldReader,
        element: (JSONValue, JSONPath, inout JSONFieldReader) -> Element?
    ) -> [Element?]? {
        guard let value = reader.member(object, key, required: false) else { return [] }
        let path = object.path.key(key)
        return reader.array(value, at: path).map { elements in
            elements.enumerated().map { element($1, path.index($0), &reader) }
        }
    }

    private static func plural(_ count: Int, _ word: String) -> String {
        count == 1 ? word : word + "s"
    }
}

extension SinkConfiguration {
    /// The configuration's JSON, in the shape and key order of §2.
    public var jsonValue: JSONValue {
        .object([
            JSONMember("buildNumber", .string(buildNumber)),
            JSONMember("model", .string(model.rawValue)),
            JSONMember("width", .number(width)),
            JSONMember("length", .number(length)),
            JSONMember(
                "legs", .object([JSONMember("type", .string(legs.type.rawValue)), JSONMember("model", .string(legs.model.rawValue))])),
            JSONMember("feet", .string(feet.rawValue)),
            JSONMember("pegboard", pegboard.map(\.jsonValue) ?? .null),
            JSONMember("workflowDirection", .string(workflowDirection.rawValue)),
            JSONMember("basins", .array(basins.map(\.jsonValue))),
            JSONMember("faucets", .array(faucets.map(\.jsonValue))),
            JSONMember("sprayers", .array(sprayers.map(\.jsonValue))),
            JSONMember("accessories", .array(accessories.map(\.jsonValue))),
        ])
    }
}

extension Pegboard {
    var jsonValue: JSONValue {
        let size: JSONValue =
            switch size {
            case .sameAsSink: .string(PegboardSize.sameAsSinkValue)
            case .custom(let width, let length): .object([JSONMember("width", .number(width)), JSONMember("length", .number(length))])
            }
        return .object([
            JSONMember("type", .string(type.rawValue)), JSONMember("color", color.map { .string($0.rawValue) } ?? .null),
            JSONMember("size", size),
        ])
    }
}

extension Basin {
    var jsonValue: JSONValue {
        let size: JSONValue =
            switch size {
            case .standard(let standard): .string(standard.rawValue)
            case .custom(let width, let length, let depth):
                .object([JSONMember("width", .number(width)), JSONMember("length", .number(length)), JSONMember("depth", .number(depth))])
            }
        return .object([
            JSONMember("type", .string(type.rawValue)), JSONMember("size", size), JSONMember("pTrap", .bool(pTrap)),
            JSONMember("basinLight", .bool(basinLight)),
        ])
    }
}

extension Faucet {
    var jsonValue: JSONValue {
        .object([
            JSONMember("type", .string(type.rawValue)), JSONMember("quantity", .number(Double(quantity))),
            JSONMember("placement", .string(placement.rawValue)),
        ])
    }
}

extension Sprayer {
    var jsonValue: JSONValue {
        .object([
            JSONMember("type", .string(type.rawValue)), JSONMember("quantity", .number(Double(quantity))),
            JSONMember("location", .string(location.rawValue)),
        ])
    }
}

extension AccessoryLine {
    var jsonValue: JSONValue {
        .object([JSONMember("id", .string(id)), JSONMember("quantity", .number(Double(quantity)))])
    }
}

extension SinkConfiguration: Codable {
    /// Decoding applies `read`: a decoded configuration is a valid one, and
    /// a `DecodingError` carries the `ValidationError` as its underlying error.
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        switch Self.read(json) {
        case .success(let configuration):
            self = configuration
        case .failure(let failure):
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: failure.description, underlyingError: failure))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }
}
