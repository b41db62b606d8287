import ChaosConfig
import ChaosExperiment
import Foundation
import FuzzSupport

/// The standard step kinds, except that a `profile:` step may only name a file in the
/// working directory: a fuzzed path could name a FIFO or a device, and opening that is a
/// test of the machine, not of the parser.
let actions: ActionRegistry = {
    var registry = ActionRegistry.standard
    let profile = registry.parsers["profile"]!
    registry.register("profile") { node, duration, context in
        guard let path = node.string(), !path.contains("/"), !path.hasPrefix(".") else {
            node.problem("fuzz harness: profile paths are limited to plain names")
            return nil
        }
        return profile(node, duration, context)
    }
    // netem/tbf steps may name a container (an engine lookup) or a distribution file: keep
    // both out of the harness for the same reason.
    for kind in ["netem", "tbf"] {
        let parse = registry.parsers[kind]!
        registry.register(kind) { node, duration, context in
            let risky = ["container", "distribution", "slot"].contains { key in
                node[key]?.node.scalar.map { key == "container" || $0.string.contains("/") } ?? false
            }
            if risky {
                node.problem("fuzz harness: containers and distribution paths are left out")
                return nil
            }
            return parse(node, duration, context)
        }
    }
    return registry
}()
let context = ExperimentContext(controlPath: "/nonexistent/fuzz/control.json", seed: 1, actions: actions)

/// One input is an experiment file's text; it is expanded, parsed and checked whole, as
/// `chaosctl run --dry-run` does, and nothing runs.
func fuzzExperiment(_ input: [UInt8]) {
    _ = try? ExperimentParser.parse(text: String(decoding: input, as: UTF8.self), file: "/nonexistent/fuzz/experiment.yaml",
                                    context: context, environment: ["TARGET": "127.0.0.1:8080", "EMPTY": "",
                                                                   "ODD": "a \"b\": {c}\n- d # e ${TARGET}"])
}

#if CHAOS_FUZZING
/// libFuzzer's entry point (it brings its own `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzExperiment(FuzzEntry.bytes(data, size))
    return 0
}
#else
/// The normal build's entry point: replays the files named on the command line.
@main enum Replay { static func main() { FuzzEntry.replay(fuzzExperiment) } }
#endif
