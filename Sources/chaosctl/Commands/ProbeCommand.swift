import ArgumentParser
import ChaosCore
import ChaosExperiment
import ChaosProbe
import ChaosReport
import Foundation

/// `chaosctl probe`: watch one endpoint at a fixed rate, ad hoc, while someone else breaks it.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Watch a URL, a TCP port or a command at a fixed rate and report errors, latency and recovery.",
        discussion: """
        Examples:
          chaosctl probe http://127.0.0.1:8080/health --interval 200ms --duration 60s
          chaosctl probe --tcp 127.0.0.1:6379
          chaosctl probe --command 'redis-cli ping' --expect-output PONG

        Exit status 0 if every sample was healthy, 1 otherwise (also when no sample was taken), 2 for a bad option. The reports state the same verdict: one check, "max_error_rate[watch]" at 0.
        """)

    @Argument(help: "URL for an HTTP probe (http:// or https://).") var url: String?
    @Option(help: ArgumentHelp("TCP probe: connect to host:port.", valueName: "host:port")) var tcp: String?
    @Option(help: "Command probe: run through /bin/sh -c.") var command: String?
    @Option(help: "HTTP: expected status or ranges (200, 200-299, 2xx).") var status = "200-299"
    @Option(help: "HTTP body / command stdout must match this regular expression.") var expectOutput: String?
    @Option(help: "Time between samples.") var interval = "200ms"
    @Option(help: "Stop after this long (default: until Ctrl-C).") var duration: String?
    @Option(help: "Per-sample timeout.") var timeout = "2s"
    @Option(parsing: .unconditional, help: "Consecutive healthy samples that count as recovered (1 or more).") var healthyAfter = 3
    @Option(help: ArgumentHelp("Also write the reports here.", valueName: "dir")) var reportDir: String?

    func validate() throws {
        if [url != nil, tcp != nil, command != nil].filter({ $0 }).count != 1 {
            throw ValidationError("give exactly one of: a URL, --tcp HOST:PORT, --command CMD")
        }
        guard RecoveryAnalyzer.healthyStreakRange.contains(healthyAfter) else {
            throw ValidationError("--healthy-after \(healthyAfter): must be \(RecoveryAnalyzer.healthyStreakRange.lowerBound) to \(RecoveryAnalyzer.healthyStreakRange.upperBound) samples")
        }
    }

    func run() throws {
        let (report, files): (RunReport, [String]) = try Failures.reporting {
            let every = try DurationParser.seconds(interval, field: "--interval")
            let limit = try DurationParser.seconds(timeout, field: "--timeout")
            let stopAfter = try duration.map { try DurationParser.seconds($0, field: "--duration") }
            guard every >= 0.001 else { throw ChaosError("--interval: '\(interval)' is below 1ms", exitCode: .usage) }
            let probe = try makeProbe(timeout: limit)
            // Refuse an unusable folder now, not after the whole watch.
            if let reportDir { try ReportWriter.prepare(reportDir) }
            let loop = ProbeLoop(probes: [probe], interval: every, phase: "watch")
            let progress = ProgressReporter()
            let done = DispatchSemaphore(value: 0)
            let trap = SignalTrap { _ in done.signal() }
            defer { trap.cancel() }
            loop.start()
            let deadline = stopAfter.map { Date().addingTimeInterval($0) }
            var wasHealthy = true
            var seen = 0
            while deadline.map({ Date() < $0 }) ?? true {
                if done.wait(timeout: .now() + min(0.25, every)) == .success { break }
                let samples = loop.currentPhaseSamples().samples
                // Log health transitions as they happen, so a human sees the outage and the recovery.
                for sample in samples.dropFirst(seen) where sample.ok != wasHealthy {
                    wasHealthy = sample.ok
                    progress.log(sample.ok ? "healthy again" : "unhealthy: \(sample.reason ?? "failed")")
                }
                seen = samples.count
                progress.update(ProgressReporter.Status(of: loop))
            }
            let run = loop.stop()
            progress.finish()
            // The exit status's rule, as a check the reports show: no failed sample at all.
            let analysis = RunAnalysis(run, objectives: [ServiceLevelObjectives(maxErrorRate: 0)],
                                       consecutiveHealthy: healthyAfter)
            let result = RunReport(title: "probe \(probe.name)", run: run, analysis: analysis)
            return (result, try reportDir.map { try ReportWriter.write(result, to: $0) } ?? [])
        }
        let stats = report.analysis.overall
        if let rate = stats.successRate, let p = stats.latency {
            print(String(format: "%d samples, %.2f%% ok; latency p50 %.1fms p95 %.1fms p99 %.1fms max %.1fms",
                         stats.count, rate * 100, p.p50Milliseconds, p.p95Milliseconds, p.p99Milliseconds, p.maxMilliseconds))
        } else if let rate = stats.successRate {
            print(String(format: "%d samples, %.2f%% ok; no latency measured", stats.count, rate * 100))
        } else {
            print("no samples")
        }
        print(report.verdict.text)
        if !files.isEmpty { print("Reports: \(files.joined(separator: ", "))") }
        if !report.passed { throw ArgumentParser.ExitCode(ChaosCore.ExitCode.failure.rawValue) }
    }

    private func makeProbe(timeout: Double) throws -> Probe {
        if let url {
            return try HTTPProbe(request: ProbeHTTPRequest(url: url), transport: CurlProbeTransport(),
                                 expectedStatus: try StatusExpectation(status), bodyPattern: expectOutput, timeout: timeout)
        }
        if let tcp {
            guard let colon = tcp.lastIndex(of: ":"), let port = UInt16(tcp[tcp.index(after: colon)...]) else {
                throw ChaosError("--tcp: '\(tcp)' is not host:port", exitCode: .usage)
            }
            return TCPProbe(host: String(tcp[..<colon]), port: port, timeout: timeout)
        }
        return try CommandProbe(invocation: .shell(command ?? "true"), stdoutPattern: expectOutput, timeout: timeout)
    }
}
