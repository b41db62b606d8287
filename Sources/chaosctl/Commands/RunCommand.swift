import ArgumentParser
import ChaosCore
import ChaosExperiment
import ChaosReport
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment: steady state, faults, rollbacks, recovery, reports.",
        discussion: """
        Examples:
          chaosctl run -f experiments/soak-flags.yaml --dry-run
          chaosctl run -f experiments/soak-flags.yaml --report-dir results/soak --seed 7

        Exit status: 0 passed, 1 an SLO was missed, 2 the experiment file or an option is invalid, 3 aborted (steady state not met, stop condition, failed step, signal). Every fault is journaled before it is applied; after a SIGKILL, `chaosctl recover` reverts it.
        """)

    @OptionGroup var control: ControlFileOptions
    @OptionGroup var state: StateOptions
    @OptionGroup var experiment: ExperimentFileOptions
    @ArgumentParser.Flag(help: "Print the plan and touch nothing.") var dryRun = false
    @Option(help: ArgumentHelp("Where the reports go (default results/<time>-<name>).", valueName: "dir")) var reportDir: String?
    @Option(help: "Seed for every random choice, for reproducible runs.") var seed: UInt64?

    func validate() throws {
        guard experiment.files.count == 1 else { throw ValidationError("give one experiment file: chaosctl run -f FILE") }
    }

    func run() throws {
        let file = experiment.files[0]
        let result: ExperimentRunner.Result = try Failures.reporting {
            // Every run is seeded, so any run can be repeated: the seed is printed and recorded.
            let seed = self.seed ?? SeedDerivation.fresh()
            let context = ExperimentContext(controlPath: control.path, httpTransport: CurlProbeTransport(), seed: seed)
            let dir = reportDir ?? Self.defaultReportDirectory(for: file)
            ReportDirectoryEnvironment.export(dir)
            let parsed = try ExperimentParser.load(file: file, context: context)
            if dryRun {
                print(ExperimentRunner.plan(parsed))
                throw CleanExit.message("\n(dry run: nothing was applied)")
            }
            // Before any fault: a run must not find out at its end that it cannot write its verdict.
            try ReportWriter.prepare(dir)
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
