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
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/jwt.git", from: "5.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(name: "CleanStationCore", swiftSettings: strict),
        .target(
            name: "CleanStationServer",
            dependencies: [
                "CleanStationCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "JWT", package: "jwt"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "cleanstation",
            dependencies: [
                "CleanStationCore",
                "CleanStationServer",
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
            name: "CleanStationServerTests",
            dependencies: [
                "CleanStationServer",
                .product(name: "VaporTesting", package: "vapor"),
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
