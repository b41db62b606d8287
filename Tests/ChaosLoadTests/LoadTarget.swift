import ChaosLoad
import ChaosTestSupport
import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The loopback HTTP target of Fixtures/load_target.py: the test switches its error rate and
/// latency at instants it records with both clocks, as the journal records a fault's.
final class LoadTarget {
    let process = Process()
    let port: Int

    init() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/load_target.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "90"]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { throw fixtureUnavailable("python3 cannot run: \(error)") }
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8), text.hasPrefix("PORT "),
              let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw fixtureUnavailable("load_target.py did not start")
        }
        self.port = port
    }

    deinit { stop() }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
    }

    var url: String { "http://127.0.0.1:\(port)/work" }

    /// The instants of one injected fault, each recorded right after the target switched.
    struct InjectedFault {
        var start: ClockReading
        var end: ClockReading
        /// When the target really became healthy again (`lingering` after `end`).
        var healthy: ClockReading
    }

    /// Healthy for `pre` s, then every 2nd request fails with `delay` ms added for `duration` s;
    /// the fault then "ends" but its failures linger `lingering` s more. `checkpoint` runs
    /// after `pre` and after `duration` (for live reads).
    func inject(after pre: Double, for duration: Double, delayMilliseconds delay: Double, lingering: Double,
                checkpoint: () -> Void = {}) throws -> InjectedFault {
        Thread.sleep(forTimeInterval: pre)
        checkpoint()
        let start = try set(failEvery: 2, delayMilliseconds: delay)
        Thread.sleep(forTimeInterval: duration)
        checkpoint()
        let end = try set(failEvery: 2, delayMilliseconds: 0)
        Thread.sleep(forTimeInterval: lingering)
        return InjectedFault(start: start, end: end, healthy: try set(failEvery: 0, delayMilliseconds: 0))
    }

    /// Switches the target's mode; returns the instant after it answered (the change happened before).
    @discardableResult
    func set(failEvery: Int, delayMilliseconds: Double) throws -> ClockReading {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/mode")!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: ["fail_every": failEvery, "delay_ms": delayMilliseconds])
        final class Answer: @unchecked Sendable {  // written once before the semaphore signals
            var status = 0
        }
        let done = DispatchSemaphore(value: 0)
        let answer = Answer()
        URLSession.shared.dataTask(with: request) { _, response, _ in
            answer.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 5)
        let status = answer.status
        guard status == 200 else { throw FixtureFailure(reason: "load_target.py /mode answered \(status)") }
        return ClockReading.now()
    }
}

/// Resolves a generator installed by scripts/install-deps.sh (pip puts it on PATH).
func generatorPath(_ name: String) throws -> String {
    let (status, output) = runProcess(["/usr/bin/env", "sh", "-c", "command -v \(name)"])
    let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
    try requireFixture(status == 0 && !path.isEmpty, "\(name) is not installed (scripts/install-deps.sh)")
    return path
}

/// A generator started with the argv ChaosLoad prepared, bounded in time.
final class GeneratorRun {
    let process = Process()

    init(argv: [String], directory: String) throws {
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        _ = FileManager.default.createFile(atPath: directory + "/generator.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/generator.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// Waits at most `seconds`, then SIGKILLs it; returns how it ended and when.
    func wait(seconds: Double) -> GeneratorExit {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let ended = ClockReading.now()
        if process.terminationReason == .uncaughtSignal {
            return GeneratorExit(exitCode: nil, signal: process.terminationStatus, endedAt: ended)
        }
        return GeneratorExit(exitCode: process.terminationStatus, endedAt: ended)
    }
}

func temporaryDirectory(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "chaosload-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
