import ChaosSystem

extension ControlFileError {
    /// The writer's failure as this library's I/O error.
    init(_ failure: FileReplacement.Failure) {
        self = .io(failure.path, failure.action, errno: failure.errno)
    }
}
