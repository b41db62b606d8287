import ChaosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crashes a container by SIGKILLing its main process from the host. The engine then sees
/// an unexpected exit (not an API kill, which it records as a manual stop), so restart
/// policies such as `always` and `on-failure` bring the container back.
public enum HostProcessCrash {
    /// Check that `details.state.pid` is this host's process of that container: its
    /// /proc/PID/cgroup must name the container ID. Guards against a remote engine (the PID
    /// would be some unrelated local process) and against PID reuse.
    public static func verifiedPid(_ details: ContainerDetails) throws -> Int32 {
        let pid = Int32(details.state.pid)
        guard details.state.running, pid > 0 else {
            throw ContainerEngineError(reason: .notRunning, operation: "crash", container: details.name, status: 0,
                                       engineMessage: "no main process")
        }
        guard let cgroup = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8),
              cgroup.contains(details.id) else {
            throw ContainerEngineError(reason: .unsupported, operation: "crash", container: details.name, status: 0,
                                       engineMessage: "cannot crash container \(details.name): its main process (pid \(pid)) is not visible on this host; the engine is remote or in another PID namespace (use `kill --signal SIGKILL`, which the engine treats as a manual stop)")
        }
        return pid
    }

    /// SIGKILL the verified main process.
    public static func crash(_ details: ContainerDetails) throws -> Int32 {
        let pid = try verifiedPid(details)
        if Glibc.kill(pid, SIGKILL) != 0 {
            if errno == ESRCH {
                throw ContainerEngineError(reason: .notRunning, operation: "crash", container: details.name, status: 0,
                                           engineMessage: "process exited before it could be killed")
            }
            throw ChaosError.errno("cannot SIGKILL pid \(pid) of container \(details.name)")
        }
        return pid
    }
}
