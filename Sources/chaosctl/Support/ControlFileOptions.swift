import ArgumentParser
import ChaosControl

/// `--file`, else $CHAOS_CONTROL_PATH, else the documented default.
struct ControlFileOptions: ParsableArguments {
    @Option(name: [.short, .long], help: ArgumentHelp(
        "The control file.",
        discussion: "Default: $CHAOS_CONTROL_PATH, else \(ControlFilePath.defaultPath).",
        valueName: "path"))
    var file: String?

    var path: String { ControlFilePath.resolve(file) }
}
