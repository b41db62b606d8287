import ChaosTestSupport
import Foundation
import XCTest

/// docs/experiments.md lists every step kind chaosctl knows: the keys come from the real
/// binary (`validate` names them all when a step has none), so this holds whichever module
/// registers a kind.
final class ExperimentsDocTests: XCTestCase {
    private let doc = "docs/experiments.md"
    var temp: TempDir!

    override func tearDown() { temp = nil }

    private func knownStepKinds() throws -> Set<String> {
        temp = try TempDir()
        let file = temp.path + "/no-kind.yaml"
        try """
        title: a step without a kind
        steady_state:
          interval: 100ms
          before: 1s
          probes: [{name: p, tcp: {address: "127.0.0.1:9"}}]
        method:
          - name: nothing to do
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try Chaosctl(stateDir: temp.path + "/state").run(["validate", file])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        let marker = "a step needs exactly one of: "
        let line = try XCTUnwrap((r.stdout + r.stderr).components(separatedBy: "\n").first { $0.contains(marker) },
                                 "validate did not list the step kinds: \(r.stdout + r.stderr)")
        let list = line[line.range(of: marker)!.upperBound...]
        return Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    func testTheStepKindTableListsEveryKindChaosctlKnows() throws {
        let known = try knownStepKinds()
        XCTAssertTrue(known.isSuperset(of: ["flag", "profile", "command", "wait"]), "unexpected list: \(known)")
        let text = try String(contentsOfFile: packageRoot + "/" + doc, encoding: .utf8)
        let table = try XCTUnwrap(MarkdownTable(in: text, header: ["key", "what", "fault or one-shot"]),
                                  "\(doc) has no table headed | key | what | fault or one-shot |")
        let documented = Set(table.rows.flatMap { MarkdownTable.codeSpans(in: $0.first ?? "") })
        let missing = known.subtracting(documented).sorted(), extra = documented.subtracting(known).sorted()
        XCTAssert(missing.isEmpty, "\(doc), section Step kinds: add a row for \(missing.joined(separator: ", "))")
        XCTAssert(extra.isEmpty, "\(doc), section Step kinds: chaosctl knows no step \(extra.joined(separator: ", ")); remove or rename the row")
    }
}
