import Foundation
import XCTest

/// Runs the real `chaosctl` binary built next to the test bundle, with an isolated
/// control file and state directory.
struct Chaosctl {
    let controlPath: String
    let stateDir: String

    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        // The xctest binary lives in .build/<config>/<name>.xctest on Linux.
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return dir + "/chaosctl"
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CHAOS_CONTROL_PATH"] = controlPath
        env["CHAOSCTL_STATE_DIR"] = stateDir
        return env
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Start chaosctl without waiting (for concurrency and signal tests).
    func start(_ args: [String], stdout: FileHandle? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.environment = environment
        p.standardOutput = stdout ?? FileHandle.nullDevice
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
        // Read both pipes fully before waiting, so a chatty child never blocks on a full pipe.
        let outData = DataBox(), errData = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            p.terminate()
            XCTFail("chaosctl \(args) did not finish within \(timeout)s")
        }
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
                      stderr: String(decoding: errData.data, as: UTF8.self))
    }
}

/// Filled by one reader thread, read after the group is done.
final class DataBox: @unchecked Sendable { var data = Data() }

/// A fresh directory per test, removed afterwards.
final class TempDir {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "chaosctl-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func jsonObject(atPath path: String) throws -> [String: Any] {
    let data = try XCTUnwrap(FileManager.default.contents(atPath: path), "missing \(path)")
    return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}
