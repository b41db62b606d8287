import ChaosCore

/// Maps errors from libraries that do not know ChaosCore (ChaosControl stays dependency-free)
/// to a message and exit code.
enum ErrorMapping {
    static func map(_ error: Error) -> ChaosError {
        ChaosError(String(describing: error), exitCode: .failure)
    }
}
