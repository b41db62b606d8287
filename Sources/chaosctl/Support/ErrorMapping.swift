import ChaosControl
import ChaosCore
import Foundation

/// Maps errors from libraries that do not know ChaosCore (ChaosControl stays dependency-free,
/// Foundation's file APIs throw NSError) to a message and exit code.
enum ErrorMapping {
    static func map(_ error: Error) -> ChaosError {
        if let control = error as? ControlFileError {
            switch control.kind {
            case .io: return ChaosError(control.description, exitCode: .permission)
            case .malformedJSON, .invalidValue, .unsupportedVersion: return ChaosError(control.description, exitCode: .usage)
            }
        }
        if let file = fileError(error) { return file }
        return ChaosError(String(describing: error), exitCode: .failure)
    }

    /// "cannot write /dev/null/x: Not a directory" instead of an NSCocoaErrorDomain dump.
    private static func fileError(_ error: Error) -> ChaosError? {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain, let path = ns.userInfo[NSFilePathErrorKey] as? String else { return nil }
        let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError
        let posix = underlying?.domain == NSPOSIXErrorDomain ? Int32(underlying!.code) : 0
        let reason = posix != 0 ? String(cString: strerror(posix)) : (underlying?.localizedDescription ?? "error \(ns.code)")
        let verb = ns.code >= CocoaError.fileReadUnknown.rawValue && ns.code < CocoaError.fileWriteUnknown.rawValue ? "read" : "write"
        let denied = posix == EACCES || posix == EPERM || posix == EROFS
        return ChaosError("cannot \(verb) \(path): \(reason)", exitCode: denied ? .permission : .failure)
    }
}
