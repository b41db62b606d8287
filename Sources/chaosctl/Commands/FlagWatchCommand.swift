import ArgumentParser
import ChaosControl
import ChaosCore
import Foundation

struct FlagWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print flag changes as they happen (what a service linking ChaosControl sees).")

    @OptionGroup var control: ControlFileOptions
    @Option(help: ArgumentHelp("Stop after this long (default: until Ctrl-C).", valueName: "duration")) var duration: String?

    func run() throws {
        try Failures.reporting {
            let deadline = try duration.map { Date().addingTimeInterval(try DurationParser.seconds($0, field: "--duration")) }
            let reader = ControlFileReader(path: control.path)
            defer { reader.stop() }
            let printer = FlagChangePrinter()
            printer.show(reader.snapshotFlags(), generation: reader.currentGeneration, initial: true)
            reader.onChange = { _, generation in printer.show(reader.snapshotFlags(), generation: generation, initial: false) }
            reader.onError = { error in FileHandleOutput.note("ignoring invalid control file, keeping generation \(reader.currentGeneration): \(error)") }
            let done = DispatchSemaphore(value: 0)
            let trap = SignalTrap { _ in done.signal() }
            defer { trap.cancel() }
            if let deadline { _ = done.wait(timeout: .now() + max(0, deadline.timeIntervalSinceNow)) } else { done.wait() }
        }
    }
}

/// Prints one line per flag that appeared, changed or went away.
// @unchecked Sendable: `last` is guarded by `lock`.
final class FlagChangePrinter: @unchecked Sendable {
    private var last: [String: ChaosControl.Flag] = [:]
    private let lock = NSLock()

    func show(_ flags: [String: ChaosControl.Flag], generation: UInt64, initial: Bool) {
        lock.lock(); defer { lock.unlock() }
        let stamp = ISO8601DateFormatter.withFractions.string(from: Date())
        if initial { print("\(stamp) generation \(generation): \(flags.count) flag(s)") }
        for (name, flag) in flags.sorted(by: { $0.key < $1.key }) where last[name] != flag {
            print("\(stamp) generation \(generation) \(initial || last[name] == nil ? "+" : "~") \(name) \(Self.describe(flag))")
        }
        for name in last.keys.sorted() where flags[name] == nil {
            print("\(stamp) generation \(generation) - \(name)")
        }
        last = flags
        fflush(stdout)
    }

    static func describe(_ f: ChaosControl.Flag) -> String {
        var parts = [f.enabled ? "on" : "disabled", "\(FlagParam.number(f.percent))%"]
        if let l = f.latencyMilliseconds { parts.append("latency=\(l)ms") }
        if let j = f.jitterMilliseconds { parts.append("jitter=\(j)ms") }
        if let m = f.mode { parts.append("mode=\(m.rawValue)") }
        if let s = f.severity { parts.append("severity=\(s.rawValue)") }
        if let h = f.maxHits { parts.append("max_hits=\(h)") }
        if let e = f.expiresAt { parts.append("expires_at=\(ISO8601DateFormatter().string(from: e))") }
        return parts.joined(separator: " ")
    }
}

extension ISO8601DateFormatter {
    static var withFractions: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}
