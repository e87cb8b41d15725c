/// What a catalogue holds and where its data has gaps. Gaps never stop a
/// load: the BOM marks what they leave unresolved.
public struct CatalogReport: Sendable, Hashable, Codable {
    public struct Counts: Sendable, Hashable, Codable {
        public var parts: Int
        public var assemblies: Int
        public var categories: Int
        public var subcategories: Int

        public init(parts: Int, assemblies: Int, categories: Int, subcategories: Int) {
            self.parts = parts
            self.assemblies = assemblies
            self.categories = categories
            self.subcategories = subcategories
        }
    }

    /// An id that a component or a subcategory names but nothing defines.
    public struct MissingReference: Sendable, Hashable, Codable, CustomStringConvertible {
        public var id: String
        /// `assembly X` or `subcategory 718.001`.
        public var referencedBy: String

        public var description: String { "\(id) is referenced by \(referencedBy) but defined nowhere" }
    }

    /// An id defined more than once; the first definition is kept.
    public struct DuplicateId: Sendable, Hashable, Codable, CustomStringConvertible {
        public var id: String
        public var file: String

        public var description: String { "\(id) is defined more than once in \(file)" }
    }

    public var counts: Counts
    public var missingReferences: [MissingReference]
    public var duplicateIds: [DuplicateId]
    /// Each cycle as the ids along it, the first repeated at the end.
    public var cycles: [[String]]

    public var isClean: Bool {
        missingReferences.isEmpty && duplicateIds.isEmpty && cycles.isEmpty
    }

    /// One line per gap, for a terminal or a log.
    public var gapLines: [String] {
        missingReferences.map(\.description) + duplicateIds.map(\.description)
            + cycles.map { "cycle: \($0.joined(separator: " → "))" }
    }

    public init(catalog: Catalog, duplicateIds: [DuplicateId] = []) {
        counts = Counts(
            parts: catalog.parts.count, assemblies: catalog.assemblies.count, categories: catalog.categories.count,
            subcategories: catalog.categories.reduce(0) { $0 + $1.subcategories.count })
        var missing: [MissingReference] = []
        for assembly in catalog.assemblies.values.sorted(by: { $0.id < $1.id }) {
            var reported: Set<String> = []
            for component in assembly.components where !catalog.contains(component.partId) && reported.insert(component.partId).inserted {
                missing.append(MissingReference(id: component.partId, referencedBy: "assembly \(assembly.id)"))
            }
        }
        for category in catalog.categories {
            for subcategory in category.subcategories {
                for ref in subcategory.assemblyRefs where !catalog.contains(ref) {
                    missing.append(MissingReference(id: ref, referencedBy: "subcategory \(subcategory.code)"))
                }
            }
        }
        missingReferences = missing
        self.duplicateIds = duplicateIds
        cycles = Self.cycles(in: catalog)
    }

    /// Cycles of the expansion graph: an assembly leads to its components,
    /// a part to its non-empty `ASSY-` twin. Depth-first, in id order, so
    /// the report is the same on every run.
    static func cycles(in catalog: Catalog) -> [[String]] {
        func successors(_ id: String) -> [String] {
            if let assembly = catalog.assemblies[id] { return assembly.components.map(\.partId) }
            return catalog.expansionKey(of: id).map { [$0] } ?? []
        }
        enum Mark { case active, done }
        var marks: [String: Mark] = [:]
        var found: [[String]] = []
        var path: [String] = []
        func visit(_ id: String) {
            marks[id] = .active
            path.append(id)
            for next in successors(id) {
                switch marks[next] {
                case .active:
                    let start = path.lastIndex(of: next)!
                    found.append(Array(path[start...]) + [next])
                case .done:
                    continue
                case nil:
                    visit(next)
                }
            }
            path.removeLast()
            marks[id] = .done
        }
        for id in (Array(catalog.assemblies.keys) + Array(catalog.parts.keys)).sorted() where marks[id] == nil {
            visit(id)
        }
        return found
    }
}
