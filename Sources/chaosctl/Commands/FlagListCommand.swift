import ArgumentParser
import ChaosControl
import ChaosCore
import Foundation

struct FlagListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the flags in the control file.")

    @OptionGroup var control: ControlFileOptions
    @ArgumentParser.Flag(help: "Print the control file's JSON (exactly as stored) for scripts.") var json = false

    func run() throws {
        try Failures.reporting {
            let path = control.path
            let document = try ControlFileWriter(path: path).read()
            if json {
                FileHandle.standardOutput.write(try document.encoded())
                return
            }
            print("\(path)  generation \(document.generation)" + (document.updatedBy.map { "  by \($0)" } ?? ""))
            if document.flags.isEmpty { print("no flags (no faults)"); return }
            let now = Date()
            var table = TextTable(headers: ["FLAG", "STATE", "PERCENT", "LATENCY", "MODE", "SEVERITY", "MAX HITS", "EXPIRES", "PARAMS"])
            for (name, f) in document.flags.sorted(by: { $0.key < $1.key }) {
                let state = !f.enabled ? "disabled" : (f.isActive(at: now) ? "on" : "expired")
                let latency = f.latencyMilliseconds.map { "\($0)ms" + (f.jitterMilliseconds.map { "±\($0)ms" } ?? "") } ?? (f.jitterMilliseconds.map { "±\($0)ms" } ?? "-")
                let expires = f.expiresAt.map { at in at <= now ? "expired" : "in " + DurationParser.format(at.timeIntervalSince(now)) } ?? "-"
                let params = f.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                table.add([name, state, FlagParam.number(f.percent).description, latency, f.mode?.rawValue ?? "-",
                           f.severity?.rawValue ?? "-", f.maxHits.map(String.init) ?? "-", expires, params.isEmpty ? "-" : params])
            }
            print(table.render())
        }
    }
}
