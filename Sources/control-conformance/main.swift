import Foundation

// control-conformance VECTOR.json...: runs each conformance vector (docs/conformance/)
// through the Swift ChaosControl reader and prints one JSON line per vector:
// {"name": ..., "results": [...]} — scripts/conformance-check.py compares them.
let arguments = CommandLine.arguments
if arguments.count == 5, arguments[1] == "--watch" {
    LiveWatch.run(path: arguments[2], flag: arguments[3], seconds: Double(arguments[4]) ?? 5)
    exit(0)
}
if arguments.count == 3, arguments[1] == "--bench" {
    DecisionBench.run(seconds: Double(arguments[2]) ?? 3)
    exit(0)
}
var failed = false
for file in CommandLine.arguments.dropFirst() {
    var line: [String: Any] = ["file": file]
    do {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        guard let vector = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RunnerError("the vector is not a JSON object")
        }
        line["name"] = vector["name"] ?? file
        line["results"] = try VectorRun(vector: vector).results()
    } catch {
        line["error"] = "\(error)"
        failed = true
    }
    let output = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: output, as: UTF8.self))
}
exit(failed ? 1 : 0)
