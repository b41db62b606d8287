import ChaosControl
import ChaosCore
import ChaosProbe
import Foundation

/// What parsing and running an experiment needs from outside the file.
public struct ExperimentContext {
    /// The control file flag steps write (`--file`, `$CHAOS_CONTROL_PATH`, default).
    public var controlPath: String
    /// How HTTP and Prometheus probes reach servers (ChaosHTTP's libcurl client in the CLI).
    public var httpTransport: HTTPProbeTransport?
    /// The run's seed: each pod and container step picks its targets with a seed derived
    /// from it (`SeedDerivation`), each netem step seeds netem's generator with one, and each
    /// flag or toxic step writes a derived `seed` that the services and the proxy server draw
    /// from, so a run can be repeated.
    public var seed: UInt64?
    /// Directory relative paths in the file are resolved against (the file's directory).
    public var baseDirectory: String
    /// The step kinds the file may use (`ActionRegistry.standard`: every kind chaosctl knows).
    public var actions: ActionRegistry

    public init(controlPath: String = ControlFilePath.resolve(), httpTransport: HTTPProbeTransport? = nil,
                seed: UInt64? = nil, baseDirectory: String = FileManager.default.currentDirectoryPath,
                actions: ActionRegistry = .standard) {
        self.controlPath = controlPath
        self.httpTransport = httpTransport
        self.seed = seed
        self.baseDirectory = baseDirectory
        self.actions = actions
    }

    /// Resolve `path` from the file against the experiment's directory, falling back to the
    /// working directory (so `fault-profiles/x.yaml` works from the repository root too).
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let beside = (baseDirectory as NSString).appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: beside) { return beside }
        return path
    }
}
