import ArgumentParser
import ChaosControl

/// `--control-file`, else $CHAOS_CONTROL_PATH, else the documented default. (`-f/--file` is
/// the experiment file on `run` and `validate`, as in `kubectl apply -f`.)
struct ControlFileOptions: ParsableArguments {
    @Option(name: .customLong("control-file"), help: ArgumentHelp(
        "The control file.",
        discussion: "Default: $CHAOS_CONTROL_PATH, else \(ControlFilePath.defaultPath).",
        valueName: "path"))
    var controlFile: String?

    var path: String { ControlFilePath.resolve(controlFile) }
}
