import ArgumentParser
import ChaosCore
import ChaosExperiment

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check experiment files; report every problem with file, line and field.",
        discussion: """
        Examples:
          chaosctl validate -f experiments/demo.yaml
          chaosctl validate experiments/*.yaml
        """)
    @OptionGroup var control: ControlFileOptions
    @OptionGroup var experiment: ExperimentFileOptions

    func validate() throws {
        guard !experiment.files.isEmpty else { throw ValidationError("give at least one experiment file: chaosctl validate -f FILE") }
    }

    func run() throws {
        try Failures.reporting {
            var failed = 0
            for file in experiment.files {
                do {
                    let context = ExperimentContext(controlPath: control.path, httpTransport: CurlProbeTransport())
                    let e = try ExperimentParser.load(file: file, context: context)
                    print("\(file): valid (\(e.method.count) step(s), \(e.steadyState.probes.count) probe(s), \(e.objectives.count + e.loadObjectives.count) SLO(s))")
                } catch {
                    failed += 1
                    Failures.printError(String(describing: error))
                }
            }
            if failed > 0 { throw ChaosError("\(failed) of \(experiment.files.count) experiment file(s) invalid", exitCode: .usage) }
        }
    }
}
