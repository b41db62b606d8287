import ArgumentParser
import ChaosControl
import ChaosCore
import ChaosFlags
import Foundation

struct FlagEnableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Enable (or redefine) a flag.",
        discussion: """
        The change is one atomic write under the writers' lock, journaled so `chaosctl recover`
        can restore the previous definition. With --for the flag carries an expires_at: readers
        treat it as off from then on even if chaosctl never runs again.

        Examples:
          chaosctl flag enable slow-db --percent 50 --latency-ms 150 --jitter-ms 50 --for 15m
          chaosctl flag enable fail-auth --mode fallback
          chaosctl flag enable drop-s3 --percent 10 --param operation=put
        """)

    @OptionGroup var control: ControlFileOptions
    @OptionGroup var state: StateOptions

    @Argument(help: "Flag name: a-z, 0-9, '.', '_', '-'.") var name: String
    @Option(help: "Share of calls that fire, 0-100 (default 100).") var percent: Double?
    @Option(name: .customLong("latency-ms"), help: "Delay to inject, in ms.") var latencyMs: Int?
    @Option(name: .customLong("jitter-ms"), help: "Uniform ± jitter around the latency, in ms.") var jitterMs: Int?
    @Option(help: "fail | fallback") var mode: String?
    @Option(help: "soft | hard") var severity: String?
    @Option(name: .customLong("max-hits"), help: "Stop firing after this many hits in each reading process.") var maxHits: Int?
    @Option(name: .customLong("param"), help: ArgumentHelp("Service-specific parameter (repeatable).", valueName: "key=value"))
    var params: [String] = []
    @Option(help: ArgumentHelp("Seed of this flag's own percent/jitter sequence (0 to 2^53-1): readers without a seed of their own replay the same decisions.", valueName: "n"))
    var seed: UInt64?
    @Option(name: .customLong("for"), help: ArgumentHelp("Turn the flag off after this long (15m, 90s, 1h30m).", valueName: "duration"))
    var duration: String?
    @ArgumentParser.Flag(help: "Stay in the foreground and revert on expiry, SIGINT or SIGTERM.") var wait = false

    func run() throws {
        try Failures.reporting {
            var setting = FlagSetting(name: name)
            setting.percent = percent
            setting.latencyMs = latencyMs
            setting.jitterMs = jitterMs
            setting.mode = mode
            setting.severity = severity
            setting.maxHits = maxHits
            setting.seed = seed
            for param in params {
                guard let eq = param.firstIndex(of: "="), eq != param.startIndex else {
                    throw ChaosError("flag \"\(name)\": --param '\(param)' must be key=value", exitCode: .usage)
                }
                setting.params[String(param[..<eq])] = FlagParam(parsing: String(param[param.index(after: eq)...]))
            }
            if let duration { setting.forSeconds = try DurationParser.seconds(duration, field: "flag \"\(name)\": --for") }
            if wait && setting.forSeconds == nil && !isatty(0).boolValue {
                // Holding forever without a terminal is allowed (until a signal); say so.
                FileHandleOutput.note("holding \(name) until SIGINT/SIGTERM")
            }
            try FlagApply.apply(settings: [setting], replace: false, control: control, state: state, wait: wait)
        }
    }
}

private extension Int32 { var boolValue: Bool { self != 0 } }
