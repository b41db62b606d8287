// swift-tools-version:6.0
import PackageDescription

// Module layering (dependencies point one way; see docs/architecture.md):
//   ChaosControl   control-file protocol — the light library services link
//   ChaosCore      durations, randomness, fault lifecycle journal, errors
//   ChaosProxy     epoll data plane (no HTTP, no JSON, no files)
//   ChaosProxyAPI  Toxiproxy-compatible HTTP control API over ChaosProxy
//   ChaosNet       netem / tbf through libnl, network namespaces
//   ChaosHTTP      libcurl client
//   ChaosTargets   Docker and Kubernetes adapters
//   ChaosProbe     probes and the steady-state probe loop
//   ChaosExperiment experiment files, runner, reports
//   chaosctl       the CLI: parsing and printing only
let package = Package(
    name: "chaosctl",
    products: [
        .library(name: "ChaosControl", targets: ["ChaosControl"]),
        .executable(name: "chaosctl", targets: ["chaosctl"]),
        .executable(name: "chaos-bench", targets: ["chaos-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        // C shims: Linux-only calls that need _GNU_SOURCE, and variadic C APIs.
        .target(name: "CChaosLinux"),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .systemLibrary(name: "CNetlink", pkgConfig: "libnl-route-3.0",
                       providers: [.apt(["libnl-3-dev", "libnl-route-3-dev"])]),

        .target(name: "ChaosControl"),
        .target(name: "ChaosCore", dependencies: [
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChaosProxy", dependencies: ["ChaosCore", "CChaosLinux"]),
        .target(name: "ChaosProxyAPI", dependencies: ["ChaosProxy", "ChaosCore"]),
        .target(name: "ChaosNet", dependencies: ["ChaosCore", "CNetlink", "CChaosLinux"]),
        .target(name: "ChaosHTTP", dependencies: ["CCurl", "CCurlShim", "ChaosCore"]),
        .target(name: "ChaosTargets", dependencies: ["ChaosHTTP", "ChaosCore"]),
        .target(name: "ChaosProbe", dependencies: [
            "ChaosHTTP", "ChaosCore",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        .target(name: "ChaosExperiment", dependencies: [
            "ChaosCore", "ChaosControl", "ChaosProbe", "ChaosProxyAPI", "ChaosNet", "ChaosTargets",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "chaosctl", dependencies: [
            "ChaosCore", "ChaosControl", "ChaosProxy", "ChaosProxyAPI", "ChaosNet",
            "ChaosHTTP", "ChaosTargets", "ChaosProbe", "ChaosExperiment",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmarks live in their own executable, never in timed unit tests.
        .executableTarget(name: "chaos-bench", dependencies: [
            "ChaosControl", "ChaosCore",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),

        // Test targets: one per module, added with the module's tests.
        .testTarget(name: "ChaosHTTPTests", dependencies: ["ChaosHTTP", "ChaosCore"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ChaosTargetsTests", dependencies: ["ChaosTargets", "ChaosHTTP", "ChaosCore"],
                    exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
