import CleanStationCore
import Foundation

// BOM generation for a 3-basin sink with pegboard, sprayers and 10
// accessories against the customer's catalogue, on one core.
// Usage: BOMBenchmark [CATALOG_DIR] [ITERATIONS]

let arguments = CommandLine.arguments
let catalogDirectory = arguments.count > 1 ? arguments[1] : "../shared/catalog"
let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000

let catalog: Catalog
do {
    catalog = try CatalogLoader.load(directory: URL(fileURLWithPath: catalogDirectory)).catalog
} catch {
    FileHandle.standardError.write(Data("cannot load the catalogue: \(error)\n".utf8))
    exit(2)
}

let accessories = [
    "T-OA-BINRAIL-48-KIT", "T-OA-PFW1236FM-KIT", "T-OA-SSSHELF-3612", "T-OA-1BRUSH-ORG-PB-KIT", "T-OA-PB-SS-2GLOVE",
    "T2-OA-SC-2420-SS", "T-OA-MLIGHT-PB-KIT", "T-OA-TASKLIGHT-PB", "T-OA-MNT-ARM-1EXT", "T-OA-KB-MOUSE-ARM",
].map { AccessoryLine(id: $0, quantity: 1) }
let sink = SinkConfiguration(
    buildNumber: "BENCH-1", model: .t2B3, width: 30, length: 96, legs: Legs(type: .heightAdjustable, model: .lc1),
    feet: .lockLevelingCasters, pegboard: Pegboard(type: .perforated, color: .blue, size: .sameAsSink),
    workflowDirection: .leftToRight,
    basins: [
        Basin(type: .eDrain, size: .standard(.s30x20x10), pTrap: true, basinLight: true),
        Basin(type: .eSink, size: .standard(.s24x20x10), pTrap: true, basinLight: true),
        Basin(type: .eSinkDI, size: .custom(width: 26, length: 20, depth: 9), pTrap: false, basinLight: false),
    ],
    faucets: [Faucet(type: .wristBlade, quantity: 2, placement: .between1And2)],
    sprayers: [
        Sprayer(type: .airGunTurret, quantity: 1, location: .left), Sprayer(type: .diWaterGunRosette, quantity: 1, location: .right),
    ],
    accessories: accessories)
precondition(sink.validationErrors().isEmpty, "the benchmark sink must be valid")

let clock = ContinuousClock()
let setupStart = clock.now
let generator = BOMGenerator(catalog: catalog)
let setup = clock.now - setupStart

func measure(_ label: String, _ body: () -> Int) {
    var checksum = 0
    for _ in 0..<min(1_000, iterations) { checksum &+= body() }  // warm-up
    var samples: [Double] = []
    samples.reserveCapacity(iterations)
    let total = clock.now
    for _ in 0..<iterations {
        let start = clock.now
        checksum &+= body()
        let elapsed = clock.now - start
        samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
    }
    let wall = clock.now - total
    samples.sort()
    let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
    func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
    print(
        String(
            format: "%-28@ median %7.2f µs  p99 %7.2f µs  %9.0f per second  (%d runs, checksum %d)",
            label.padding(toLength: 30, withPad: " ", startingAt: 0) as NSString,
            percentile(0.5), percentile(0.99), Double(iterations) / seconds, iterations, checksum))
}

let document = generator.bom(for: sink, language: .en)
func count(_ items: [BOMItem]) -> Int { items.reduce(0) { $0 + 1 + count($1.children) } }
print(
    "sink: 3 basins, pegboard, 2 sprayers, 10 accessories: \(document.items.count) top-level lines, \(count(document.items)) tree nodes, \(document.lines.count) pick lines"
)
print(String(format: "generator set-up (once per catalogue): %.2f ms", Double(setup.components.attoseconds) / 1e15))
measure("BOM generation") { generator.bom(for: sink, language: .en).lines.count }
measure("BOM generation + JSON text") { JSONSerializer.string(generator.bom(for: sink, language: .en).jsonValue).utf8.count }
let json = JSONSerializer.data(sink.jsonValue)
measure("read + validate configuration") {
    guard case .success(let read) = SinkConfiguration.read(json) else { fatalError("the benchmark sink must read") }
    return read.basins.count
}
