import ChaosCore

/// A probe was described wrongly (bad regex, bad status range, bad URL): a usage error,
/// reported before the run starts rather than as a failing sample.
public struct ProbeConfigurationError: ChaosFailure, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var exitCode: ExitCode { .usage }
    public var description: String { message }
}
