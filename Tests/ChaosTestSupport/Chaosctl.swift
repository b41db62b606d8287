import Foundation
import XCTest

/// Runs the real `chaosctl` binary built next to the test bundle, with an isolated state
/// directory and control file, never inheriting a proxy token or URL from the caller.
public struct Chaosctl {
    public let controlPath: String
    public let stateDir: String
    public var extraEnvironment: [String: String]
    /// The directory chaosctl runs in (default: the test's own, the package root).
    public var workingDirectory: String?

    public init(controlPath: String? = nil, stateDir: String, extraEnvironment: [String: String] = [:]) {
        self.controlPath = controlPath ?? stateDir + "/control.json"
        self.stateDir = stateDir
        self.extraEnvironment = extraEnvironment
    }

    /// The binary SwiftPM built beside the test bundle (.build/<config>/<name>.xctest on Linux).
    public static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return dir + "/chaosctl"
    }

    public var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CHAOS_CONTROL_PATH"] = controlPath
        env["CHAOSCTL_STATE_DIR"] = stateDir
        env.removeValue(forKey: "CHAOSCTL_PROXY_TOKEN")
        env.removeValue(forKey: "TOXIPROXY_URL")
        for (key, value) in extraEnvironment { env[key] = value }
        return env
    }

    public struct Result {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Start chaosctl without waiting (concurrency and signal tests); stderr is discarded
    /// unless `stderr` is given.
    public func start(_ args: [String], stdout: FileHandle? = nil, stderr: FileHandle? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.environment = environment
        if let workingDirectory { p.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        p.standardOutput = stdout ?? FileHandle.nullDevice
        p.standardError = stderr ?? FileHandle.nullDevice
        try p.run()
        return p
    }

    @discardableResult
    public func run(_ args: [String], timeout: TimeInterval = 30) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.environment = environment
        if let workingDirectory { p.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes fully before waiting, so a chatty child never blocks on a full pipe.
        let outData = DataBox(), errData = DataBox()
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
}

/// Filled by one reader thread, read after the group is done.
// @unchecked Sendable: filled by one reader thread, read only after that thread is done.
public final class DataBox: @unchecked Sendable {
    public var data = Data()
    public init() {}
}

/// A fresh directory per test, removed when the last reference goes (set it to nil in
/// tearDown: XCTest keeps test-case instances alive until the suite ends).
public final class TempDir {
    public let path: String
    public init(prefix: String = "chaosctl-test") throws {
        path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

public func jsonObject(atPath path: String) throws -> [String: Any] {
    let data = try XCTUnwrap(FileManager.default.contents(atPath: path), "missing \(path)")
    return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}
