public struct ConditionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

struct ConditionParser {
    let characters: [Character]
    var position = 0

    init(_ text: String) { characters = Array(text) }

    static func isBare(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "-._/".contains(character)
    }

    var atEnd: Bool { position >= characters.count }

    func error(_ message: String) -> ConditionSyntaxError {
        ConditionSyntaxError(message: "\(message) at character \(position + 1)")
    }

    mutating func skipSpaces() {
        while !atEnd, characters[position].isWhitespace { position += 1 }
    }

    mutating func expect(_ character: Character) throws {
        skipSpaces()
        guard !atEnd, characters[position] == character else { throw error("expected \"\(character)\"") }
        position += 1
    }

    /// A bare word or a quoted string.
    mutating func word() throws -> String {
        skipSpaces()
        guard !atEnd else { throw error("expected a name or a value") }
        if characters[position] == "\"" {
            position += 1
            let start = position
            while !atEnd, characters[position] != "\"" { position += 1 }
            guard !atEnd else { throw error("a quoted value is not closed") }
            defer { position += 1 }
            return String(characters[start..<position])
        }
        let start = position
        while !atEnd, Self.isBare(characters[position]) { position += 1 }
        guard position > start else { throw error("expected a name or a value") }
        return String(characters[start..<position])
    }

    mutating func list<T>(_ element: (inout ConditionParser) throws -> T) throws -> [T] {
        try expect("(")
        var values = [try element(&self)]
        skipSpaces()
        while !atEnd, characters[position] == "," {
            position += 1
            values.append(try element(&self))
            skipSpaces()
        }
        try expect(")")
        return values
    }

    mutating func values<T: RawRepresentable>(_: T.Type) throws -> [T] where T.RawValue == String, T: CaseIterable {
        try list { parser in
            parser.skipSpaces()
            let start = parser.position
            let text = try parser.word()
            guard let value = T(rawValue: text) else {
                throw ConditionSyntaxError(
                    message: "\(text) is not one of \(T.allCases.map(\.rawValue).joined(separator: ", ")) at character \(start + 1)")
            }
            return value
        }
    }

    mutating func condition() throws -> ChecklistCondition {
        skipSpaces()
        let start = position
        let name = try word()
        switch name {
        case "always": return .always
        case "pegboard": return .pegboard
        case "basin-light": return .basinLight
        case "basin": return .basinType(try values(BasinType.self))
        case "sprayer": return .sprayer(try values(SprayerType.self))
        case "faucet": return .faucet(try values(FaucetType.self))
        case "feet":
            let feet = try values(Feet.self)
            guard feet.count == 1 else { throw error("feet takes one value") }
            return .feet(feet[0])
        case "legs":
            let legs = try values(LegsType.self)
            guard legs.count == 1 else { throw error("legs takes one value") }
            return .legs(legs[0])
        case "language": return .language(try values(Language.self))
        case "accessory": return .accessory(try list { try $0.word() })
        case "bom": return .bom(try list { try $0.word() })
        case "basin-bom": return .basinBOM(try list { try $0.word() })
        case "all": return .all(try list { try $0.condition() })
        case "any": return .any(try list { try $0.condition() })
        case "not":
            let inner = try list { try $0.condition() }
            guard inner.count == 1 else { throw error("not takes one condition") }
            return .not(inner[0])
        default:
            position = start
            throw error("\(name) is not a condition; use one of \(ChecklistCondition.vocabulary.map(\.name).joined(separator: "; "))")
        }
    }
}

// MARK: - Quantities as text

/// Quantity rules as text, for the template editor: `fixed(1)`, `per-basin`,
/// `per-basin(E_DRAIN)`, `per-sprayer(AIR_GUN_TURRET, …)`,
/// `per-faucet(WRIST_BLADE)`, `per-basin-where(basin-bom(T8-DOSINGESK))`.
extension QuantityRule {
    public var text: String {
        switch self {
        case .fixed(let count): return "fixed(\(count))"
        case .perBasin(let types): return types.isEmpty ? "per-basin" : "per-basin(\(types.map(\.rawValue).joined(separator: ", ")))"
        case .perSprayer(let types): return "per-sprayer(\(types.map(\.rawValue).joined(separator: ", ")))"
        case .perFaucet(let types): return "per-faucet(\(types.map(\.rawValue).joined(separator: ", ")))"
        case .perBasinWhere(let condition): return "per-basin-where(\(condition.text))"
        }
    }

    public static func parse(_ text: String) -> Result<QuantityRule, ConditionSyntaxError> {
        var parser = ConditionParser(text)
        do {
            parser.skipSpaces()
            let start = parser.position
            let name = try parser.word()
            let rule: QuantityRule
            switch name {
            case "fixed":
                let counts = try parser.list { parser -> Int in
                    let word = try parser.word()
                    guard let count = Int(word), count >= 1 else { throw parser.error("\(word) is not a count of 1 or more") }
                    return count
                }
                guard counts.count == 1 else { throw parser.error("fixed takes one count") }
                rule = .fixed(counts[0])
            case "per-basin":
                parser.skipSpaces()
                rule = .perBasin(parser.atEnd ? [] : try parser.values(BasinType.self))
            case "per-sprayer": rule = .perSprayer(try parser.values(SprayerType.self))
            case "per-faucet": rule = .perFaucet(try parser.values(FaucetType.self))
            case "per-basin-where":
                let conditions = try parser.list { try $0.condition() }
                guard conditions.count == 1 else { throw parser.error("per-basin-where takes one condition") }
                rule = .perBasinWhere(conditions[0])
            default:
                parser.position = start
                throw parser.error(
                    "\(name) is not a quantity; use fixed(N), per-basin, per-sprayer(…), per-faucet(…) or per-basin-where(…)")
            }
            parser.skipSpaces()
            guard parser.atEnd else { throw parser.error("unexpected text after the quantity") }
            return .success(rule)
        } catch let error as ConditionSyntaxError {
            return .failure(error)
        } catch {
            return .failure(ConditionSyntaxError(message: "\(error)"))
        }
    }
}
