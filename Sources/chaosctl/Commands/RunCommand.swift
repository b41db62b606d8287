import ArgumentParser
import ChaosCore
import ChaosExperiment
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment: steady state, faults, rollbacks, recovery, reports.",
        discussion: """
        Exit status: 0 passed, 1 an SLO was missed, 2 the experiment file is invalid,
        3 aborted (steady state not met, stop condition, failed step, signal). Every fault is
        journaled before it is applied; after a SIGKILL, `chaosctl recover` reverts it.
        """)

    @OptionGroup var control: ControlFileOptions
    @OptionGroup var state: StateOptions
    @Argument(help: "Experiment file (YAML or JSON).") var experiment: String
    @ArgumentParser.Flag(help: "Print the plan and touch nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Where the reports go (default results/<time>-<name>).", valueName: "dir")) var reportDir: String?
    @Option(help: "Seed for every random choice, for reproducible runs.") var seed: UInt64?

    func run() throws {
        let result: ExperimentRunner.Result = try Failures.reporting {
            // Every run is seeded, so any run can be repeated: the seed is printed and recorded.
            let seed = self.seed ?? SeedDerivation.fresh()
            let context = ExperimentContext(controlPath: control.path, httpTransport: CurlProbeTransport(), seed: seed)
            let parsed = try ExperimentParser.load(file: experiment, context: context)
            if dryRun {
                print(ExperimentRunner.plan(parsed))
                throw CleanExit.message("\n(dry run: nothing was applied)")
            }
            let dir = reportDir ?? Self.defaultReportDirectory(for: experiment)
            print("seed \(seed) (repeat this run's random choices with --seed \(seed))")
            let runner = ExperimentRunner(experiment: parsed, lifecycle: Lifecycle.make(journal: state.journal),
                                          options: .init(reportDirectory: dir, seed: seed))
            return try runner.run()
        }
        VerdictLines.print(result.report)
        print("Reports: \(result.files.joined(separator: ", "))")
        if result.outcome != .passed { throw ArgumentParser.ExitCode(result.outcome.exitCode.rawValue) }
    }

    static func defaultReportDirectory(for file: String) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        return "results/\(formatter.string(from: Date()))-\(name)"
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check an experiment file; report every problem with file, line and field.")
    @OptionGroup var control: ControlFileOptions
    @Argument(help: "Experiment file(s).") var experiments: [String]

    func run() throws {
        try Failures.reporting {
            var failed = 0
            for file in experiments {
                do {
                    let context = ExperimentContext(controlPath: control.path, httpTransport: CurlProbeTransport())
                    let e = try ExperimentParser.load(file: file, context: context)
                    print("\(file): valid (\(e.method.count) step(s), \(e.steadyState.probes.count) probe(s), \(e.objectives.count) SLO(s))")
                } catch {
                    failed += 1
                    Failures.printError(String(describing: error))
                }
            }
            if failed > 0 { throw ChaosError("\(failed) of \(experiments.count) experiment file(s) invalid", exitCode: .usage) }
        }
    }
}
