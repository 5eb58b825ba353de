// swift-tools-version:6.1
import PackageDescription

// A target exists only where its dependencies differ (see README "Architecture").
let package = Package(
    name: "mmetl",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mmetl", targets: ["mmetl"]),
        .executable(name: "mmetl-bench", targets: ["MMBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // System libraries, each with a tiny static-inline shim header for what Swift cannot import.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // The pure core: no C import, no clock, no FileManager, no environment.
        .target(name: "MMCore", dependencies: [
            .product(name: "Yams", package: "Yams"),
        ]),

        // Thin adapters, one per C library.
        .target(name: "WarehousePG", dependencies: ["CLibPQ", "MMCore", .product(name: "Logging", package: "swift-log")]),
        .target(name: "GraphHTTP", dependencies: ["CCurl", "MMCore"]),
        .target(name: "ArchiveGzip", dependencies: [
            "CZlib", "MMCore", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Runs the stages against the ports.
        .target(name: "MMRuntime", dependencies: [
            "MMCore", .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // The HTML report: query results in, one self-contained HTML page with inline SVG out (pure).
        .target(name: "MMReport"),

        // The Graph API simulator: real HTTP on loopback, shared by tests, the demo and `mmetl simulate`.
        .target(name: "MMSimulator", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        // Micro-benchmarks, not shipped: `mmetl-bench`, which `make bench` runs and reports.
        .target(name: "MMBenchmarks", dependencies: [
            "MMCore", "MMRuntime", "WarehousePG", "ArchiveGzip", "MMSimulator", .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "MMBench", dependencies: [
            "MMBenchmarks", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The composition root: the only place that reads argv, env, files and the wall clock.
        .executableTarget(name: "mmetl", dependencies: [
            "MMCore", "MMRuntime", "WarehousePG", "GraphHTTP", "ArchiveGzip", "MMSimulator", "MMReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], linkerSettings: [
            // A --static-swift-stdlib link (make install/dist) keeps only the objects something names.
            // Foundation's ICU time zone and locale engines hook in by @_dynamicReplacement, so nothing
            // names them; where no other code pulls them in (a small program), TimeZone(identifier:) is
            // nil for every named zone and WABA days would silently be cut in UTC. Naming their type
            // descriptors keeps them whatever the rest of the code uses. See docs/install.md.
            .unsafeFlags(["-Xlinker", "-u", "-Xlinker", "$s30FoundationInternationalization12_TimeZoneICUCMn",
                          "-Xlinker", "-u", "-Xlinker", "$s30FoundationInternationalization10_LocaleICUCMn"],
                         .when(platforms: [.linux])),
        ], plugins: ["BuildRevision"]),

        // Bakes `git describe` into the executable before each build (see Plugins/BuildRevision).
        .plugin(name: "BuildRevision", capability: .buildTool()),

        // Test support: a throwaway-database helper and simulator launcher used by the test targets.
        .target(name: "MMTestSupport", dependencies: ["WarehousePG", "MMSimulator", "MMCore"]),

        .testTarget(name: "MMCoreTests", dependencies: ["MMCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "WarehousePGTests", dependencies: ["WarehousePG", "MMTestSupport", "MMBenchmarks"]),
        .testTarget(name: "GraphHTTPTests", dependencies: ["GraphHTTP", "MMTestSupport"]),
        .testTarget(name: "ArchiveGzipTests", dependencies: ["ArchiveGzip"]),
        .testTarget(name: "MMReportTests", dependencies: ["MMReport"]),
        .testTarget(name: "MMSimulatorTests", dependencies: ["MMSimulator"]),
        .testTarget(name: "MMRuntimeTests", dependencies: [
            "MMRuntime", "MMTestSupport", "GraphHTTP", "ArchiveGzip", "WarehousePG",
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["MMTestSupport", "MMCore", "ArchiveGzip"]),
    ],
    swiftLanguageModes: [.v6]
)
