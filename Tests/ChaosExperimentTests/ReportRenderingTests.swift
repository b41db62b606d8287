import ChaosTestSupport
import ChaosCore
import ChaosExperiment
import ChaosFlags
import ChaosReport
import Foundation
import XCTest

/// The HTML report as a person sees it: rendered by headless Chromium, then the screenshot's
/// pixels are checked for the chart: over the whole page (shaded fault window, latency
/// points, red failures), and at the places the SVG says it drew each mark (the step name in
/// its window, every legend item, the SLO lines, the recovery line, failures in their own
/// lane and none on the latency axis, the rate panel's lines).
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
        slo:
          - p95_ms: 200
          - max_error_rate: 50%
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

        let html = try String(contentsOfFile: dir + "/report/report.html", encoding: .utf8)
        _ = try Self.run("/usr/bin/python3", [script, shot, "--rgb", dir + "/shot.ppm"], timeout: 60)
        try checkMarksWhereTheChartPlacedThem(SVGElements(firstSVGIn: html), Screenshot(ppm: dir + "/shot.ppm"))
    }

    /// Each mark's place comes from the SVG; the screenshot must show its colour there. The
    /// SVG's place on the page is found from the first fault window's top-left corner.
    private func checkMarksWhereTheChartPlacedThem(_ chart: SVGElements, _ shot: Screenshot) throws {
        typealias C = Screenshot.Colour
        let window = try XCTUnwrap(chart.withClass("fault-window").first, "no fault window in the SVG")
        // #f6d5d5 at 0.7 over the lane (#f1f1f1) or the plot (#fbfbfb): within 4 of #f6dede.
        let corner = try XCTUnwrap(shot.firstRun(of: C("#f6dede"), tolerance: 4, length: 30), "no shaded fault window on screen")
        let dx = Double(corner.x) - window.number("x"), dy = Double(corner.y) - window.number("y")
        func px(_ v: Double) -> Int { Int((v + dx).rounded()) }
        func py(_ v: Double) -> Int { Int((v + dy).rounded()) }
        func count(_ colour: C, _ tolerance: Int, x: (Double, Double), y: (Double, Double)) -> Int {
            shot.count(colour, tolerance: tolerance, x: px(x.0)...px(x.1), y: py(y.0)...py(y.1))
        }
        let textWidth = { (text: String) in Double(text.count) * 6.2 }

        // The step name, in its own dark red, inside the window.
        let label = try XCTUnwrap(chart.withClass("fault-label").first)
        XCTAssertEqual(label.text, "break it")
        let labelInk = count(C("#7a1f1f"), 60, x: (label.number("x"), label.number("x") + textWidth(label.text)),
                             y: (label.number("y") - 10, label.number("y") + 3))
        XCTAssertGreaterThan(labelInk, 25, "the fault window's step name is not drawn")

        // Every legend item: its swatch in its colour, and its words beside it.
        let items = chart.withClass("legend-item")
        XCTAssertGreaterThanOrEqual(items.count, 6, "legend: \(chart.all.filter { $0.name == "text" }.map(\.text))")
        for item in items {
            let parts = (item.attributes["transform"] ?? "").dropFirst("translate(".count).dropLast().split(separator: ",")
            let (x, y) = (Double(parts[0]) ?? .nan, Double(parts[1]) ?? .nan)
            let index = try XCTUnwrap(chart.all.firstIndex { $0.attributes == item.attributes && $0.name == "g" })
            let swatch = chart.all[index + 1], words = chart.all[index + 2]
            XCTAssertTrue(swatch.classes.contains("legend-swatch"))
            var colour = C(swatch.attributes["fill"].flatMap { $0 == "none" ? nil : $0 } ?? swatch.attributes["stroke"] ?? "#000000")
            if let opacity = swatch.attributes["fill-opacity"].flatMap(Double.init) { colour = colour.over(white: opacity) }
            XCTAssertGreaterThan(count(colour, 30, x: (x, x + 16), y: (y - 6, y + 6)), 8, "legend swatch of '\(words.text)' not drawn")
            XCTAssertGreaterThan(count(C("#333333"), 90, x: (x + 22, x + 22 + textWidth(words.text)), y: (y - 8, y + 5)), 15,
                                 "legend text '\(words.text)' not drawn")
        }

        // The p95 limit: a dashed orange line across the latency plot at 200 ms.
        let p95 = try XCTUnwrap(chart.withClass("slo-limit").first { $0.title.hasPrefix("p95") })
        let y95 = p95.number("y1"), length = p95.number("x2") - p95.number("x1")
        XCTAssertGreaterThan(Double(count(C("#e07000"), 40, x: (p95.number("x1") + 2, p95.number("x2") - 2), y: (y95 - 2, y95 + 2))),
                             0.4 * length, "the p95 SLO line is not drawn")

        // Failed checks: red crosses in their lane, none on the latency axis (where a fast
        // refusal would read as a fast answer).
        let lane = try XCTUnwrap(chart.withClass("failure-lane").first)
        let area = try XCTUnwrap(chart.withClass("latency-area").first)
        XCTAssertGreaterThan(count(C("#dd1111"), 40, x: (lane.number("x"), lane.number("x") + lane.number("width")),
                                   y: (lane.number("y"), lane.number("y") + lane.number("height"))), 20, "no failure in the failed lane")
        XCTAssertEqual(count(C("#dd1111"), 40, x: (area.number("x") + 3, area.number("x") + area.number("width") - 3),
                             y: (area.number("y") + 3, area.number("y") + area.number("height") - 3)), 0,
                       "a failed check is drawn on the latency axis")

        // Recovery: a green line where it was reached.
        let recovery = try XCTUnwrap(chart.withClass("recovery-mark").first, "the run recovered but no recovery line is in the SVG")
        let rx = recovery.number("x1")
        XCTAssertGreaterThan(Double(count(C("#1a9a3a"), 40, x: (rx - 2, rx + 2), y: (recovery.number("y1"), recovery.number("y2")))),
                             0.5 * (recovery.number("y2") - recovery.number("y1")), "the recovery line is not drawn")

        // The rate panel: checks/s, error rate and the error-rate limit.
        let rates = try XCTUnwrap(chart.withClass("rate-area").first)
        let inRates = { (colour: String) in
            count(C(colour), 40, x: (rates.number("x"), rates.number("x") + rates.number("width")),
                  y: (rates.number("y") - 2, rates.number("y") + rates.number("height") + 2))
        }
        XCTAssertGreaterThan(inRates("#7b3fa0"), 50, "no request-rate line")
        XCTAssertGreaterThan(inRates("#c2185b"), 50, "no error-rate line")
        XCTAssertGreaterThan(inRates("#e07000"), 50, "no error-rate SLO line")
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
