import ChaosCore
import Foundation

/// Where `chaosctl-stress-worker` is: $CHAOSCTL_STRESS_WORKER, else beside the running
/// executable (chaosctl, or a test bundle in the same build directory).
public enum StressWorkerExecutable {
    public static let name = "chaosctl-stress-worker"

    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let given = environment["CHAOSCTL_STRESS_WORKER"], !given.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: given) else {
                throw ChaosError("CHAOSCTL_STRESS_WORKER=\(given) is not an executable file", exitCode: .usage)
            }
            return given
        }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        let path = dir + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ChaosError("\(name) is not installed beside \(exe) (looked for \(path)); install it next to chaosctl or set CHAOSCTL_STRESS_WORKER",
                             exitCode: .unsupported)
        }
        return path
    }
}
