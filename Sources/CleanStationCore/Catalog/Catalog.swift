/// The customer's parts catalogue (bom-rules.md §1): parts, assemblies made
/// of components, and categories that group assemblies.
public struct Catalog: Sendable, Hashable {
    public var parts: [String: CatalogPart]
    public var assemblies: [String: CatalogAssembly]
    public var categories: [CatalogCategory]

    public init(parts: [String: CatalogPart] = [:], assemblies: [String: CatalogAssembly] = [:], categories: [CatalogCategory] = []) {
        self.parts = parts
        self.assemblies = assemblies
        self.categories = categories
    }

    /// A part `X` is built from the components of the assembly `ASSY-X`
    /// when that assembly exists and has components.
    public static let twinPrefix = "ASSY-"

    public func contains(_ id: String) -> Bool {
        parts[id] != nil || assemblies[id] != nil
    }

    /// The catalogue's id for what was typed or scanned: as it is, or in capitals (labels print capitals, people
    /// type either); nil when the catalogue has neither.
    public func id(matching typed: String) -> String? {
        [typed, typed.uppercased()].first(where: contains)
    }

    public func name(of id: String) -> String? {
        assemblies[id]?.name ?? parts[id]?.name
    }

    /// The id of the record whose components make up `id`: the assembly
    /// itself, or a part's non-empty `ASSY-` twin; `nil` for a plain part
    /// or an unknown id.
    public func expansionKey(of id: String) -> String? {
        if assemblies[id] != nil { return id }
        guard parts[id] != nil, let twin = assemblies[Self.twinPrefix + id], !twin.components.isEmpty else { return nil }
        return twin.id
    }

    /// What `id` is made of, following the `ASSY-` convention; empty for a leaf.
    public func components(of id: String) -> [CatalogComponent] {
        expansionKey(of: id).flatMap { assemblies[$0]?.components } ?? []
    }
}

public struct CatalogPart: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var manufacturerPartNumber: String?
    public var manufacturerInfo: String?
    public var type: String
    public var status: String
    public var description: String?
    public var vendor: String?

    public init(
        id: String, name: String, manufacturerPartNumber: String? = nil, manufacturerInfo: String? = nil,
        type: String = "COMPONENT", status: String = "ACTIVE", description: String? = nil, vendor: String? = nil
    ) {
        self.id = id
        self.name = name
        self.manufacturerPartNumber = manufacturerPartNumber
        self.manufacturerInfo = manufacturerInfo
        self.type = type
        self.status = status
        self.description = description
        self.vendor = vendor
    }
}

public struct CatalogAssembly: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var type: AssemblyType
    public var categoryCode: String?
    public var subcategoryCode: String?
    public var canOrder: Bool
    public var isKit: Bool
    public var status: String
    public var components: [CatalogComponent]

    public init(
        id: String, name: String, type: AssemblyType, categoryCode: String? = nil, subcategoryCode: String? = nil,
        canOrder: Bool = true, isKit: Bool = false, status: String = "ACTIVE", components: [CatalogComponent] = []
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.categoryCode = categoryCode
        self.subcategoryCode = subcategoryCode
        self.canOrder = canOrder
        self.isKit = isKit
        self.status = status
        self.components = components
    }
}

public enum AssemblyType: String, Sendable, Hashable, CaseIterable, Codable {
    case kit = "KIT"
    case simple = "SIMPLE"
    case complex = "COMPLEX"
    case servicePart = "SERVICE_PART"
}

/// A link from an assembly to a part (or, by the `ASSY-` convention, a sub-assembly).
public struct CatalogComponent: Sendable, Hashable, Codable {
    public var partId: String
    public var quantity: Int
    public var notes: String?

    public init(partId: String, quantity: Int, notes: String? = nil) {
        self.partId = partId
        self.quantity = quantity
        self.notes = notes
    }
}

public struct CatalogCategory: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var description: String?
    public var subcategories: [CatalogSubcategory]

    public init(code: String, name: String, description: String? = nil, subcategories: [CatalogSubcategory] = []) {
        self.code = code
        self.name = name
        self.description = description
        self.subcategories = subcategories
    }
}

public struct CatalogSubcategory: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var description: String?
    public var assemblyRefs: [String]

    public init(code: String, name: String, description: String? = nil, assemblyRefs: [String] = []) {
        self.code = code
        self.name = name
        self.description = description
        self.assemblyRefs = assemblyRefs
    }
}
