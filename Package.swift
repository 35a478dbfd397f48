// swift-tools-version: 6.1
import PackageDescription

/// Settings every Shiftlog target shares: Swift 6 mode with strict concurrency is the
/// tools-version default; these upcoming features keep the code explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Shiftlog",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ShiftlogCore", targets: ["ShiftlogCore"]),
        .library(name: "ShiftlogStore", targets: ["ShiftlogStore"]),
        .library(name: "ShiftlogPostgres", targets: ["ShiftlogPostgres"]),
        .library(name: "ShiftlogEngine", targets: ["ShiftlogEngine"]),
        .library(name: "ShiftlogInspect", targets: ["ShiftlogInspect"]),
        .library(name: "ShiftlogRuntimes", targets: ["ShiftlogRuntimes"]),
        .library(name: "ShiftlogServer", targets: ["ShiftlogServer"]),
        .library(name: "ShiftlogConsole", targets: ["ShiftlogConsole"]),
        .executable(name: "shiftlog", targets: ["ShiftlogCLI"]),
        .executable(name: "shiftlog-crash-driver", targets: ["ShiftlogCrashDriver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.25.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.17.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // The console's templates (DESIGN.md, "The console": why Mustache and not an HTML DSL).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Tests run the binary and tools as children without blocking Swift's task pool.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        // `swift package generate-documentation`: the libraries' DocC catalogues (scripts/docs).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C: LMDB from Debian's liblmdb-dev, found through pkg-config.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // C: the CRC-32C of stored records, with the SSE4.2 instruction where the CPU has it.
        .target(name: "CCRC32C"),
        // The pure core: events, commands, projections, decide/evolve. No I/O.
        .target(
            name: "ShiftlogCore",
            dependencies: [
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        // The LMDB event log, checkpoints and projection snapshots.
        .target(
            name: "ShiftlogStore",
            dependencies: ["CLMDB", "CCRC32C", "ShiftlogCore"],
            swiftSettings: strictSettings
        ),
        // The event log on PostgreSQL, shared by several instances (postgres-nio).
        .target(
            name: "ShiftlogPostgres",
            dependencies: [
                "ShiftlogCore",
                "ShiftlogStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The embeddable engine: serial writer, effect handlers, runtimes.
        .target(
            name: "ShiftlogEngine",
            dependencies: [
                "ShiftlogCore",
                "ShiftlogStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        // Real container runtimes: the Docker Engine API (over its Unix socket or TCP) and
        // local child processes.
        .target(
            name: "ShiftlogRuntimes",
            dependencies: [
                "ShiftlogCore",
                "ShiftlogEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Reading a log to explain it: filters, timelines, diffs, replay checks, what-if,
        // JSON lines, verification, and a generator of large logs.
        .target(
            name: "ShiftlogInspect",
            dependencies: ["ShiftlogCore", "ShiftlogStore", "ShiftlogEngine"],
            swiftSettings: strictSettings
        ),
        // The console: server-rendered pages over a live engine or a read-only copy of a log,
        // its templates, style sheet and script compiled into the module.
        .target(
            name: "ShiftlogConsole",
            dependencies: [
                "ShiftlogCore",
                "ShiftlogStore",
                "ShiftlogEngine",
                "ShiftlogInspect",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Resources/console.css"),
                .embedInCode("Resources/console.js"),
                .embedInCode("Resources/layout.mustache"),
                .embedInCode("Resources/overview.mustache"),
                .embedInCode("Resources/workers.mustache"),
                .embedInCode("Resources/items.mustache"),
                .embedInCode("Resources/item.mustache"),
                .embedInCode("Resources/events.mustache"),
                .embedInCode("Resources/event.mustache"),
                .embedInCode("Resources/sign-in.mustache"),
                .embedInCode("Resources/message.mustache"),
                .embedInCode("Resources/confirm.mustache"),
                .embedInCode("Resources/timeline.mustache"),
                .embedInCode("Resources/what-if.mustache"),
            ],
            swiftSettings: strictSettings
        ),
        // The HTTP service (`shiftlog serve`): whim's routes on Hummingbird, worker secrets,
        // the orchestrator loop, Prometheus metrics, all run as swift-service-lifecycle services.
        .target(
            name: "ShiftlogServer",
            dependencies: [
                "ShiftlogCore",
                "ShiftlogStore",
                "ShiftlogEngine",
                "ShiftlogConsole",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        // The `shiftlog` command-line tool.
        .executableTarget(
            name: "ShiftlogCLI",
            dependencies: [
                "ShiftlogEngine",
                "ShiftlogRuntimes",
                "ShiftlogServer",
                "ShiftlogConsole",
                "ShiftlogInspect",
                "ShiftlogStore",
                "ShiftlogPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The benchmark: the engine beside raw LMDB and PostgreSQL. No library depends on it.
        .executableTarget(
            name: "shiftlog-bench",
            dependencies: [
                "CLMDB",
                "ShiftlogCore",
                "ShiftlogStore",
                "ShiftlogPostgres",
                "ShiftlogEngine",
                "ShiftlogInspect",
                "ShiftlogServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ShiftlogBench",
            swiftSettings: strictSettings
        ),
        // The crash harness's driver (`scripts/crash-harness`): drives the engine (or `shiftlog
        // serve`, over HTTP) under load to be SIGKILLed, then checks what survived. No library
        // depends on it.
        .executableTarget(
            name: "ShiftlogCrashDriver",
            dependencies: [
                "ShiftlogCore",
                "ShiftlogStore",
                "ShiftlogEngine",
                "ShiftlogRuntimes",
                "ShiftlogInspect",
                "ShiftlogPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tools/CrashDriver",
            swiftSettings: strictSettings
        ),
        // libFuzzer harnesses, one per parser of outside bytes (`scripts/fuzz` builds them with
        // `-sanitize=fuzzer,address -DFUZZING`). Built normally, each replays the files named
        // on its command line instead. Kept off ShiftlogCLI so they stay small.
        .target(name: "FuzzSupport", path: "Fuzz/Support", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzRecordDecoder", dependencies: ["FuzzSupport", "ShiftlogCore", "ShiftlogStore"],
            path: "Fuzz/RecordDecoder", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzSnapshotDecoder", dependencies: ["FuzzSupport", "ShiftlogCore"],
            path: "Fuzz/SnapshotDecoder", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzJSONLinesImporter", dependencies: ["FuzzSupport", "ShiftlogCore", "ShiftlogStore", "ShiftlogInspect"],
            path: "Fuzz/JSONLinesImporter", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzTimestampParser", dependencies: ["FuzzSupport", "ShiftlogCore"],
            path: "Fuzz/TimestampParser", swiftSettings: strictSettings),
        // Writes the binary seeds in Fuzz/Corpus from an export (see its header).
        .executableTarget(
            name: "FuzzSeeds", dependencies: ["ShiftlogCore", "ShiftlogStore", "ShiftlogInspect"],
            path: "Fuzz/Seeds", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzStoreURL", dependencies: ["FuzzSupport", "ShiftlogPostgres"],
            path: "Fuzz/StoreURL", swiftSettings: strictSettings),
        .executableTarget(
            name: "FuzzHTTPBody", dependencies: ["FuzzSupport", "ShiftlogCore", "ShiftlogServer"],
            path: "Fuzz/HTTPBody", swiftSettings: strictSettings),
        .testTarget(
            name: "ShiftlogCoreTests",
            dependencies: ["ShiftlogCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ShiftlogStoreTests",
            dependencies: ["ShiftlogStore", .product(name: "Subprocess", package: "swift-subprocess"),
                           .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ShiftlogPostgresTests",
            dependencies: [
                "ShiftlogPostgres",
                "ShiftlogEngine",
                "ShiftlogStore",
                "ShiftlogCore",
                // To damage rows and drop the tests' schemas outside the store.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ShiftlogEngineTests",
            dependencies: [
                "ShiftlogEngine",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ShiftlogRuntimesTests",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"), .product(name: "SystemPackage", package: "swift-system"),
                "ShiftlogRuntimes",
                "ShiftlogEngine",
                "ShiftlogStore",
                "ShiftlogCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ShiftlogServerTests",
            dependencies: [
                "ShiftlogServer",
                "ShiftlogConsole",
                "ShiftlogEngine",
                "ShiftlogStore",
                "ShiftlogCore",
                "ShiftlogInspect",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // The router `serve` runs, with its `/metrics` route, for the OpenAPI document's check.
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ShiftlogCLITests",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"), .product(name: "SystemPackage", package: "swift-system"),
                "ShiftlogCLI",
                // To write into a log while the binary reads it (follow, damaged snapshots).
                "ShiftlogCore",
                "ShiftlogStore",
                "ShiftlogEngine",
                // To drive an import's staging folder directly (OperatorSlipTests).
                "ShiftlogInspect",
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
                // To call a running `shiftlog serve` (the end-to-end and load tests).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // Several `shiftlog serve` on one PostgreSQL log: to read that log, derive the
                // workers' credentials from the shared instance key, and drop the test's schema.
                "ShiftlogPostgres",
                "ShiftlogServer",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
