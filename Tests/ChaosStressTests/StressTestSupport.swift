import ChaosCore
import ChaosStress
import ChaosTestSupport
import Foundation
import XCTest

/// A `sleep` in cgroups this test made (cpu, cpuacct and memory v1, each a child of the
/// test process's own cgroup there): a target whose cgroups show only the workers' usage.
final class TestCgroup {
    let name = "chaosctl-stress-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    private(set) var directories: [String: String] = [:]
    let sleeper: Process

    init(memoryLimit: UInt64? = nil) throws {
        try requireFixture(getuid() == 0, "moving processes between cgroups needs root")
        let own = CgroupPlacement.currentProcessTree()
        for controller in ["cpu", "cpuacct", "memory"] {
            guard let parent = own.directory(v1Controller: controller) else {
                throw fixtureUnavailable("no cgroup v1 \(controller) hierarchy mounted here")
            }
            let dir = parent.path + "/" + name
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
            directories[controller] = dir
        }
        if let memoryLimit { try String(memoryLimit).write(toFile: directories["memory"]! + "/memory.limit_in_bytes", atomically: false, encoding: .utf8) }
        sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["300"]
        try sleeper.run()
        for dir in directories.values {
            try "\(sleeper.processIdentifier)\n".write(toFile: dir + "/cgroup.procs", atomically: false, encoding: .utf8)
        }
    }

    var pid: Int32 { sleeper.processIdentifier }

    /// Nanoseconds of CPU every process in the cgroup used (cpuacct.usage).
    func cpuUsage() -> UInt64 { number(directories["cpuacct"]! + "/cpuacct.usage") }
    func memoryUsage() -> UInt64 { number(directories["memory"]! + "/memory.usage_in_bytes") }

    private func number(_ file: String) -> UInt64 {
        UInt64(((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    deinit {
        sleeper.terminate()
        sleeper.waitUntilExit()
        // A cgroup can be removed once empty; the workers are gone by now (each test ends them).
        for dir in directories.values { rmdir(dir) }
    }
}

enum StressTestWait {
    /// Poll `condition` every 50 ms for up to `seconds`; true once it held. Generous limits:
    /// a loaded machine is slow, never wrong.
    static func until(_ seconds: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }
}

extension FaultJournal {
    /// The applied stress records' workers, once there is an applied one.
    func appliedStressWorkers() -> [StressWorkerID]? {
        guard let record = records().0.first(where: { $0.kind == StressFault.kind && $0.state == .applied }) else { return nil }
        return StressWorkerID.list(record.revertData["workers"] ?? "")
    }
}

/// Processes running the worker executable this build made (other worktrees' workers have
/// another path): what "nothing started" is checked against.
func runningWorkersOfThisBuild() -> [Int32] {
    let worker = (try? StressWorkerExecutable.locate()) ?? "?"
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe") else { return false }
        return exe == worker && (WorkerProcessInfo.read(pid).map { !$0.isZombie } ?? false)
    }
}
