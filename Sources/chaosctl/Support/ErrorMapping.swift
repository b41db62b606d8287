import ChaosControl
import ChaosCore

/// Maps errors from libraries that do not know ChaosCore (ChaosControl stays dependency-free)
/// to a message and exit code.
enum ErrorMapping {
    static func map(_ error: Error) -> ChaosError {
        if let control = error as? ControlFileError {
            switch control.kind {
            case .io: return ChaosError(control.description, exitCode: .permission)
            case .malformedJSON, .invalidValue, .unsupportedVersion: return ChaosError(control.description, exitCode: .usage)
            }
        }
        return ChaosError(String(describing: error), exitCode: .failure)
    }
}
