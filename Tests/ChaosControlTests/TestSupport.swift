import ChaosControl
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory per test under the system temp dir, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("chaoscontrol-test-XXXXXX")
        var template = Array(base.utf8CString)
        guard let created = mkdtemp(&template) else {
            throw ControlFileError(.io, reason: "mkdtemp failed")
        }
        path = String(cString: created)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns the time it took, or nil
/// on timeout. Used instead of fixed sleeps so tests are both fast and tolerant.
@discardableResult
func waitUntil(timeout: TimeInterval, pollEvery: TimeInterval = 0.0005, _ condition: () -> Bool) -> TimeInterval? {
    let start = Date()
    while true {
        if condition() { return Date().timeIntervalSince(start) }
        if Date().timeIntervalSince(start) > timeout { return nil }
        usleep(useconds_t(pollEvery * 1_000_000))
    }
}

/// Writes bytes in place, non-atomically (open O_TRUNC + write), as a careless editor would.
func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    precondition(fd >= 0, "cannot open \(path)")
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    precondition(written == bytes.count, "short write to \(path)")
    close(fd)
}

func readBytes(_ path: String) -> Data? {
    FileManager.default.contents(atPath: path)
}

/// The helper executable built next to the test bundle.
func writerHelperPath() -> String {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var candidates = [bundle.appendingPathComponent("control-writer-helper").path]
    for bundleItem in Bundle.allBundles {
        candidates.append(bundleItem.bundleURL.deletingLastPathComponent().appendingPathComponent("control-writer-helper").path)
    }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
}

/// Starts the writer helper as a child process.
func startWriterHelper(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: writerHelperPath())
    process.arguments = arguments
    try process.run()
    return process
}
