import ChaosConfig
import ChaosTargets
import Foundation
import XCTest

/// Issue #11 item 12 for kubeconfig files (the CLI test covers a regular file over the limit).
final class KubeConfigSizeLimitTests: XCTestCase {
    /// `--kubeconfig /dev/zero` (or a pipe that never ends) is cut off at the limit.
    func testAnEndlessKubeconfigIsCutOffAtTheLimit() {
        XCTAssertThrowsError(try KubeConfigLoader.resolve(kubeconfig: "/dev/zero", environment: [:])) { error in
            XCTAssertEqual(error as? InputFileTooLarge,
                           InputFileTooLarge(path: "/dev/zero", what: "kubeconfig", size: nil,
                                             limit: KubeConfigLoader.maximumFileBytes))
        }
    }

    func testAKubeconfigAtTheLimitIsRead() throws {
        let file = NSTemporaryDirectory() + "kubeconfig-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let text = """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]
            contexts: [{name: c, context: {cluster: k}}]

            """
        try Data((text + String(repeating: "#", count: KubeConfigLoader.maximumFileBytes - text.utf8.count)).utf8)
            .write(to: URL(fileURLWithPath: file))
        let target = try KubeConfigLoader.resolve(kubeconfig: file, environment: [:])
        XCTAssertEqual(target.server, "https://127.0.0.1:1")
    }
}
