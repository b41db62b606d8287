import ArgumentParser
import ChaosControl
import ChaosCore
import ChaosFlags
import Foundation

/// Shared by `flag enable` and `profile apply`: validate everything first, then one
/// journaled, atomic write; optionally hold in the foreground until expiry or a signal.
enum FlagApply {
    static func apply(settings: [FlagSetting], replace: Bool, control: ControlFileOptions,
                      state: StateOptions, wait: Bool, label: String? = nil) throws {
        // Validate every flag before the journal or the file is touched.
        for s in settings { _ = try s.flag() }
        let path = control.path
        let fault = FlagSetFault(path: path, settings: settings, replace: replace)
        let lifecycle = Lifecycle.make(journal: state.journal)
        let what = label ?? fault.target
        let applied = { (record: FaultRecord) in
            print("enabled \(what): \(fault.summary)")
            if let at = fault.expiresAt {
                print("expires at \(Timestamp.text(at)) (readers treat it as off from then on)")
            }
            if !wait { print("journal id \(record.id); revert with `chaosctl flag disable` or `chaosctl recover --all`") }
        }
        guard wait else {
            applied(try lifecycle.apply(fault, held: false, expiresAt: fault.expiresAt))
            return
        }
        let outcome = try FaultHoldRun(lifecycle, until: fault.expiresAt).run(fault, applied: applied)
        for (r, error) in outcome.failures { FileHandleOutput.note("could not revert \(r.target): \(error)") }
        for note in outcome.leftAlone { FileHandleOutput.note(note) }
        let result = outcome.leftAlone.isEmpty ? "reverted \(what)" : "reverted what is still this fault's of \(what)"
        switch outcome.ending {
        case .expired: print("expired: \(result)")
        case .signal(let sig):
            print("signal \(sig): \(result)")
            throw ArgumentParser.ExitCode(SignalTrap.exitStatus(for: sig))
        }
    }
}

enum FileHandleOutput {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("chaosctl: \(message)\n".utf8))
    }
}
