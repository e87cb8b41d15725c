/// Turns a sink configuration into its BOM document against one catalogue.
///
/// The catalogue is immutable, so the work that depends on it alone is done
/// once, when the generator is made: every id the catalogue and the rules
/// name gets a place in one table sorted by id, and every cycle-free subtree
/// is expanded with its leaf totals as positions in that table. A BOM is
/// then the rule lines, their cached subtrees, and a sum over positions:
/// no hashing of part numbers and no sorting per document.
public struct BOMGenerator: Sendable {
    public let catalog: Catalog
    private let leaves: LeafTable
    /// Subtrees of single units by id, including the rule lines resolved
    /// through an item number. Subtrees with a cut cycle are left out.
    private let expansions: [String: Expansion]

    public init(catalog: Catalog) {
        self.catalog = catalog
        let ruleLines = BOMRules.possibleLines
        var ids = Set(catalog.parts.keys).union(catalog.assemblies.keys).union(ruleLines.map(\.id))
        for assembly in catalog.assemblies.values { ids.formUnion(assembly.components.map(\.partId)) }
        var table = LeafTable(ids: ids, catalog: catalog)

        var expander = Expander(catalog: catalog, leaves: table, cache: [:])
        var path: [String] = []
        for id in ids.sorted() {
            _ = expander.expand(id, path: &path)
        }
        for line in ruleLines where !catalog.contains(line.id) {
            guard let itemNumber = line.itemNumber, catalog.contains(itemNumber) else { continue }
            var expansion = expander.expand(itemNumber, path: &path)
            expansion.node.id = line.id
            if expansion.node.children.isEmpty {
                table.setTemplate(expansion.node, for: line.id)
                expansion.leaves = [LeafCount(index: table.index[line.id]!, quantity: 1)]
            }
            expander.memo[line.id] = expansion
        }
        leaves = table
        expansions = expander.memo
    }

    public func bom(for configuration: SinkConfiguration, language: Language) -> BOMDocument {
        var expander = Expander(catalog: catalog, leaves: leaves, cache: expansions)
        var totals = [Int](repeating: 0, count: leaves.templates.count)
        var attributes: [(index: Int, values: [String: String])] = []
        var extras: [BOMLine] = []
        var items: [BOMItem] = []
        var warnings: [String] = []
        var path: [String] = []
        for line in BOMRules.lines(for: configuration, language: language) {
            var node: BOMItem
            if let custom = line.custom {
                node = BOMItem(
                    id: line.id, name: custom.name, kind: .custom, quantity: line.quantity, inCatalog: false, series: custom.series)
                extras.append(BOMLine(leaf: node, quantity: line.quantity))
            } else if let expansion = expansions[line.id] ?? (leaves.index[line.id] != nil ? expander.expand(line.id, path: &path) : nil) {
                node = expansion.node
                for leaf in expansion.leaves { totals[leaf.index] += leaf.quantity * line.quantity }
                warnings += expansion.warnings
                if node.children.isEmpty, !line.attributes.isEmpty { attributes.append((expansion.leaves[0].index, line.attributes)) }
            } else {
                node = BOMItem(id: line.id, name: nil, kind: .unknown, quantity: line.quantity, inCatalog: false)
                extras.append(BOMLine(leaf: node, quantity: line.quantity))
                warnings.append("\(line.id) is not in the catalogue")
            }
            node.itemNumber = line.itemNumber
            node.quantity = line.quantity
            if !line.attributes.isEmpty { node.attributes = line.attributes }
            items.append(node)
        }
        if BOMRules.controlBox(basins: configuration.basins) == nil {
            warnings.append("no control box is made for \(configuration.basins.count) basins of these types")
        }
        return BOMDocument(
            buildNumber: configuration.buildNumber, items: items,
            lines: leaves.lines(totals: totals, attributes: attributes, extras: extras), warnings: Self.unique(warnings))
    }

    private static func unique(_ warnings: [String]) -> [String] {
        guard warnings.count > 1 else { return warnings }
        var seen: Set<String> = []
        return warnings.filter { seen.insert($0).inserted }
    }
}

/// Every id a BOM of this catalogue can have as a leaf, sorted, with the
/// pick-list line it gives.
private struct LeafTable: Sendable {
    private(set) var templates: [BOMLine]
    let index: [String: Int]

    init(ids: Set<String>, catalog: Catalog) {
        let sorted = ids.sorted()
        templates = sorted.map { BOMLine(leaf: Expander.leaf($0, in: catalog), quantity: 0) }
        index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
    }

    mutating func setTemplate(_ item: BOMItem, for id: String) {
        templates[index[id]!] = BOMLine(leaf: item, quantity: 0)
    }

    /// The pick list: the table's lines with a total, in table order, merged
    /// with the few lines outside the table (custom parts, unknown rule ids),
    /// each placed by a binary search over the table's sorted ids.
    func lines(totals: [Int], attributes: [(index: Int, values: [String: String])], extras: [BOMLine]) -> [BOMLine] {
        var lines: [BOMLine] = []
        lines.reserveCapacity(totals.count(where: { $0 > 0 }) + extras.count)
        var pending = Self.merged(extras).map { (position: insertionPosition(of: $0.id), line: $0) }[...]
        for (position, total) in totals.enumerated() where total > 0 {
            while let next = pending.first, next.position <= position {
                lines.append(next.line)
                pending = pending.dropFirst()
            }
            var line = templates[position]
            line.quantity = total
            if !attributes.isEmpty { line.attributes = attributes.first { $0.index == position }?.values }
            lines.append(line)
        }
        lines += pending.map(\.line)
        return lines
    }

    /// Where `id` would stand among the table's ids.
    private func insertionPosition(of id: String) -> Int {
        var low = 0
        var high = templates.count
        while low < high {
            let middle = (low + high) / 2
            if templates[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func merged(_ extras: [BOMLine]) -> [BOMLine] {
        var byId: [String: BOMLine] = [:]
        for line in extras {
            if byId[line.id] != nil { byId[line.id]!.quantity += line.quantity } else { byId[line.id] = line }
        }
        return byId.values.sorted { $0.id < $1.id }
    }
}

/// A leaf's position in the `LeafTable` and its quantity.
private struct LeafCount: Sendable {
    var index: Int
    var quantity: Int
}

/// A subtree for one unit of an id, with its leaf totals and the gaps met.
private struct Expansion: Sendable {
    var node: BOMItem
    var leaves: [LeafCount]
    var warnings: [String]
    /// Whether a cycle was cut inside: such a subtree depends on the path
    /// that led to it and is not cached.
    var hasCycle: Bool
}

/// Recursive expansion through the catalogue, following the `ASSY-` twin
/// convention and cutting cycles where they close.
private struct Expander {
    let catalog: Catalog
    let leaves: LeafTable
    /// Subtrees built before, read but not written.
    let cache: [String: Expansion]
    /// Cycle-free subtrees built by this expander.
    var memo: [String: Expansion] = [:]

    init(catalog: Catalog, leaves: LeafTable, cache: [String: Expansion]) {
        self.catalog = catalog
        self.leaves = leaves
        self.cache = cache
    }

    /// `path` holds the expansion keys (see `Catalog.expansionKey`) of the
    /// ancestors.
    mutating func expand(_ id: String, path: inout [String]) -> Expansion {
        if let cached = cache[id] ?? memo[id] { return cached }
        guard let key = catalog.expansionKey(of: id), let record = catalog.assemblies[key], !record.components.isEmpty else {
            let expansion = Expansion(
                node: Self.leaf(id, in: catalog), leaves: [LeafCount(index: leaves.index[id]!, quantity: 1)],
                warnings: catalog.contains(id) ? [] : ["\(id) is not in the catalogue"], hasCycle: false)
            memo[id] = expansion
            return expansion
        }
        var node = BOMItem(id: id, name: catalog.name(of: id), kind: .assembly, quantity: 1, inCatalog: true)
        var totals: [Int: Int] = [:]
        var warnings: [String] = []
        var hasCycle = false
        path.append(key)
        for component in record.components {
            if let childKey = catalog.expansionKey(of: component.partId), let start = path.firstIndex(of: childKey) {
                hasCycle = true
                let cycle = (path[start...] + [childKey]).joined(separator: " → ")
                warnings.append("cycle in the catalogue: \(cycle); \(component.partId) is not expanded under \(id)")
                var child = Self.leaf(component.partId, in: catalog)
                child.quantity = component.quantity
                node.children.append(child)
                totals[leaves.index[component.partId]!, default: 0] += component.quantity
                continue
            }
            var child = expand(component.partId, path: &path)
            hasCycle = hasCycle || child.hasCycle
            child.node.quantity = component.quantity
            node.children.append(child.node)
            for leaf in child.leaves { totals[leaf.index, default: 0] += leaf.quantity * component.quantity }
            warnings += child.warnings
        }
        path.removeLast()
        let expansion = Expansion(
            node: node, leaves: totals.sorted { $0.key < $1.key }.map { LeafCount(index: $0.key, quantity: $0.value) },
            warnings: warnings, hasCycle: hasCycle)
        if !hasCycle { memo[id] = expansion }
        return expansion
    }

    /// An id shown without children, as the catalogue knows it.
    static func leaf(_ id: String, in catalog: Catalog) -> BOMItem {
        if let assembly = catalog.assemblies[id] {
            return BOMItem(id: id, name: assembly.name, kind: .assembly, quantity: 1, inCatalog: true)
        }
        if let part = catalog.parts[id] {
            return BOMItem(id: id, name: part.name, kind: .part, quantity: 1, inCatalog: true)
        }
        return BOMItem(id: id, name: nil, kind: .unknown, quantity: 1, inCatalog: false)
    }
}
