import ChaosConfig
import ChaosCore
import Foundation

/// `command:` steps. A plain string is a one-shot action; with `revert:` it is a fault whose
/// revert command is journaled, so `chaosctl recover` can run it after a crash.
///
/// ```yaml
/// - command: docker restart web            # one-shot
/// - command: {run: "iptables ...", revert: "iptables -D ...", timeout: 30s}
///   duration: 20s
/// ```
enum CommandActions {
    static func parse(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        var run: String?
        var revert: String?
        var timeout = 60.0
        if case .scalar = node.node {
            run = node.string()
        } else if node.entries() != nil {
            node.checkKeys(["run", "revert", "timeout"])
            run = node["run"]?.string()
            revert = node["revert"]?.string()
            timeout = node["timeout"]?.seconds() ?? timeout
            if run == nil { node.problem("a command step needs 'run'") }
        }
        guard let run, !run.isEmpty else {
            if run?.isEmpty == true { node.problem("the command is empty") }
            return nil
        }
        let cwd = context.baseDirectory
        if let revert {
            return .fault(CommandFault(run: run, revert: revert, timeout: timeout, directory: cwd), duration: duration)
        }
        if duration != nil { node.problem("a one-shot command has no duration; add 'revert:' to make it a fault") }
        return .oneShot(summary: "command: \(run)") { _ in
            try ShellCommand.run(run, timeout: timeout, directory: cwd)
        }
    }
}

/// A fault made of two shell commands: one that breaks something, one that mends it.
struct CommandFault: Fault {
    let run: String
    let revert: String
    let timeout: Double
    let directory: String

    var kind: String { CommandReverter.kindName }
    var target: String { "shell" }
    var summary: String { "\(run) (revert: \(revert))" }
    func revertData() throws -> [String: String] {
        ["revert": revert, "directory": directory, "timeout": String(timeout)]
    }
    func apply() throws { _ = try ShellCommand.run(run, timeout: timeout, directory: directory) }
}

public struct CommandReverter: FaultReverter {
    public static let kindName = "command"
    public var kind: String { Self.kindName }
    public init() {}
    public func revert(_ record: FaultRecord) throws {
        guard let command = record.revertData["revert"] else { throw ChaosError("record \(record.id) has no revert command") }
        _ = try ShellCommand.run(command, timeout: Double(record.revertData["timeout"] ?? "") ?? 60,
                                 directory: record.revertData["directory"] ?? "/")
    }
}

/// Runs `/bin/sh -c` in `directory` through ChaosCore's ProcessRunner (own process group,
/// killed whole on timeout); a non-zero exit is an error carrying the output's tail.
enum ShellCommand {
    @discardableResult
    static func run(_ script: String, timeout: Double, directory: String) throws -> String {
        let quoted = "'" + directory.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let outcome = try ProcessRunner.run(argv: ["/bin/sh", "-c", "cd \(quoted) && \(script)"], timeout: timeout)
        let text = (outcome.stdout + outcome.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
        let tail = text.split(separator: "\n").suffix(5).joined(separator: "\n")
        guard let status = outcome.exitStatus else {
            throw ChaosError("command timed out after \(DurationParser.format(timeout)): \(script)")
        }
        guard status == .exited(0) else {
            throw ChaosError("command \(status): \(script)" + (tail.isEmpty ? "" : "\n\(tail)"))
        }
        return tail
    }
}
