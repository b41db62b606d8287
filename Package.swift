// swift-tools-version:6.0
import PackageDescription

// Every module, its job and its dependencies: docs/architecture.md (a test compares that
// table with this file: Tests/CLITests/ArchitectureDocTests.swift).
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
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
    ],
    targets: [
        // C shims: Linux-only calls that need _GNU_SOURCE, and variadic C APIs.
        .target(name: "CChaosLinux"),
        // chaosctl only: blocks SIGINT/SIGTERM before main, so no early signal is lost.
        .target(name: "CChaosLaunch"),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .systemLibrary(name: "CNetlink", pkgConfig: "libnl-route-3.0",
                       providers: [.apt(["libnl-3-dev", "libnl-route-3-dev"])]),
        .systemLibrary(name: "CNftables", pkgConfig: "libnftnl",
                       providers: [.apt(["libnftnl-dev", "libmnl-dev"])]),

        // The one JSONValue (control file and Toxiproxy API alike); no dependencies, so
        // ChaosControl stays light for the services that link it.
        .target(name: "ChaosJSON", swiftSettings: [.swiftLanguageMode(.v6)]),
        // The one monotonic clock and the one atomic-file writer; no dependencies, so the
        // control-file library and the rest of chaosctl share them without depending on each other.
        .target(name: "ChaosSystem", swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "ChaosControl", dependencies: ["ChaosJSON", "ChaosSystem"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "ChaosCore", dependencies: ["ChaosSystem", "CChaosLinux"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "ChaosConfig", dependencies: [
            "ChaosCore", .product(name: "Yams", package: "Yams"),
        ], swiftSettings: [.swiftLanguageMode(.v6)]),
        // The shipped fault profiles are compiled in, so `profile apply NAME` works anywhere.
        .target(name: "ChaosFlags", dependencies: ["ChaosControl", "ChaosCore", "ChaosConfig"],
                resources: [
                    .embedInCode("../../fault-profiles/flaky-storage.yaml"),
                    .embedInCode("../../fault-profiles/hard-backpressure.yaml"),
                    .embedInCode("../../fault-profiles/mixed-soak.yaml"),
                    .embedInCode("../../fault-profiles/slow-dependencies.yaml"),
                ],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "ChaosProxy", dependencies: ["ChaosSystem", "ChaosCore", "CChaosLinux"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        // A small HTTP/1.1 server on plain sockets: the proxy API and the demo service use it.
        .target(name: "ChaosHTTPServer", dependencies: ["ChaosSystem", "CChaosLinux"]),
        // The demo service and its TCP dependency, for `chaosctl demo` and end-to-end tests;
        // the demo experiment and its generator scripts are compiled in, so `chaosctl demo`
        // works from any directory.
        .target(name: "ChaosDemo", dependencies: ["ChaosControl", "ChaosHTTPServer"],
                resources: [.embedInCode("../../experiments/demo.yaml"), .embedInCode("../../experiments/k6/soak.js"),
                            .embedInCode("../../experiments/locust/locustfile.py")]),
        // What the Toxiproxy server and client both need lives here, not in either of them:
        // the server must not link libcurl, the client must not link the epoll data plane.
        .target(name: "ChaosProxyModel", swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "ChaosProxyAPI", dependencies: ["ChaosProxy", "ChaosSystem", "ChaosCore", "ChaosHTTPServer", "ChaosJSON", "ChaosProxyModel"]),
        .target(name: "ChaosProxyClient", dependencies: ["ChaosHTTP", "ChaosCore", "ChaosConfig", "ChaosJSON", "ChaosProxyModel"],
                swiftSettings: [.swiftLanguageMode(.v6)]),
        .target(name: "ChaosNet", dependencies: ["ChaosCore", "CNetlink", "CNftables", "CChaosLinux"]),
        .target(name: "ChaosHTTP", dependencies: ["CCurl", "CCurlShim", "ChaosCore"]),
        .target(name: "ChaosTargets", dependencies: [
            "ChaosHTTP", "ChaosSystem", "ChaosCore", "ChaosConfig", .product(name: "Yams", package: "Yams"),
        ]),
        // CPU and memory pressure inside a target's cgroups; the workers are their own tiny executable.
        .target(name: "ChaosStress", dependencies: ["ChaosSystem", "ChaosCore", "CChaosLinux"]),
        .executableTarget(name: "chaosctl-stress-worker"),
        // ChaosProbe reaches HTTP through its own HTTPProbeTransport seam, bound to ChaosHTTP by
        // the caller, so it does not link libcurl itself.
        .target(name: "ChaosProbe", dependencies: [
            "ChaosSystem", "ChaosCore",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], swiftSettings: [.swiftLanguageMode(.v6)]),
        // Load-generator results (k6, Locust, per-request JSONL): tail, parse, cut by phase.
        .target(name: "ChaosLoad", dependencies: [
            "ChaosSystem", "ChaosCore",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        // ChaosLoad's ingest benchmark (scripts/bench-load.sh).
        .executableTarget(name: "chaos-load-bench", dependencies: ["ChaosLoad", "ChaosSystem"]),
        // Run reports (journal.json, report.md, junit.xml, report.html) and the live status line.
        .target(name: "ChaosReport", dependencies: ["ChaosProbe", "ChaosSystem", "ChaosCore", "ChaosLoad"]),
        .target(name: "ChaosExperiment", dependencies: [
            "ChaosCore", "ChaosControl", "ChaosConfig", "ChaosFlags", "ChaosProbe", "ChaosReport", "ChaosHTTP",
            "ChaosProxyClient", "ChaosNet", "ChaosTargets", "ChaosLoad", "ChaosStress",
        ]),
        .executableTarget(name: "chaosctl", dependencies: [
            "ChaosCore", "ChaosControl", "ChaosConfig", "ChaosFlags", "ChaosProxy", "ChaosProxyAPI", "ChaosProxyClient", "ChaosProxyModel",
            "ChaosNet", "ChaosHTTP", "ChaosTargets", "ChaosProbe", "ChaosReport", "ChaosExperiment", "ChaosDemo", "ChaosHTTPServer",
            "CChaosLaunch", "ChaosStress", "chaosctl-stress-worker",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmarks live in their own executable, never in timed unit tests.
        .executableTarget(name: "chaos-bench", dependencies: [
            "ChaosControl",
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ], linkerSettings: [
            // Exports the bench's counting malloc so every library's calls bind to it
            // (see Sources/chaos-bench/MallocCounter.swift).
            .unsafeFlags(["-Xlinker", "--export-dynamic"]),
        ]),
        // Runs docs/conformance/ vectors through ChaosControl (scripts/test-clients.sh).
        .executableTarget(name: "control-conformance", dependencies: ["ChaosControl"]),
        // Test helper: a separate process that writes the control file (concurrency tests).
        .executableTarget(name: "control-writer-helper", dependencies: ["ChaosControl"],
                          path: "Tests/ControlWriterHelper"),

        // Loopback benchmark of the proxy data plane (latency-toxic accuracy, throughput).
        .executableTarget(name: "proxy-bench", dependencies: ["ChaosProxy", "ChaosSystem"]),
        // The probe loop's drift and CPU benchmark (scripts/bench-probe.sh).
        .executableTarget(name: "chaos-probe-bench", dependencies: ["ChaosProbe", "ChaosSystem"]),

        // Fuzz targets (libFuzzer): scripts/fuzz.sh builds them in .build-fuzz with
        // -sanitize=fuzzer,address and -DCHAOS_FUZZING; in a normal build each is a replay
        // tool that runs its harness over the files named on its command line.
        .target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "fuzz-http-request", dependencies: ["ChaosHTTPServer", "FuzzSupport"],
                          path: "Fuzz/HTTPRequest"),
        .executableTarget(name: "fuzz-proxy-json", dependencies: ["ChaosProxyAPI", "ChaosJSON", "FuzzSupport"],
                          path: "Fuzz/ProxyJSON"),
        .executableTarget(name: "fuzz-api-router", dependencies: ["ChaosProxyAPI", "ChaosProxy", "ChaosHTTPServer", "FuzzSupport"],
                          path: "Fuzz/APIRouter"),
        .executableTarget(name: "fuzz-control-document", dependencies: ["ChaosControl", "FuzzSupport"],
                          path: "Fuzz/ControlDocument"),
        .executableTarget(name: "fuzz-experiment", dependencies: ["ChaosExperiment", "ChaosConfig", "FuzzSupport"],
                          path: "Fuzz/Experiment"),
        .executableTarget(name: "fuzz-kubeconfig", dependencies: ["ChaosTargets", "FuzzSupport"],
                          path: "Fuzz/KubeConfig"),
        .executableTarget(name: "fuzz-tc-units", dependencies: ["ChaosNet", "FuzzSupport"],
                          path: "Fuzz/TcUnits"),
        .executableTarget(name: "fuzz-load-output", dependencies: ["ChaosLoad", "FuzzSupport"],
                          path: "Fuzz/LoadOutput"),

        // Shared by the test targets that drive the real chaosctl binary.
        .target(name: "ChaosTestSupport", path: "Tests/ChaosTestSupport"),
        // The helpers' own tests (a missing fixture fails under CI=true).
        .testTarget(name: "ChaosTestSupportTests", dependencies: ["ChaosTestSupport"]),
        .testTarget(name: "ChaosCoreTests", dependencies: ["ChaosCore"]),
        // Drives the real chaosctl binary (the dependency makes `swift test` build it).
        .testTarget(name: "CLITests", dependencies: ["chaosctl", "ChaosTestSupport"]),
        .testTarget(name: "ChaosControlTests", dependencies: ["ChaosControl", "control-writer-helper"]),
        .testTarget(name: "ChaosProbeTests", dependencies: ["ChaosProbe", "ChaosReport", "ChaosCore", "ChaosTestSupport"],
                    exclude: ["Fixtures"]),
        // Real k6 and Locust against a loopback target (Fixtures/load_target.py).
        .testTarget(name: "ChaosLoadTests", dependencies: ["ChaosLoad", "ChaosCore", "ChaosTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ChaosHTTPTests", dependencies: ["ChaosHTTP", "ChaosCore", "ChaosTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ChaosProxyTests", dependencies: ["ChaosProxy", "ChaosTestSupport"]),
        .testTarget(name: "ChaosExperimentTests", dependencies: [
            "ChaosExperiment", "ChaosControl", "ChaosCore", "ChaosConfig", "ChaosFlags", "ChaosReport", "ChaosHTTPServer",
            "ChaosProbe", "ChaosProxy", "ChaosProxyAPI", "ChaosProxyClient", "ChaosTestSupport", "ChaosNet", "ChaosTargets", "ChaosLoad",
        ], exclude: ["Fixtures"]),
        .testTarget(name: "ChaosProxyAPITests", dependencies: ["ChaosProxyAPI", "ChaosProxyClient", "ChaosHTTPServer", "ChaosTestSupport"]),
        // The client against the real ToxiproxyServer on 127.0.0.1, and the step parsers.
        .testTarget(name: "ChaosProxyClientTests", dependencies: [
            "ChaosProxyClient", "ChaosProxyAPI", "ChaosProxy", "ChaosConfig", "ChaosCore", "ChaosTestSupport",
        ]),
        // The Kubernetes adapter against a kube-apiserver double (Fixtures/, python3 + TLS).
        .testTarget(name: "ChaosKubernetesTests", dependencies: ["ChaosTargets", "ChaosCore", "ChaosConfig", "ChaosTestSupport", "chaosctl"],
                    exclude: ["Fixtures"]),
        // Drives chaosctl's netem/tbf commands for real (the dependency builds the binary).
        .testTarget(name: "ChaosNetTests", dependencies: ["ChaosNet", "ChaosCore", "chaosctl", "ChaosTestSupport",
                                                     "ChaosExperiment", "ChaosConfig"]),
        .testTarget(name: "ChaosTargetsTests", dependencies: ["ChaosTargets", "ChaosHTTP", "ChaosCore", "ChaosTestSupport"],
                    exclude: ["Fixtures"]),
        // Real CPU and memory stress on this process tree and in a real dockerd's container
        // (scripts/docker-engine.sh), through the chaosctl binary and the library.
        .testTarget(name: "ChaosStressTests", dependencies: ["ChaosStress", "ChaosCore", "chaosctl", "chaosctl-stress-worker",
                                                        "ChaosTestSupport", "ChaosExperiment", "ChaosConfig"]),
        // Replays every input in fuzz/regressions/ through its fuzz target's replay tool.
        .testTarget(name: "FuzzRegressionTests", dependencies: [
            "ChaosTestSupport", "fuzz-http-request", "fuzz-proxy-json", "fuzz-api-router", "fuzz-control-document",
            "fuzz-experiment", "fuzz-kubeconfig", "fuzz-tc-units", "fuzz-load-output",
        ]),
        // Real sockets on 127.0.0.1: ToxiproxyServer over EpollProxyEngine, plus the chaosctl
        // binary for the CLI round trip and the SIGKILL/recover test.
        .testTarget(name: "ChaosProxyIntegrationTests", dependencies: [
            "ChaosProxy", "ChaosProxyAPI", "ChaosProxyClient", "ChaosCore", "ChaosHTTP", "chaosctl",
            "ChaosTestSupport",
        ]),
    ],
    swiftLanguageModes: [.v5]
)
