import Foundation
import XCTest

/// One step of a shipped experiment (experiments/NAME.yaml) in a minimal experiment of its
/// own (an always-healthy probe, short windows), so a test runs the step exactly as shipped.
/// The step is the text from its `  - name: STEP` line to the next `  - name: NEXT` line.
public func experimentOfShippedStep(_ file: String, step: String, next: String, writingTo path: String) throws {
    let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../experiments/\(file)").standardizedFileURL.path
    let text = try String(contentsOfFile: shipped, encoding: .utf8)
    let start = try XCTUnwrap(text.range(of: "  - name: \(step)\n"), "the shipped step moved")
    let end = try XCTUnwrap(text.range(of: "  - name: \(next)", range: start.upperBound..<text.endIndex))
    try """
    title: the step '\(step)' of experiments/\(file)
    steady_state:
      interval: 100ms
      before: 300ms
      after: 300ms
      healthy_after: 1
      probes:
        - name: always
          command: "true"
    method:
    \(text[start.lowerBound..<end.lowerBound])
    """.write(toFile: path, atomically: true, encoding: .utf8)
}
