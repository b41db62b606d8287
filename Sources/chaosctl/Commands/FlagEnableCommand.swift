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
        The change is one atomic write under the writers' lock, journaled so `chaosctl recover` can restore the previous definition. With --for the flag carries an expires_at: readers treat it as off from then on even if chaosctl never runs again.

        Examples:
          chaosctl flag enable slow-db --percent 50 --latency 150ms --jitter 50ms
          chaosctl flag enable slow-db --latency-ms 150 --for 15m --wait
          chaosctl flag enable fail-auth --mode fallback
          chaosctl flag enable drop-s3 --percent 10 --param operation=put
        """)

    @OptionGroup var control: ControlFileOptions
    @OptionGroup var state: StateOptions

    @Argument(help: "Flag name: a-z, 0-9, '.', '_', '-'.") var name: String
    // `.unconditional`: "-1" is a (refused) value, not a missing one.
    @Option(parsing: .unconditional, help: "Share of calls that fire, 0-100 (default 100).") var percent: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Delay to inject (150ms, 1.5s).", valueName: "duration")) var latency: String?
    @Option(name: .customLong("latency-ms"), parsing: .unconditional, help: "Delay to inject, in ms (the control file's latency_ms).")
    var latencyMs: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Uniform ± jitter around the latency (50ms).", valueName: "duration")) var jitter: String?
    @Option(name: .customLong("jitter-ms"), parsing: .unconditional, help: "Uniform ± jitter around the latency, in ms.") var jitterMs: Int?
    @Option(help: "fail | fallback") var mode: String?
    @Option(help: "soft | hard") var severity: String?
    @Option(name: .customLong("max-hits"), parsing: .unconditional, help: "Stop firing after this many hits in each reading process.")
    var maxHits: Int?
    @Option(name: .customLong("param"), help: ArgumentHelp("Service-specific parameter (repeatable).", valueName: "key=value"))
    var params: [String] = []
    @Option(parsing: .unconditional, help: ArgumentHelp("Seed of this flag's own percent/jitter sequence (0 to 2^53-1): readers without a seed of their own replay the same decisions.", valueName: "n"))
    var seed: UInt64?
    @Option(name: .customLong("for"), parsing: .unconditional, help: ArgumentHelp("Turn the flag off after this long (15m, 90s, 1h30m).", valueName: "duration"))
    var duration: String?
    @ArgumentParser.Flag(help: "Stay in the foreground and revert on expiry, SIGINT or SIGTERM.") var wait = false

    func validate() throws {
        if latency != nil && latencyMs != nil { throw ValidationError("give --latency or --latency-ms, not both") }
        if jitter != nil && jitterMs != nil { throw ValidationError("give --jitter or --jitter-ms, not both") }
    }

    func run() throws {
        try Failures.reporting {
            var setting = FlagSetting(name: name)
            setting.percent = percent
            setting.latencyMs = try latency.map { try Self.milliseconds($0, option: "--latency", flag: name) } ?? latencyMs
            setting.jitterMs = try jitter.map { try Self.milliseconds($0, option: "--jitter", flag: name) } ?? jitterMs
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
            _ = try setting.flag()
            setting.warnings.forEach(Failures.printWarning)
            if wait && setting.forSeconds == nil && isatty(0) == 0 {
                // Holding forever without a terminal is allowed (until a signal); say so.
                Failures.printWarning("holding \(name) until SIGINT/SIGTERM")
            }
            try FlagApply.apply(settings: [setting], replace: false, control: control, state: state, wait: wait)
        }
    }

    /// A duration option as the control file's whole milliseconds.
    static func milliseconds(_ text: String, option: String, flag: String) throws -> Int {
        let field = "flag \"\(flag)\": \(option)"
        let ms = try DurationParser.seconds(text, field: field) * 1000
        guard ms == ms.rounded(), ms <= Double(Int32.max) else {
            throw ChaosError("\(field): '\(text)' is not a whole number of milliseconds up to 24 days", exitCode: .usage)
        }
        return Int(ms)
    }
}
