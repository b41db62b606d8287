import ChaosNet
import ChaosTargets
import ChaosTestSupport
import Foundation
import XCTest

/// The options models name every option once; the CLI commands declare exactly those
/// names (read from the real binary's help), so a step and the command accept the same keys.
final class OptionNamesTests: XCTestCase {
    /// The long options a command's help lists, one per option line.
    private func options(_ command: [String]) throws -> Set<String> {
        let r = runProcess([Chaosctl.binary] + command + ["--help"])
        XCTAssertEqual(r.status, 0, r.output)
        var names: Set<String> = []
        for line in r.output.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("-") else { continue }
            // "-H, --docker-host <docker-host>", "--ecn   Mark …"; not a wrapped help line such
            // as "--packet-overhead=-4)."
            for word in text.split(separator: " ").prefix(2) {
                let name = word.hasSuffix(",") ? word.dropLast() : word
                guard name.hasPrefix("--"), name.dropFirst(2).allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else { continue }
                names.insert(String(name.dropFirst(2)))
            }
        }
        return names
    }

    /// Options every command has, or that only the CLI has (how long to hold in the
    /// foreground: a step's `duration` says that).
    private let cliOnly: Set<String> = ["help", "version", "state-dir", "for", "detach"]

    func testCommandsDeclareTheModelsNames() throws {
        XCTAssertEqual(try options(["netem", "apply"]).subtracting(cliOnly), Set(NetemFaultOptions.optionNames))
        XCTAssertEqual(try options(["tbf", "apply"]).subtracting(cliOnly), Set(TbfFaultOptions.optionNames))
        for action in ["kill", "evict"] {
            XCTAssertEqual(try options(["pod", action]).subtracting(cliOnly), Set(PodFaultOptions.optionNames), action)
        }
        XCTAssertEqual(try options(["pod", "list"]).subtracting(cliOnly), Set(PodFaultOptions.targetOptionNames))
        for action in ContainerFaultOptions.actions {
            var names = try options(["container", action])
            if !ContainerFaultOptions.heldActions.contains(action) { names.remove("for").map { XCTFail("only held faults take --for, not \(action): \($0)") } }
            XCTAssertEqual(names.subtracting(cliOnly), Set(ContainerFaultOptions.optionNames(action: action)).subtracting(cliOnly),
                           action)
        }
        XCTAssertEqual(try options(["container", "list"]).subtracting(cliOnly), Set(ContainerFaultOptions.selectionOptionNames))
    }
}
