import ChaosTestSupport
import Foundation
import XCTest

/// scripts/install-deps.sh --build (the demo's, README's first command) installs what
/// building and running chaosctl needs and none of the test suites' heavy packages, which
/// come with --test (scripts/test.sh) alone.
final class InstallDepsTests: XCTestCase {
    /// Named in issue #12: what the demo never uses.
    private let testOnly: Set = ["docker.io", "podman", "conmon", "runc", "qemu-system-x86", "chromium", "prometheus",
                                 "busybox-static"]

    private func packages(_ set: String) throws -> [String] {
        let (status, output) = runProcess(["/bin/bash", packageRoot + "/scripts/install-deps.sh", set, "--print"])
        XCTAssertEqual(status, 0, output)
        return output.split(separator: "\n").map(String.init)
    }

    func testTheBuildSetHasNoneOfTheTestOnlyPackages() throws {
        let build = Set(try packages("--build"))
        XCTAssertEqual(build.intersection(testOnly), [], "test-only packages in install-deps.sh's build_packages")
        XCTAssertFalse(build.contains { $0.hasPrefix("pip:") }, "PyPI packages are for tests: \(build.sorted())")
        let test = Set(try packages("--test"))
        XCTAssertTrue(test.isSuperset(of: build), "the test command builds too")
        XCTAssertTrue(test.isSuperset(of: testOnly), "the test command still installs \(testOnly.subtracting(test).sorted())")
    }

    func testTheBuildSetHasWhatBuildingAndTheDemoNeed() throws {
        let build = Set(try packages("--build"))
        // Package.swift's system libraries, found through pkg-config.
        let providers = try PackageManifest.load().targets.flatMap(\.aptProviders)
        XCTAssertFalse(providers.isEmpty)
        XCTAssertTrue(build.isSuperset(of: providers + ["pkg-config"]),
                      "missing from build_packages: \(Set(providers + ["pkg-config"]).subtracting(build).sorted())")
        // The demo experiment's load command is a curl loop.
        let demo = try String(contentsOfFile: packageRoot + "/experiments/demo.yaml", encoding: .utf8)
        if demo.contains("curl ") { XCTAssertTrue(build.contains("curl"), "experiments/demo.yaml's load runs curl") }
    }
}
