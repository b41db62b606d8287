import ChaosTestSupport
import Foundation
import XCTest

/// Concurrent ownership (issue #11): real chaosctl processes enable, redefine, expire,
/// disable and recover overlapping flags at random, some at once, some held in the
/// background until their expiry or SIGTERM. After every step:
///
/// * no revert removed or overwrote a definition its record did not write: a flag whose
///   write (tagged with a unique `w` param) changed must have been rewritten in the step,
///   disabled in the step, or its record must be gone (it was reverted);
/// * no ended definition comes back: a flag that was absent reappears only by a new write;
/// * `status --json` agrees with the file: each flag in the file is "in force" (or
///   "expired") on exactly the line of the record that wrote it, every other line for it
///   says otherwise, and every line "in force" names what the file holds.
///
/// Seeded: CHAOSCTL_PROPERTY_SEED repeats a run (the seed is in every failure message);
/// CHAOSCTL_PROPERTY_STEPS sets the length (default 30). Bounded to 90 s of steps.
final class FlagOwnershipPropertyTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/run/control.json", stateDir: temp.path + "/state")
    }

    func testRandomConcurrentFlagWorkKeepsOwnershipAndStatusInStep() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["CHAOSCTL_PROPERTY_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(UInt32.max))
        let steps = environment["CHAOSCTL_PROPERTY_STEPS"].flatMap { Int($0) } ?? 30
        var run = OwnershipRun(cli: cli, seed: seed)
        let deadline = Date().addingTimeInterval(90)
        var before = try run.snapshot()
        for step in 0..<steps where Date() < deadline {
            let outcome = try run.step()
            let after = try run.snapshot()
            run.check(before: before, after: after, outcome: outcome, step: step)
            before = after
            if (testRun?.totalFailureCount ?? 0) > 0 { break }
        }
        // End everything: what remains must be exactly what was there before any step.
        run.stopHolders()
        let recover = try cli.run(["recover", "--all"])
        XCTAssertEqual(recover.status, 0, "seed \(seed): \(recover.stderr)")
        let end = try run.snapshot()
        XCTAssertEqual(end.flags, [:], "seed \(seed): flags left after every record was reverted")
        XCTAssertTrue(end.lines.isEmpty, "seed \(seed): status still lists \(end.lines)")
        if (testRun?.totalFailureCount ?? 0) > 0 { print("FlagOwnershipPropertyTests seed: \(seed)") }
    }
}

/// One randomized run: the actions, the holders in the background, and the checks.
private struct OwnershipRun {
    let cli: Chaosctl
    let seed: UInt64
    var random: SplitMix64
    var nextWrite = 1
    var holders: [(process: Process, write: Int)] = []
    /// Record id → the write (w) it made, learnt from status; kept after the record ends.
    var writer: [Int: String] = [:]
    let names = ["a", "b", "c"]

    init(cli: Chaosctl, seed: UInt64) {
        self.cli = cli
        self.seed = seed
        random = SplitMix64(seed: seed)
    }

    struct Line: Equatable { var record: String; var flag: String; var state: String; var write: Int? }

    struct Snapshot {
        /// Flag → the write (w) the file holds.
        var flags: [String: Int]
        var lines: [Line]
        var records: Set<String>
    }

    struct StepOutcome {
        var description: [String] = []
        var newWrites: Set<Int> = []
        var disabled: Set<String> = []
    }

    enum Action {
        case enable(String, write: Int, forMilliseconds: Int?)
        case hold(String, write: Int, forMilliseconds: Int)
        case recover, recoverAll
        case disable(String)
        case terminateHolder
    }

    mutating func pickAction() -> Action {
        let name = names[Int(random.next() % UInt64(names.count))]
        let roll = random.next() % 100
        switch roll {
        case 0..<35:
            nextWrite += 1
            let expiring = random.next() % 2 == 0
            return .enable(name, write: nextWrite, forMilliseconds: expiring ? 300 + Int(random.next() % 900) : nil)
        case 35..<50:
            guard holders.count < 3 else { return .recover }
            nextWrite += 1
            return .hold(name, write: nextWrite, forMilliseconds: 400 + Int(random.next() % 1600))
        case 50..<68: return .recover
        case 68..<80: return .recoverAll
        case 80..<92: return .disable(name)
        default: return holders.isEmpty ? .recover : .terminateHolder
        }
    }

    /// One step: one action, or two or three at once.
    mutating func step() throws -> StepOutcome {
        let count = random.next() % 10 < 3 ? 2 + Int(random.next() % 2) : 1
        var outcome = StepOutcome()
        var running: [(Process, String)] = []
        for _ in 0..<count {
            let action = pickAction()
            switch action {
            case .enable(let name, let write, let ms):
                var args = ["flag", "enable", name, "--percent", String(write % 100), "--param", "w=w\(write)"]
                if let ms { args += ["--for", "\(ms)ms"] }
                running.append((try cli.start(args), "enable \(name) w\(write)" + (ms.map { " for \($0)ms" } ?? "")))
                outcome.newWrites.insert(write)
            case .hold(let name, let write, let ms):
                let p = try cli.start(["flag", "enable", name, "--param", "w=w\(write)", "--for", "\(ms)ms", "--wait"])
                holders.append((p, write))
                waitUntilJournaled(write: write, by: p)
                outcome.newWrites.insert(write)
                outcome.description.append("hold \(name) w\(write) for \(ms)ms (pid \(p.processIdentifier))")
            case .recover:
                running.append((try cli.start(["recover"]), "recover"))
            case .recoverAll:
                running.append((try cli.start(["recover", "--all"]), "recover --all"))
            case .disable(let name):
                running.append((try cli.start(["flag", "disable", "--ignore-missing", name]), "disable \(name)"))
                outcome.disabled.insert(name)
            case .terminateHolder:
                let index = Int(random.next() % UInt64(holders.count))
                kill(holders[index].process.processIdentifier, SIGTERM)
                outcome.description.append("SIGTERM holder of w\(holders[index].write)")
            }
        }
        for (process, what) in running {
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "seed \(seed): `\(what)` failed")
            outcome.description.append(what)
        }
        reapHolders()
        return outcome
    }

    /// A holder runs in the background: wait until its write is applied (or it ended), so
    /// the write belongs to this step and not to whichever step happens to see it first.
    func waitUntilJournaled(write: Int, by process: Process) {
        let faults = cli.stateDir + "/faults"
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: faults)) ?? [] where name.hasSuffix(".json") {
                guard let data = FileManager.default.contents(atPath: faults + "/" + name),
                      let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      record["state"] as? String == "applied",
                      Self.write(in: record["summary"] as? String ?? "") == write else { continue }
                return
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTAssertFalse(process.isRunning, "seed \(seed): holder of w\(write) did not apply within 10 s")
    }

    mutating func reapHolders() {
        holders.removeAll { holder in
            guard !holder.process.isRunning else { return false }
            let status = holder.process.terminationStatus
            XCTAssertTrue(status == 0 || status == 128 + SIGTERM, "seed \(seed): holder of w\(holder.write) exited \(status)")
            return true
        }
    }

    mutating func stopHolders() {
        for holder in holders where holder.process.isRunning { kill(holder.process.processIdentifier, SIGTERM) }
        for holder in holders { holder.process.waitUntilExit() }
        reapHolders()
    }

    /// File and status read so that they describe the same file: retried while a background
    /// holder changes the file in between.
    mutating func snapshot() throws -> Snapshot {
        for _ in 0..<50 {
            let (generation, flags) = try readFile()
            let status = try cli.run(["status", "--json", "--events", "0"])
            XCTAssertEqual(status.status, 0, "seed \(seed): status failed: \(status.stderr)")
            let (again, _) = try readFile()
            guard generation == again else { continue }
            let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            var lines: [Line] = []
            var records: Set<String> = []
            for fault in (report["faults"] as? [[String: Any]]) ?? [] {
                let id = try XCTUnwrap(fault["id"] as? String)
                records.insert(id)
                let summary = (fault["summary"] as? String) ?? ""
                let write = Self.write(in: summary)
                if let write { writer[write] = id }
                let entries = try XCTUnwrap(fault["flags"] as? [[String: Any]], "seed \(seed): record \(id) has no per-flag lines")
                for entry in entries {
                    lines.append(Line(record: id, flag: try XCTUnwrap(entry["name"] as? String),
                                      state: try XCTUnwrap(entry["state"] as? String), write: write))
                }
            }
            return Snapshot(flags: flags, lines: lines, records: records)
        }
        XCTFail("seed \(seed): the control file kept changing under status")
        return Snapshot(flags: [:], lines: [], records: [])
    }

    private func readFile() throws -> (Int, [String: Int]) {
        guard FileManager.default.fileExists(atPath: cli.controlPath) else { return (0, [:]) }
        let object = try jsonObject(atPath: cli.controlPath)
        var flags: [String: Int] = [:]
        for (name, value) in (object["flags"] as? [String: [String: Any]]) ?? [:] {
            let params = value["params"] as? [String: Any]
            let tag = try XCTUnwrap(params?["w"] as? String, "seed \(seed): flag \(name) carries no write tag: \(value)")
            flags[name] = try XCTUnwrap(Int(tag.dropFirst()))
        }
        return ((object["generation"] as? Int) ?? 0, flags)
    }

    /// The write tag in a summary such as `a: 37% w=w12 for 800ms`.
    static func write(in summary: String) -> Int? {
        guard let range = summary.range(of: #"w=\"?w[0-9]+"#, options: .regularExpression) else { return nil }
        return Int(summary[range].filter(\.isNumber))
    }

    func check(before: Snapshot, after: Snapshot, outcome: StepOutcome, step: Int) {
        let context = "seed \(seed) step \(step) [\(outcome.description.joined(separator: "; "))]\n before \(before.flags)\n after \(after.flags)\n status \(after.lines.map { "\($0.record) \($0.flag) w\($0.write ?? -1) \($0.state)" })"
        let live: Set<String> = ["in_force", "expired"]
        for name in names {
            let old = before.flags[name], now = after.flags[name]
            // Ownership: a write that changed was rewritten, disabled or reverted by its own record.
            if let old, now != old {
                let rewritten = now.map(outcome.newWrites.contains) ?? false
                let recordEnded = writer[old].map { !after.records.contains($0) } ?? true
                XCTAssertTrue(rewritten || outcome.disabled.contains(name) || recordEnded,
                              "write w\(old) of \(name) was replaced by \(now.map { "w\($0)" } ?? "nothing") while its record \(writer[old] ?? "?") still exists — \(context)")
            }
            // No resurrection: an absent flag comes back only through a new write.
            if old == nil, let now {
                XCTAssertTrue(outcome.newWrites.contains(now), "\(name) came back with the ended write w\(now) — \(context)")
            }
            // status agrees with the file.
            let lines = after.lines.filter { $0.flag == name }
            let inForce = lines.filter { live.contains($0.state) }
            if let now {
                XCTAssertEqual(inForce.map(\.write), [now as Int?], "status must show exactly the file's write of \(name) in force — \(context)")
            } else {
                XCTAssertEqual(inForce.count, 0, "status shows \(name) in force, the file has none — \(context)")
            }
        }
    }
}

/// SplitMix64: a tiny seedable generator, so a failing run can be repeated.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
