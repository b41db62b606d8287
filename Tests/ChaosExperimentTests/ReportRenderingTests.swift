import ChaosTestSupport
import ChaosCore
import ChaosExperiment
import ChaosFlags
import ChaosReport
import Foundation
import XCTest

/// The HTML report as a person sees it: rendered by headless Chromium, then the screenshot's
/// pixels are checked for the chart (shaded fault window, latency points, red failures).
final class ReportRenderingTests: XCTestCase {
    func testChromiumRendersTheTimelineChart() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw fixtureUnavailable("chromium is not installed (scripts/install-deps.sh installs it)")
        }
        let dir = NSTemporaryDirectory() + "chaos-render-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let service = try FlaggedTestService(controlPath: dir + "/control.json", recoveryDelay: 0.2)
        defer { service.stop() }
        let file = dir + "/exp.yaml"
        try """
        title: rendering check
        steady_state:
          interval: 50ms
          before: 500ms
          after: 800ms
          probes:
            - http: {url: "\(service.url)"}
        method:
          - name: break it
            flag: {name: broken}
            duration: 700ms
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let experiment = try ExperimentParser.load(file: file, context: ExperimentContext(controlPath: dir + "/control.json",
                                                                                             httpTransport: CurlProbeTransport()))
        let runner = ExperimentRunner(experiment: experiment,
                                      lifecycle: FaultLifecycle(journal: FaultJournal(directory: dir + "/state"), reverters: [FlagReverter()]),
                                      options: .init(reportDirectory: dir + "/report",
                                                     progress: ProgressReporter(isTerminal: false, logInterval: 1000, write: { _ in }),
                                                     log: { _ in }))
        let result = try runner.run()
        XCTAssertGreaterThan(result.report.analysis.overall.failures, 0, "the fault must show as failures")

        let shot = dir + "/shot.png"
        let chrome = try Self.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                             "--screenshot=\(shot)", "--window-size=1280,900",
                                             "file://\(dir)/report/report.html"], timeout: 90)
        XCTAssertTrue(FileManager.default.fileExists(atPath: shot), "no screenshot: \(chrome)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/png_colors.py").path
        // Colours from TimelineChart: fault window #f6d5d5 at 0.7 opacity over #fbfbfb,
        // healthy samples #3a6ea5, failed samples #d11.
        let output = try Self.run("/usr/bin/python3", [script, shot, "fault=f8e1e1/3", "ok=3a6ea5/20", "failed=dd1111/25"], timeout: 60)
        let counts = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Int], output)
        XCTAssertEqual(counts["width"], 1280)
        // 700 ms of a ~2.5 s run across a ~800 px wide, ~235 px tall plot: tens of thousands of pixels.
        XCTAssertGreaterThan(counts["fault"] ?? 0, 5_000, "fault window not shaded: \(counts)")
        XCTAssertGreaterThan(counts["ok"] ?? 0, 100, "healthy samples not drawn: \(counts)")
        XCTAssertGreaterThan(counts["failed"] ?? 0, 20, "failed samples not drawn in red: \(counts)")
    }

    private static func run(_ tool: String, _ args: [String], timeout: Double) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        let data = CapturedOutput()
        let reader = Thread { data.set(out.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning { p.terminate(); p.waitUntilExit() }
        p.waitUntilExit()
        return String(decoding: data.wait(), as: UTF8.self)
    }
}

/// Output read on another thread; `wait()` returns once the pipe hit EOF.
// @unchecked Sendable: `data` is written before `done` is signalled and read only after waiting on it.
final class CapturedOutput: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()
    func set(_ d: Data) { data = d; done.signal() }
    func wait() -> Data { done.wait(); done.signal(); return data }
}
