import ChaosCore
import Foundation

/// A process's CPU and memory limits as the kernel holds them (cgroup v1 files), in Docker's
/// `HostConfig` terms: what Podman 4.3 has in force after a libpod update, which its inspect
/// does not show (it reports the limits the container was created with).
enum CgroupLimits {
    /// The cgroup v1 "no memory limit" (PAGE_COUNTER_MAX in bytes, as the kernel reports it).
    static let unlimitedBytes: Int64 = 9_223_372_036_854_771_712

    /// - Parameter root: the cgroup mount (tests may point it elsewhere).
    static func of(pid: Int, root: String = "/sys/fs/cgroup") throws -> ContainerResources {
        let membership = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)
        func path(_ controller: String) throws -> String {
            // v1 lines: "4:memory:/libpod_parent/libpod-ID"; "1:cpu,cpuacct:/…" when co-mounted.
            for line in membership.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count == 3, parts[1].split(separator: ",").contains(Substring(controller)) else { continue }
                let mount = FileManager.default.fileExists(atPath: "\(root)/\(controller)") ? controller : String(parts[1])
                return "\(root)/\(mount)\(parts[2])"
            }
            throw ChaosError("pid \(pid) has no cgroup v1 \(controller) controller (/proc/\(pid)/cgroup); reading limits from cgroup v2 is not supported",
                             exitCode: .unsupported)
        }
        func read(_ file: String) throws -> Int64 {
            let text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let value = Int64(text) else { throw ChaosError("\(file): '\(text)' is not a number") }
            return value
        }
        let cpu = try path("cpu"), memory = try path("memory")
        var r = ContainerResources()
        let quota = try read(cpu + "/cpu.cfs_quota_us")
        r.cpuQuota = quota < 0 ? 0 : quota
        r.cpuPeriod = try read(cpu + "/cpu.cfs_period_us")
        r.cpuShares = try read(cpu + "/cpu.shares")
        let limit = try read(memory + "/memory.limit_in_bytes")
        r.memory = limit >= unlimitedBytes ? 0 : limit
        // Without swap accounting there is no memsw file: swap is not limited.
        let swapFile = memory + "/memory.memsw.limit_in_bytes"
        let swap = FileManager.default.fileExists(atPath: swapFile) ? try read(swapFile) : unlimitedBytes
        r.memorySwap = swap >= unlimitedBytes ? -1 : swap
        return r
    }
}
