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
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        // Named for its cache protocol (`TemplateCache`); Leaf depends on it already.
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // OTLP over HTTP only: the gRPC exporter's packages would double the build for nothing we use.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Base64 URL encoding for tokens and the session cookie's MAC (already in the graph through jwt-kit).
        .package(url: "https://github.com/swift-extras/swift-extras-base64.git", from: "1.2.0"),
    ],
    targets: [
        // A strict JSON parser, a canonical serializer and a field reader (ADR 001); Foundation only.
        .target(name: "CleanStationJSON", swiftSettings: strict),
        .target(
            name: "CleanStationCore", dependencies: ["CleanStationJSON"], resources: [.copy("Resources/common-passwords.txt")],
            swiftSettings: strict),
        // libharu, libqrencode and libpng from Debian (`libhpdf-dev`, `libqrencode-dev`, `libpng-dev`).
        .systemLibrary(name: "CHaru", providers: [.apt(["libhpdf-dev"])]),
        .systemLibrary(name: "CQRencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CPNG", providers: [.apt(["libpng-dev"])]),
        // The S3 client: SigV4, and a key pair or the ECS task role's temporary credentials.
        .target(
            name: "CleanStationS3",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The SMTP submission client (RFC 5321 over SwiftNIO) and the messages it sends.
        .target(
            name: "CleanStationMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: strict
        ),
        .target(name: "CleanStationExports", dependencies: ["CleanStationCore", "CHaru", "CQRencode", "CPNG"], swiftSettings: strict),
        .target(
            name: "CleanStationServer",
            dependencies: [
                "CleanStationCore",
                "CleanStationExports",
                "CleanStationMail",
                "CleanStationS3",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "JWT", package: "jwt"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "cleanstation",
            dependencies: [
                "CleanStationCore",
                "CleanStationExports",
                "CleanStationServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "HelloVapor",
            dependencies: [
                .product(name: "Vapor", package: "vapor"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ], path: "Benchmarks/HelloVapor",
            swiftSettings: strict),
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
            // The reviewed applicability fixture, read by path (ChecklistApplicabilityTests).
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .target(name: "CleanStationTestSupport", path: "Tests/CleanStationTestSupport", swiftSettings: strict),
        .testTarget(
            name: "CleanStationExportsTests", dependencies: ["CleanStationExports", "CleanStationTestSupport"], swiftSettings: strict),
        .testTarget(name: "CleanStationJSONTests", dependencies: ["CleanStationJSON"], swiftSettings: strict),
        .testTarget(
            name: "CleanStationS3Tests",
            dependencies: [
                "CleanStationS3", .product(name: "Vapor", package: "vapor"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CleanStationMailTests",
            dependencies: [
                "CleanStationMail", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CleanStationServerTests",
            dependencies: [
                "CleanStationServer",
                "CleanStationExports",
                "CleanStationTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            // The pages' HTML snapshots, read by path (PageSnapshotTests).
            exclude: ["Snapshots"],
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
