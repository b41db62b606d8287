import Foundation
import XCTest

/// Runs the real `chaosctl` binary (built next to the test bundle) with a private state
/// directory, against a given API.
struct Chaosctl {
    let stateDir: String
    var extraEnvironment: [String: String] = [:]

    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return dir + "/chaosctl"
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CHAOSCTL_STATE_DIR"] = stateDir
        env.removeValue(forKey: "CHAOSCTL_PROXY_TOKEN")
        env.removeValue(forKey: "TOXIPROXY_URL")
        for (key, value) in extraEnvironment { env[key] = value }
        return env
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts chaosctl and returns at once (signal tests); output is discarded.
    func start(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @discardableResult
    func run(_ args: [String], timeout: TimeInterval = 30) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let outData = Box(), errData = Box()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            kill(p.processIdentifier, SIGKILL)
            XCTFail("chaosctl \(args) did not finish within \(timeout)s")
        }
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
                      stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// Journal records as `status --json` reports them.
    func faults() throws -> [[String: Any]] {
        let result = try run(["status", "--json", "--events", "0"])
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let faults = object["faults"] as? [[String: Any]] else {
            throw Sockets.Failure(description: "unexpected status --json: \(result.stdout) \(result.stderr)")
        }
        return faults
    }

    final class Box: @unchecked Sendable { var data = Data() }
}

/// A fresh directory per test, removed afterwards.
final class TempDir {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "chaosctl-proxy-int-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
