import ArgumentParser

/// The experiment file(s) of `run` and `validate`: `-f FILE` as in `kubectl apply -f`, or as
/// plain arguments (`chaosctl validate experiments/*.yaml`).
struct ExperimentFileOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp("Experiment file (YAML or JSON).", valueName: "file"))
    var file: [String] = []
    @Argument(help: ArgumentHelp("Experiment file(s), the same as -f.", valueName: "file"))
    var arguments: [String] = []

    var files: [String] { file + arguments }
}
