import ChaosTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #11, signals: `tbf apply` in a namespace this test makes, SIGINT/SIGTERM at a random
/// instant 0–500 ms after start; every process ends within 2 s with 128+n and leaves no qdisc
/// and no journal record. (netem: the same loop runs in the netem VM, scripts/netem-vm-guest.sh.)
final class TbfSignalStressTests: NetnsPairTestCase {
    func testTbfApplyEndsRevertedWhateverTheInstant() throws {
        let probe = try probePath()
        let environment = ["CHAOSCTL_STATE_DIR": state!, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        var stress = SignalStress(seed: 0x11_0A)
        var bad: [String] = []
        for i in 0..<30 {
            let round = try stress.round(i) {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: probe)
                p.arguments = ["tbf", "apply", "--dev", pair.devA, "--netns", pair.a,
                               "--rate", "8mbit", "--burst", "32kb", "--latency", "100ms", "--for", "30s"]
                p.environment = environment
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                return p
            }
            var left: [String] = []
            let qdiscs = pair.qdiscs(ns: pair.a, dev: pair.devA)
            if qdiscs.contains("ca05:") { left.append("qdisc left: \(qdiscs)") }
            let records = ((try? FileManager.default.contentsOfDirectory(atPath: state + "/faults")) ?? []).filter { $0.hasSuffix(".json") }
            if !records.isEmpty { left.append("journal records left: \(records)") }
            if !round.endedByTheSignal || !left.isEmpty { bad.append("\(round) \(left)") }
            if !left.isEmpty { sh([probe, "recover", "--all"], environment: ["CHAOSCTL_STATE_DIR": state]) }
        }
        XCTAssertEqual(bad, [], "seed 0x110A")
    }
}
