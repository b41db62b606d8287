import ChaosConfig
import ChaosCore
@testable import ChaosExperiment
import ChaosStress
import ChaosTestSupport
import Foundation
import XCTest

/// `stress:` steps read through `StressFaultOptions`, the same model `chaosctl stress` builds;
/// bad values are reported at their field; a step held by the runner really burns and ends.
final class StressStepTests: XCTestCase {
    private let file = "/nonexistent/stress.yaml"

    private func parse(_ steps: [String]) throws -> [PlannedStep] {
        var yaml = """
        title: stress
        steady_state:
          probes:
            - name: fine
              command: "true"
        method:

        """
        for step in steps { yaml += "  - \(step)\n" }
        return try ExperimentParser.parse(text: yaml, file: file, context: ExperimentContext(controlPath: "/nonexistent/c.json"),
                                          environment: [:]).method
    }

    private func problems(_ steps: [String]) -> [ConfigProblem] {
        do {
            _ = try parse(steps)
            XCTFail("expected problems")
        } catch let e as ConfigErrors {
            return e.problems
        } catch {
            XCTFail("\(error)")
        }
        return []
    }

    func testStepBuildsTheSameModelAsTheCommand() throws {
        let steps = try parse(["stress: {resource: cpu, workers: 2, load: 40}\n    duration: 5s",
                               "stress: {resource: memory, size: 16MiB}"])
        guard case .fault(let step as StressStepFault, let duration) = steps[0].action else { return XCTFail(steps[0].summary) }
        XCTAssertNil(step.resolved, "the target is looked up when the step runs")
        try step.preflight()
        let cpu = try XCTUnwrap(step.resolved)
        XCTAssertEqual(cpu.resource, .cpu(workers: 2, load: 40))
        XCTAssertEqual(duration, 5)
        XCTAssertEqual(cpu.holdSeconds, 5)
        XCTAssertNil(cpu.placement.targetPid, "no target: the runner's own process tree")
        var v = OptionValues()
        v.set("workers", "2")
        v.set("load", "40")
        XCTAssertEqual(try StressFaultOptions(resource: "cpu", v).resource, cpu.resource)
        guard case .fault(let memory as StressStepFault, nil) = steps[1].action else { return XCTFail(steps[1].summary) }
        XCTAssertEqual(memory.options.resource, .memory(bytes: 16 << 20))
    }

    func testBadValuesAreReportedAtTheirField() {
        let found = problems(["stress: {resource: cpu, workers: 0, load: 300}", "stress: {resource: disk}",
                              "stress: {workers: 2}", "stress: {resource: memory, size: 1PB}"])
        let text = found.map(\.description).joined(separator: "\n")
        XCTAssertTrue(found.contains { $0.field.hasSuffix("workers") && $0.value == "0" }, text)
        XCTAssertTrue(found.contains { $0.field.hasSuffix("load") && $0.value == "300" }, text)
        XCTAssertTrue(found.contains { $0.field.hasSuffix("resource") && $0.message.contains("cpu, memory") }, text)
        XCTAssertTrue(found.contains { $0.message.contains("needs 'resource'") }, text)
        XCTAssertTrue(found.contains { $0.field.hasSuffix("size") }, text)
    }

    /// The command's options are the model's names (plus what only the CLI has).
    func testCommandsDeclareTheModelsNames() {
        let cliOnly: Set<String> = ["help", "version", "state-dir", "for", "detach"]
        for resource in StressFaultOptions.resources {
            let help = runProcess([Chaosctl.binary, "stress", resource, "--help"]).output
            let names = Set(help.split(separator: "\n").flatMap { line in
                line.trimmingCharacters(in: .whitespaces).split(separator: " ").prefix(2)
                    .map { $0.hasSuffix(",") ? String($0.dropLast()) : String($0) }
                    .filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2)) }
            })
            XCTAssertEqual(names.subtracting(cliOnly), Set(StressFaultOptions.optionNames(resource: resource)), resource)
        }
    }

    /// `chaosctl run` with a stress step: the worker burns while the step holds and is gone,
    /// with its journal record, when the run ends.
    func testRunHoldsAndEndsTheStressStep() throws {
        let temp = try TempDir()
        let experiment = temp.path + "/stress.yaml"
        try """
        title: stress step
        steady_state:
          interval: 100ms
          before: 300ms
          after: 300ms
          probes:
            - name: fine
              command: "true"
        method:
          - name: burn
            stress: {resource: cpu, workers: 1, load: 100}
            duration: 2s
        """.write(toFile: experiment, atomically: true, encoding: .utf8)
        let cli = Chaosctl(stateDir: temp.path + "/state")
        let run = try cli.start(["run", experiment, "--report-dir", temp.path + "/report"])
        var workers: [StressWorkerID] = []
        let journal = FaultJournal(directory: temp.path + "/state")
        XCTAssertTrue(StressTestWait.until(60) { workers = journal.appliedStressWorkers() ?? []; return !workers.isEmpty })
        let worker = try XCTUnwrap(workers.first)
        XCTAssertTrue(StressTestWait.until(30) { (worker.running?.cpuTicks ?? 0) > 0 }, "the worker burns CPU")
        run.waitUntilExit()
        XCTAssertEqual(run.terminationStatus, 0)
        XCTAssertNil(worker.running)
        XCTAssertTrue(journal.records().0.isEmpty)
    }

    /// A step naming a container validates with no engine anywhere (the container is looked up
    /// when the step runs); when it runs, the missing engine is refused before anything is
    /// journaled or started: the fault's error names the socket with the unreachable exit code
    /// (4), and the run aborts on that failed step (3, as docs/cli.md says for a failed step).
    func testContainerIsLookedUpWhenTheStepRunsNotWhenValidated() throws {
        let temp = try TempDir()
        let socket = temp.path + "/no-engine.sock"
        let experiment = temp.path + "/stress.yaml"
        try """
        title: stress a container
        steady_state:
          interval: 100ms
          before: 200ms
          after: 200ms
          probes:
            - name: fine
              command: "true"
        method:
          - name: burn
            stress: {resource: cpu, workers: 1, container: web, docker-host: "unix://\(socket)"}
            duration: 2s
        """.write(toFile: experiment, atomically: true, encoding: .utf8)
        let cli = Chaosctl(stateDir: temp.path + "/state")
        let validated = try cli.run(["validate", experiment])
        XCTAssertEqual(validated.status, 0, validated.stdout + validated.stderr)
        XCTAssertTrue(validated.stdout.contains("\(experiment): valid"), validated.stdout)

        let journal = FaultJournal(directory: temp.path + "/state")
        let steps = try ExperimentParser.parse(text: try String(contentsOfFile: experiment, encoding: .utf8), file: experiment,
                                               context: ExperimentContext(controlPath: temp.path + "/c.json"), environment: [:]).method
        guard case .fault(let step as StressStepFault, _) = steps[0].action else { return XCTFail(steps[0].summary) }
        XCTAssertEqual(step.target, "container web", "named as the file names it until it is looked up")
        let lifecycle = FaultLifecycle(journal: journal, reverters: [StressReverter()])
        XCTAssertThrowsError(try lifecycle.apply(step, held: true)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unreachable, "\(error)")
            XCTAssertTrue("\(error)".contains(socket), "\(error)")
        }
        XCTAssertTrue(journal.records().0.isEmpty, "nothing journaled")

        let ran = try cli.run(["run", experiment, "--report-dir", temp.path + "/report"])
        XCTAssertEqual(ran.status, ExitCode.aborted.rawValue, ran.stdout + ran.stderr)
        XCTAssertTrue(ran.stderr.contains("burn failed: cannot connect") && ran.stderr.contains(socket), ran.stdout + ran.stderr)
        XCTAssertTrue(journal.records().0.isEmpty, "nothing journaled")
    }
}
