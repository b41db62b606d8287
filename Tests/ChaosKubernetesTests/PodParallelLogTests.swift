import ChaosCore
import ChaosTargets
import Foundation
import Synchronization
import XCTest

/// Parallel pod actions take turns calling the runner's `log`: a caller's closure (the CLI's
/// printer, a test's array) need not be thread-safe.
final class PodParallelLogTests: KubeDoubleTestCase {
    func testParallelActionsNeverCallTheLogAtOnce() throws {
        let d = try start()
        let inside = Atomic<Int>(0)
        let overlaps = Atomic<Int>(0)
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: nil) { _ in
            if inside.add(1, ordering: .sequentiallyConsistent).newValue > 1 { overlaps.add(1, ordering: .relaxed) }
            usleep(50_000)  // stay inside long enough for a second caller to run into us
            inside.subtract(1, ordering: .sequentiallyConsistent)
        }
        let rounds = try runner.run(PodChaosPlan(
            action: .kill, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .count(3), maxPercent: 100),
            gracePeriodSeconds: 0, seed: 5, parallel: true))
        XCTAssertEqual(rounds[0].results.count, 3)
        XCTAssertEqual(overlaps.load(ordering: .relaxed), 0)
    }
}
