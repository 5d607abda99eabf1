// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "corerecon",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "corerecon", targets: ["CoreReconCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // zlib, for reading .gz alert files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // libcurl, for mail over SMTP (STARTTLS, implicit TLS, AUTH) in notifications.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // libzstd, for compressed backups (`backup --out FILE.zst`).
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", providers: [.apt(["libzstd-dev"])]),
        // Domain: models, services, repository protocols, errors. Foundation, Logging, Yams, plus SHA-256 for
        // fingerprints and zlib for compressed input.
        .target(
            name: "CoreRecon",
            dependencies: [
                "CZlib",
                "CZstd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // One SQL layer over SQLite and PostgreSQL, the migrations, and the HTTP client for downloads and feeds.
        .target(
            name: "CoreReconStore",
            dependencies: [
                "CoreRecon",
                "CCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // HTTP API.
        .target(
            name: "CoreReconServer",
            dependencies: [
                "CoreRecon",
                "CoreReconStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The `corerecon` executable.
        .executableTarget(
            name: "CoreReconCLI",
            dependencies: [
                "CoreRecon",
                "CoreReconStore",
                "CoreReconServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The parsers of outside bytes as fuzz targets, for libFuzzer (scripts/fuzz) and the regression replay.
        .target(
            name: "CoreReconFuzzTargets",
            dependencies: ["CoreRecon"]
        ),
        // `CoreReconFuzz TARGET FILE...` replays inputs; built by scripts/fuzz, it is a libFuzzer binary.
        .executableTarget(
            name: "CoreReconFuzz",
            dependencies: ["CoreReconFuzzTargets"]
        ),
        // Temporary databases and fixtures for tests.
        .target(
            name: "CoreReconTestSupport",
            dependencies: [
                "CoreRecon", "CoreReconStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "CoreReconTests",
            dependencies: ["CoreRecon", "CoreReconTestSupport", "CoreReconFuzzTargets"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CoreReconStoreTests",
            dependencies: [
                "CoreReconStore", "CoreReconTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CoreReconServerTests",
            dependencies: [
                "CoreReconServer", "CoreReconStore", "CoreReconTestSupport", "CoreReconFuzzTargets",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "CoreReconCLITests",
            dependencies: ["CoreReconCLI", "CoreReconTestSupport", "CoreReconFuzzTargets"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
