import XCTest
import Foundation

/// Run `argv` (an absolute executable path first) to completion with `environment` added to
/// ours; returns its exit status and its stdout and stderr together. For test set-up and
/// inspection commands (docker, nsenter, engine scripts), not for the binary under test.
@discardableResult
public func runProcess(_ argv: [String], environment: [String: String] = [:]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: argv[0])
    process.arguments = Array(argv.dropFirst())
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return (-1, "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Stop the calling test unless `python3` can import `module` (installed by
/// scripts/install-deps.sh): a skip locally, a failure under CI (see `fixtureUnavailable`).
public func requirePythonModule(_ module: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let (status, _) = runProcess(["/usr/bin/env", "python3", "-c", "import \(module)"])
    if status == -1 { throw fixtureUnavailable("python3 not available", file: file, line: line) }
    guard status == 0 else { throw fixtureUnavailable("\(module) is not installed (scripts/install-deps.sh)", file: file, line: line) }
}
