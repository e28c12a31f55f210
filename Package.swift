// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "pcaa",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pcaa", targets: ["pcaa"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // MARK: C libraries from Debian
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // MARK: Modules
        .target(
            name: "PCAACore",
            dependencies: [
                "CLibCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PCAANet",
            dependencies: [
                "CCurl",
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "PCAASpeech", swiftSettings: swiftSettings),
        .target(name: "PCAASTT", dependencies: ["PCAACore", "PCAANet", "PCAASpeech"], swiftSettings: swiftSettings),
        .target(name: "PCAAAnalysis", dependencies: ["PCAACore"], swiftSettings: swiftSettings),
        .target(name: "PCAADelivery", dependencies: ["PCAACore", "PCAANet"], swiftSettings: swiftSettings),
        .target(
            name: "PCAAStore",
            dependencies: [
                "PCAACore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PCAAPipeline",
            dependencies: [
                "PCAACore", "PCAAStore", "PCAANet", "PCAASpeech", "PCAASTT", "PCAAAnalysis", "PCAADelivery",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PCAAHTTP",
            dependencies: [
                "PCAACore", "PCAAStore", "PCAAPipeline", "PCAASTT",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PCAASandbox",
            dependencies: [
                "PCAACore", "PCAANet", "PCAASpeech",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PCAABench",
            dependencies: [
                "PCAACore", "PCAAStore", "PCAAHTTP", "PCAAPipeline", "PCAANet", "PCAASandbox", "PCAASpeech", "PCAASTT",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "pcaa",
            dependencies: [
                "PCAACore", "PCAAStore", "PCAAHTTP", "PCAAPipeline", "PCAANet", "PCAASandbox", "PCAABench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PCAATests",
            dependencies: [
                "PCAACore", "PCAAStore", "PCAAHTTP", "PCAAPipeline", "PCAANet", "PCAASpeech", "PCAAAnalysis",
                "PCAADelivery", "PCAASandbox", "PCAASTT", "PCAABench",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
