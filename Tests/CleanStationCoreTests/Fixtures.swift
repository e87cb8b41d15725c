import CleanStationCore
import Foundation
import Testing

enum Fixtures {
    /// The repository's root, from this file's place in it.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The customer's catalogue, beside the repository (never inside it).
    static let sharedCatalog =
        ProcessInfo.processInfo.environment["CLEANSTATION_CATALOG_DIR"].map { URL(fileURLWithPath: $0) }
        ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/catalog")

    static let fullCatalog: CatalogLoader.Loaded = {
        do {
            return try CatalogLoader.load(directory: sharedCatalog)
        } catch {
            fatalError("The customer's catalogue must be at \(sharedCatalog.path) (or CLEANSTATION_CATALOG_DIR): \(error)")
        }
    }()

    /// A plain valid two-basin sink, the starting point the tests vary.
    static func sink(
        model: SinkModel = .t2B2, length: Double = 60, basins: [Basin]? = nil, pegboard: Pegboard? = nil,
        legs: Legs = Legs(type: .heightAdjustable, model: .dl27), feet: Feet = .lockLevelingCasters,
        faucets: [Faucet] = [], sprayers: [Sprayer] = [], accessories: [AccessoryLine] = []
    ) -> SinkConfiguration {
        SinkConfiguration(
            buildNumber: "B1001", model: model, width: 30, length: length, legs: legs, feet: feet, pegboard: pegboard,
            workflowDirection: .leftToRight,
            basins: basins ?? Array(repeating: Basin(type: .eDrain, size: .standard(.s24x20x10)), count: model.basinCount),
            faucets: faucets, sprayers: sprayers, accessories: accessories)
    }

    /// The example of bom-rules.md §2 as JSON.
    static let specExample: JSONValue = try! JSONParser.parse(
        """
        {
          "buildNumber": "B1001",
          "model": "T2-B2",
          "width": 30, "length": 60,
          "legs":   {"type": "HEIGHT_ADJUSTABLE", "model": "DL27"},
          "feet":   "LOCK_LEVELING_CASTERS",
          "pegboard": {"type": "PERFORATED", "color": "GREEN", "size": "SAME_AS_SINK"},
          "workflowDirection": "LEFT_TO_RIGHT",
          "basins": [
            {"type": "E_DRAIN", "size": "24X20X10", "pTrap": true, "basinLight": false},
            {"type": "E_SINK",  "size": {"width": 26, "length": 20, "depth": 9}, "pTrap": false, "basinLight": true}
          ],
          "faucets":  [{"type": "WRIST_BLADE", "quantity": 1, "placement": "BETWEEN_1_2"}],
          "sprayers": [{"type": "AIR_GUN_TURRET", "quantity": 1, "location": "LEFT"}],
          "accessories": [{"id": "T-OA-BINRAIL-24-KIT", "quantity": 2}]
        }
        """)
}

extension SinkConfiguration {
    /// Reads JSON that the test expects to be valid.
    static func valid(_ json: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) throws -> SinkConfiguration {
        switch read(json) {
        case .success(let configuration): return configuration
        case .failure(let failure):
            Issue.record("expected a valid configuration, got:\n\(failure)", sourceLocation: sourceLocation)
            throw failure
        }
    }

    /// The errors of JSON that the test expects to be invalid.
    static func errors(_ json: JSONValue) -> [FieldError] {
        switch read(json) {
        case .success: []
        case .failure(let failure): failure.errors
        }
    }
}

extension Fixtures {
    static let fullGenerator = BOMGenerator(catalog: fullCatalog.catalog)
    static let builtInGenerator = BOMGenerator(catalog: .builtIn)

    /// What a checklist is resolved against, with the BOM from the customer's catalogue.
    static func context(
        _ sink: SinkConfiguration, language: Language = .en, generator: BOMGenerator = fullGenerator
    )
        -> ChecklistContext
    {
        ChecklistContext(sink: sink, language: language, bom: generator.bom(for: sink.withDefaults(), language: language))
    }
}
