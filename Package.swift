// swift-tools-version: 6.2
import PackageDescription

/// Our own targets build warning-free: a warning fails the build.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "CleanStation",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cleanstation", targets: ["cleanstation"]),
        .library(name: "CleanStationCore", targets: ["CleanStationCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(name: "CleanStationCore", swiftSettings: strict),
        .executableTarget(
            name: "cleanstation",
            dependencies: [
                "CleanStationCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "BOMBenchmark",
            dependencies: ["CleanStationCore"],
            path: "Benchmarks/BOMBenchmark",
            swiftSettings: strict
        ),
        .testTarget(
            name: "CleanStationCoreTests",
            dependencies: [
                "CleanStationCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "cleanstationTests",
            dependencies: ["CleanStationCore"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
