import ChaosControl
import Foundation

/// Executes one conformance vector against a real `ControlFileReader` and collects what
/// each `call` and `state` step observed (docs/control-file.md section 8).
struct VectorRun {
    let vector: [String: Any]

    func results() throws -> [Any] {
        guard let steps = vector["steps"] as? [[String: Any]], let start = vector["clock"] as? String else {
            throw RunnerError("a vector needs \"clock\" and \"steps\"")
        }
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("control-conformance-\(getpid())-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var files = VectorFiles(root: root)
        let clock = try VectorClock(start: start)
        let readerSeed = (vector["reader_seed"] as? NSNumber).map { $0.uint64Value }
        var reader: ControlFileReader?
        var handles: [String: FlagHandle] = [:]
        var results: [Any] = []
        var clockSteps = 0

        for step in steps {
            guard let op = step["op"] as? String else { throw RunnerError("a step needs \"op\"") }
            // The first file step happens before the reader exists (the file it loads at start).
            switch op {
            case "write":
                let shifted = clock.shifted(step["document"] ?? [:])
                try files.replace(with: try JSONSerialization.data(withJSONObject: shifted, options: [.sortedKeys]))
            case "write_text":
                try files.replace(with: Data(((step["text"] as? String) ?? "").utf8))
            case "write_large":
                try files.replace(with: Self.padded(bytes: (step["bytes"] as? Int) ?? 0))
            case "remove": try files.remove()
            case "remove_directory": try files.removeDirectory()
            case "make_directory": try files.makeDirectory()
            case "symlink_loop": try files.makeSymlinkLoop()
            case "configmap":
                let shifted = clock.shifted(step["document"] ?? [:])
                try files.swapConfigMap(to: try JSONSerialization.data(withJSONObject: shifted, options: [.sortedKeys]))
            case "clock":
                try clock.advance(to: (step["at"] as? String) ?? start)
                // The reader re-compiles expiry when it wakes at the next expires_at; under load
                // that wake-up can be late. Registering a new handle re-compiles at once.
                clockSteps += 1
                _ = reader?.flag("conformance-clock-\(clockSteps)")
            case "start":
                break
            case "call", "state":
                break
            default:
                throw RunnerError("unknown op \(op)")
            }
            if reader == nil, op == "start" || op == "call" || op == "state" {
                // Polling only, hourly: the runner triggers every read itself, so nothing races it.
                reader = ControlFileReader(path: files.path, pollInterval: .seconds(3600), seed: readerSeed,
                                           changeDetection: .pollingOnly)
            } else if let reader, !["call", "state", "clock", "start"].contains(op) {
                reader.reloadNow()
            }
            guard let reader else { continue }
            if op == "call" {
                guard let name = step["flag"] as? String else { throw RunnerError("call needs \"flag\"") }
                let handle = handles[name] ?? reader.flag(name)
                handles[name] = handle
                let count = (step["expect"] as? [Any])?.count ?? 0
                if (step["method"] as? String) == "fires" {
                    results.append((0..<count).map { _ in handle.fires() })
                } else {
                    results.append((0..<count).map { _ in Self.json(handle.decide()) })
                }
            } else if op == "state" {
                results.append(state(of: reader, expected: step["expect"] as? [String: Any] ?? [:], handles: &handles))
            }
        }
        reader?.stop()
        return results
    }

    /// Only the keys the vector expects are reported, so a vector checks what it names.
    private func state(of reader: ControlFileReader, expected: [String: Any],
                       handles: inout [String: FlagHandle]) -> [String: Any] {
        var state: [String: Any] = [:]
        if expected["generation"] != nil { state["generation"] = reader.currentGeneration }
        if expected["error"] != nil { state["error"] = reader.lastError != nil }
        if let wanted = expected["params"] as? [String: Any] {
            var params: [String: Any] = [:]
            for name in wanted.keys {
                let handle = handles[name] ?? reader.flag(name)
                handles[name] = handle
                params[name] = handle.params.mapValues { param -> Any in
                    switch param {
                    case .string(let text): return text
                    case .number(let number): return number
                    case .bool(let flag): return flag
                    }
                }
            }
            state["params"] = params
        }
        return state
    }

    private static func json(_ decision: FlagDecision) -> [String: Any] {
        ["fires": decision.fires, "delay_ns": decision.delayNanoseconds,
         "mode": decision.mode?.rawValue ?? NSNull(), "severity": decision.severity?.rawValue ?? NSNull()]
    }

    /// A valid empty document padded with spaces to exactly `bytes` bytes.
    static func padded(bytes: Int) -> Data {
        let document = #"{"version": 1, "generation": 99, "flags": {}}"#
        return Data((document + String(repeating: " ", count: max(0, bytes - document.utf8.count))).utf8)
    }
}
