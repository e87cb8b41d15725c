/// A location inside a JSON document, printed the way error messages and the
/// API's `details[].field` address it: `builds[0].basins[1].size.width`.
/// Keys that are not plain names print quoted: `parts["708.77"].name`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public private(set) var components: [Component]

    public static let root = JSONPath([])

    public init(_ components: [Component]) {
        self.components = components
    }

    public var isRoot: Bool { components.isEmpty }

    public func key(_ key: String) -> JSONPath {
        JSONPath(components + [.key(key)])
    }

    public func index(_ index: Int) -> JSONPath {
        JSONPath(components + [.index(index)])
    }

    /// Whether `self` is `other` or lies inside it.
    public func isWithin(_ other: JSONPath) -> Bool {
        components.starts(with: other.components)
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where Self.isPlainName(key):
                text += text.isEmpty ? key : ".\(key)"
            case .key(let key):
                text += "[\(JSONSerializer.quoted(key))]"
            }
        }
        return text
    }

    private static func isPlainName(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_") }
    }
}
