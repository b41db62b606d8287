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
        // Catch SIGINT/SIGTERM before anything is applied, so no signal can strand the fault.
        let hold = wait ? FaultHold(lifecycle) : nil
        let record = try lifecycle.apply(fault, held: wait, expiresAt: fault.expiresAt)
        let what = label ?? fault.target
        print("enabled \(what): \(fault.summary)")
        if let at = fault.expiresAt {
            print("expires at \(ISO8601DateFormatter().string(from: at)) (readers treat it as off from then on)")
        }
        guard let hold else {
            print("journal id \(record.id); revert with `chaosctl flag disable` or `chaosctl recover --all`")
            return
        }
        let (ending, failures) = hold.wait(until: fault.expiresAt)
        for (r, error) in failures { FileHandleOutput.note("could not revert \(r.target): \(error)") }
        for note in lifecycle.leftAlone { FileHandleOutput.note(note) }
        let outcome = lifecycle.leftAlone.isEmpty ? "reverted \(what)" : "reverted what is still this fault's of \(what)"
        switch ending {
        case .expired: print("expired: \(outcome)")
        case .signal(let sig):
            print("signal \(sig): \(outcome)")
            throw ArgumentParser.ExitCode(SignalTrap.exitStatus(for: sig))
        }
    }
}

enum FileHandleOutput {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("chaosctl: \(message)\n".utf8))
    }
}
