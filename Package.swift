// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 mode plus an explicit public surface (STYLE.md 2).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "s7wb",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "s7wb", targets: ["s7wb"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // Layer 0: values and diagnostics, no dependencies.
        .target(name: "S7Model", swiftSettings: strictSettings),
        .target(name: "S7Diagnostics", swiftSettings: strictSettings),
        // Layer 1: languages and file formats.
        .target(name: "SCLSyntax", dependencies: ["S7Diagnostics"], swiftSettings: strictSettings),
        .target(
            name: "SimaticML", dependencies: ["S7Model", "SCLSyntax", "S7Diagnostics"], swiftSettings: strictSettings),
        // Layer 2: compiler, runtime, protocol.
        .target(
            name: "S7Compiler", dependencies: ["S7Model", "SCLSyntax", "S7Diagnostics", "SimaticML"],
            swiftSettings: strictSettings),
        .target(name: "S7Runtime", dependencies: ["S7Model", "S7Compiler"], swiftSettings: strictSettings),
        .target(
            name: "S7Protocol",
            dependencies: [
                "S7Model", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        // Layer 3: the engine.
        .target(
            name: "Workbench",
            dependencies: [
                "S7Model", "S7Diagnostics", "SCLSyntax", "SimaticML", "S7Compiler", "S7Runtime", "S7Protocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings),
        // Layer 4: front ends.
        .target(
            name: "WorkbenchAPI",
            dependencies: [
                "Workbench", "S7Model", "SimaticML", "S7Compiler", "S7Runtime", "S7Diagnostics", "SCLSyntax",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "WorkbenchMCP",
            dependencies: [
                "Workbench", "WorkbenchAPI",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "WorkbenchTUI", dependencies: ["Workbench", "CNcurses"], swiftSettings: strictSettings),
        .executableTarget(
            name: "s7wb",
            dependencies: [
                "Workbench", "WorkbenchAPI", "WorkbenchMCP", "WorkbenchTUI", "SCLSyntax", "S7Diagnostics", "S7Compiler",
                "S7Runtime", "S7Protocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
        // Benchmarks: programs that print figures (`make bench`), built in release.
        .executableTarget(
            name: "scl-bench", dependencies: ["SCLSyntax", "S7Diagnostics"], path: "Benchmarks/SCLBench",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "vm-bench", dependencies: ["S7Runtime", "S7Compiler", "S7Model", "S7Diagnostics", "SimaticML"],
            path: "Benchmarks/VMBench", exclude: ["kernels.c", "kernels"], swiftSettings: strictSettings),
        .executableTarget(
            name: "tui-bench", dependencies: ["WorkbenchTUI", "Workbench"], path: "Benchmarks/TUIBench",
            swiftSettings: strictSettings),
        .executableTarget(
            name: "api-bench",
            dependencies: [
                "Workbench", "WorkbenchAPI", "S7Model", "SimaticML", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Benchmarks/APIBench", swiftSettings: strictSettings),
        .executableTarget(
            name: "s7-bench",
            dependencies: [
                "Workbench", "WorkbenchAPI", "S7Protocol", "S7Runtime", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Benchmarks/S7Bench", swiftSettings: strictSettings),
        // Tests, one target per layer, sharing the corpus locator.
        .target(name: "S7TestSupport", path: "Tests/S7TestSupport", swiftSettings: strictSettings),
        .testTarget(name: "S7ModelTests", dependencies: ["S7Model"], swiftSettings: strictSettings),
        .testTarget(name: "S7DiagnosticsTests", dependencies: ["S7Diagnostics"], swiftSettings: strictSettings),
        .testTarget(
            name: "SCLSyntaxTests", dependencies: ["SCLSyntax", "S7Diagnostics", "S7TestSupport"],
            exclude: ["Golden"], swiftSettings: strictSettings),
        .testTarget(
            name: "SimaticMLTests", dependencies: ["SimaticML", "S7Model", "S7TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(name: "S7CompilerTests", dependencies: ["S7Compiler", "S7Model"], swiftSettings: strictSettings),
        .testTarget(
            name: "S7RuntimeTests", dependencies: ["S7Runtime", "S7Model", "S7TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ProgramTests",
            dependencies: [
                "S7Compiler", "S7Runtime", "SimaticML", "SCLSyntax", "S7Model", "S7Diagnostics", "S7TestSupport",
            ],
            exclude: ["Programs"], swiftSettings: strictSettings),
        .testTarget(
            name: "S7ProtocolTests",
            dependencies: [
                "S7Protocol", "S7Model", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WorkbenchTests",
            dependencies: [
                "Workbench", "S7Model", "SimaticML", "S7Compiler", "S7Runtime", "SCLSyntax", "S7Diagnostics",
                "S7Protocol", "S7TestSupport",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WorkbenchAPITests",
            dependencies: [
                "WorkbenchAPI", "Workbench", "WorkbenchMCP", "S7Model", "SimaticML", "S7TestSupport",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WorkbenchTUITests",
            dependencies: ["WorkbenchTUI", "Workbench", "S7Model", "SimaticML", "S7TestSupport"],
            exclude: ["Snapshots"], swiftSettings: strictSettings),
    ]
)
