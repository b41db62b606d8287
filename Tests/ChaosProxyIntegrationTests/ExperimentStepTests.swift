import ChaosProxyAPI
import ChaosProxyClient
import ChaosTestSupport
import Foundation
import Glibc
import XCTest

/// `toxic:` and `proxy:` experiment steps run by `chaosctl run` against a real server: each
/// fault is in place during its step and gone afterwards.
final class ExperimentStepTests: IntegrationTestCase {
    func testToxicAndProxyDownStepsAreHeldForTheirDuration() throws {
        let temp = try TempDir()
        let chaosctl = Chaosctl(stateDir: temp.path + "/state")
        _ = try stack.createProxy("db")
        let file = temp.path + "/exp.yaml"
        try """
            title: proxy steps
            steady_state:
              probes:
                - tcp: {address: "\(stack.upstream.address)"}
              interval: 100ms
              before: 300ms
              after: 300ms
            method:
              - toxic: {api: "\(stack.api)", proxy: db, type: latency, stream: downstream, toxicity: 1,
                        attributes: {latency: 100, jitter: 10}}
                duration: 1500ms
              - proxy: {api: "\(stack.api)", name: db, enabled: false}
                duration: 1500ms
            """.write(toFile: file, atomically: true, encoding: .utf8)
        // The run goes in the background while this thread watches the server.
        let running = DispatchGroup(), box = DataBox()
        DispatchQueue.global().async(group: running) {
            let result = try? chaosctl.run(["run", file, "--report-dir", temp.path + "/report"], timeout: 60)
            box.data = Data("\(result?.status ?? -1)\n\(result?.stdout ?? "")\(result?.stderr ?? "")".utf8)
        }
        var sawToxic: RemoteToxic?, sawDisabled = false
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, running.wait(timeout: .now()) == .timedOut {
            if let proxy = try? stack.client.proxy("db") {
                if let toxic = proxy.toxics.first { sawToxic = toxic }
                if !proxy.enabled { sawDisabled = true }
            }
            usleep(50_000)
        }
        XCTAssertEqual(running.wait(timeout: .now() + 30), .success)
        let output = String(decoding: box.data, as: UTF8.self)
        XCTAssertTrue(output.hasPrefix("0\n"), output)
        XCTAssertEqual(sawToxic?.name, "latency_downstream", output)
        XCTAssertEqual(sawToxic?.attributes["latency"], .number("100"))
        XCTAssertTrue(sawDisabled, "the proxy step took the proxy down")
        let after = try stack.client.proxy("db")
        XCTAssertTrue(after.enabled, "re-enabled after its step")
        XCTAssertEqual(after.toxics.count, 0, "toxic removed after its step")
        XCTAssertEqual(try chaosctl.faults().count, 0)
    }

    func testInvalidStepsAreReportedWithTheirField() throws {
        let temp = try TempDir()
        let file = temp.path + "/bad.yaml"
        try """
            steady_state:
              probes: [{tcp: "127.0.0.1:1"}]
            method:
              - toxic: {type: latency, stream: sideways}
              - proxy: {name: db, enabled: true}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Chaosctl(stateDir: temp.path).run(["validate", file])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("needs 'proxy'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("must be one of upstream, downstream"), result.stderr)
        XCTAssertTrue(result.stderr.contains("only 'enabled: false'"), result.stderr)
    }
}
