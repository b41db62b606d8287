import ArgumentParser
import ChaosControl
import ChaosCore
import ChaosFlags
import Foundation

/// A guided round trip on a throw-away control file: what a service linking ChaosControl
/// sees while chaosctl flips flags. Everything happens in a temp directory and is removed.
struct DemoFlagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flags",
        abstract: "A short guided round trip of flags on a temporary control file.")

    @Option(help: "Simulated service calls per step.") var calls = 20_000
    @Option(help: "Seed for the reader's random decisions (reproducible output).") var seed: UInt64 = 42
    @Option(help: "Profile directory.") var profiles = "fault-profiles"

    func run() throws {
        try Failures.reporting {
            let dir = NSTemporaryDirectory() + "chaosctl-demo-\(getpid())"
            try AtomicFile.ensureDirectory(dir)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let path = dir + "/control.json"
            let lifecycle = Lifecycle.make(journal: FaultJournal(directory: dir + "/state"))

            print("== chaosctl demo: control file \(path)")
            let reader = ControlFileReader(path: path, seed: seed)
            defer { reader.stop() }
            let names = ["slow-db", "drop-s3", "fail-auth", "rate-limit-spike"]
            let handles = names.map(reader.flag)

            step("1. No file yet: a missing control file means no faults.")
            sample(handles, reader: reader)

            step("2. chaosctl flag enable slow-db --percent 50 --latency-ms 150 --jitter-ms 50")
            var slow = FlagSetting(name: "slow-db")
            slow.percent = 50; slow.latencyMs = 150; slow.jitterMs = 50
            try apply([slow], lifecycle: lifecycle, path: path, reader: reader)
            sample(handles, reader: reader)

            step("3. chaosctl profile apply \(profiles)/mixed-soak.yaml (one atomic write, \(names.count) flags)")
            let profile = try ProfileLookup.load("mixed-soak", directory: profiles).profile
            try apply(profile.flags, lifecycle: lifecycle, path: path, reader: reader)
            sample(handles, reader: reader)

            step("4. A flag with --for 300ms turns itself off without another write.")
            var brief = FlagSetting(name: "fail-auth")
            brief.mode = "fail"; brief.forSeconds = 0.3
            try apply([brief], lifecycle: lifecycle, path: path, reader: reader)
            sample(handles, reader: reader)
            Thread.sleep(forTimeInterval: 0.35)
            print("   after 350 ms:")
            sample(handles, reader: reader)

            step("5. chaosctl recover --all: every journaled change is reverted, newest first.")
            let outcome = lifecycle.recover(all: true)
            print("   reverted \(outcome.reverted.count) journaled change(s)")
            waitForGeneration(reader, atLeast: 1)
            sample(handles, reader: reader)
            print("\nDone. The same steps from a shell: chaosctl flag enable|list|disable, chaosctl profile apply, chaosctl status, chaosctl recover.")
        }
    }

    private func step(_ text: String) { print("\n" + text) }

    private func apply(_ settings: [FlagSetting], lifecycle: FaultLifecycle, path: String, reader: ControlFileReader) throws {
        let before = reader.currentGeneration
        let written = Date()
        try lifecycle.apply(FlagSetFault(path: path, settings: settings), held: false)
        waitForGeneration(reader, atLeast: before + 1)
        print(String(format: "   reader saw generation %llu after %.1f ms", reader.currentGeneration,
                     Date().timeIntervalSince(written) * 1000))
    }

    private func waitForGeneration(_ reader: ControlFileReader, atLeast generation: UInt64) {
        let deadline = Date().addingTimeInterval(2)
        while reader.currentGeneration < generation && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
    }

    /// Simulate `calls` service calls per flag and print what fired.
    private func sample(_ handles: [FlagHandle], reader: ControlFileReader) {
        for handle in handles {
            var fired = 0
            var delay: UInt64 = 0
            for _ in 0..<calls {
                let d = handle.decide()
                if d.fires { fired += 1; delay += d.delayNanoseconds }
            }
            let share = Double(fired) * 100 / Double(calls)
            var line = "   " + handle.name.padding(toLength: 17, withPad: " ", startingAt: 0)
                + String(format: " fired %6.2f%% of %d calls", share, calls)
            if fired > 0 && delay > 0 { line += String(format: ", mean injected delay %.1f ms", Double(delay) / Double(fired) / 1e6) }
            if let mode = handle.definition?.mode, fired > 0 { line += ", mode \(mode.rawValue)" }
            if let severity = handle.definition?.severity, fired > 0 { line += ", severity \(severity.rawValue)" }
            if let maxHits = handle.definition?.maxHits { line += " (max_hits \(maxHits) per process)" }
            print(line)
        }
    }
}
