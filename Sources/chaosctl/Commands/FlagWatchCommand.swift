import ArgumentParser
import ChaosControl
import ChaosCore
import Foundation

struct FlagWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print flag changes as they happen (what a service linking ChaosControl sees).",
        discussion: "One line per change: '+' a flag appeared, '~' it changed, '-' it went away, 'x' its expires_at passed (readers treat it as off from then on, though the file still holds it).")

    @OptionGroup var control: ControlFileOptions
    @Option(help: ArgumentHelp("Stop after this long (default: until Ctrl-C).", valueName: "duration")) var duration: String?

    func run() throws {
        try Failures.reporting {
            let deadline = try duration.map { Date().addingTimeInterval(try DurationParser.seconds($0, field: "--duration")) }
            let reader = ControlFileReader(path: control.path)
            defer { reader.stop() }
            let printer = FlagChangePrinter()
            // Woken by a change (which may bring an earlier expiry) or a signal.
            let wake = DispatchSemaphore(value: 0)
            let stopped = DispatchSemaphore(value: 0)
            // Trap before the first line: a signal right after it is the normal stop.
            let trap = SignalTrap { _ in stopped.signal(); wake.signal() }
            defer { trap.cancel() }
            // Follow changes before the first line: a change right after it must not be missed.
            reader.onChange = { _, _ in
                printer.show { reader.document }
                wake.signal()
            }
            reader.onError = { error in Failures.printError("ignoring invalid control file, keeping generation \(reader.currentGeneration): \(error)") }
            printer.show { reader.document }
            while stopped.wait(timeout: .now()) == .timedOut {
                let now = Date()
                if let deadline, now >= deadline { break }
                let next = [deadline, printer.nextExpiry(after: now)].compactMap { $0 }.min()
                _ = wake.wait(timeout: next.map { .now() + max(0, $0.timeIntervalSince(now)) } ?? .distantFuture)
                printer.showExpiries(at: Date(), generation: reader.currentGeneration)
            }
        }
    }
}

/// Prints one line per flag that appeared, changed, went away or expired.
// @unchecked Sendable: `last` and `expiredShown` are guarded by `lock`.
final class FlagChangePrinter: @unchecked Sendable {
    private var last: [String: ChaosControl.Flag] = [:]
    /// Flags whose expiry has been printed (or that were expired when first seen).
    private var expiredShown: Set<String> = []
    private let lock = NSLock()

    private var headerShown = false

    /// Prints what changed since the last call; the first call prints the header and every
    /// flag. `current` is read under the lock, so concurrent callers never print an older
    /// document after a newer one.
    func show(_ current: () -> ChaosControl.ControlDocument) {
        lock.lock(); defer { lock.unlock() }
        let document = current()
        let flags = document.flags, generation = document.generation
        let initial = !headerShown
        headerShown = true
        let now = Date()
        let stamp = Timestamp.text(now)
        if initial { print("\(stamp) generation \(generation): \(flags.count) flag(s)") }
        for (name, flag) in flags.sorted(by: { $0.key < $1.key }) where last[name] != flag {
            print("\(stamp) generation \(generation) \(initial || last[name] == nil ? "+" : "~") \(name) \(Self.describe(flag, now: now))")
            if flag.isActive(at: now) || !flag.enabled { expiredShown.remove(name) } else { expiredShown.insert(name) }
        }
        for name in last.keys.sorted() where flags[name] == nil {
            print("\(stamp) generation \(generation) - \(name)")
            expiredShown.remove(name)
        }
        last = flags
    }

    /// The earliest expiry still to print.
    func nextExpiry(after now: Date) -> Date? {
        lock.lock(); defer { lock.unlock() }
        return last.filter { $0.value.enabled && !expiredShown.contains($0.key) }.compactMap(\.value.expiresAt).min()
    }

    /// A line for each flag whose expires_at has passed since it was shown.
    func showExpiries(at now: Date, generation: UInt64) {
        lock.lock(); defer { lock.unlock() }
        for (name, flag) in last.sorted(by: { $0.key < $1.key }) where flag.enabled && !expiredShown.contains(name) {
            guard let at = flag.expiresAt, at <= now else { continue }
            print("\(Timestamp.text(now)) generation \(generation) x \(name) expired at \(Timestamp.text(at)) (readers treat it as off)")
            expiredShown.insert(name)
        }
    }

    static func describe(_ f: ChaosControl.Flag, now: Date) -> String {
        var parts = [!f.enabled ? "disabled" : f.isActive(at: now) ? "on" : "expired", "\(FlagParam.number(f.percent))%"]
        if let l = f.latencyMilliseconds { parts.append("latency=\(l)ms") }
        if let j = f.jitterMilliseconds { parts.append("jitter=\(j)ms") }
        if let m = f.mode { parts.append("mode=\(m.rawValue)") }
        if let s = f.severity { parts.append("severity=\(s.rawValue)") }
        if let h = f.maxHits { parts.append("max_hits=\(h)") }
        if let e = f.expiresAt { parts.append("expires_at=\(Timestamp.text(e))") }
        return parts.joined(separator: " ")
    }
}
