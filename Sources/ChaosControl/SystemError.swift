import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension ControlFileError {
    /// An I/O error carrying the current `errno` text, e.g.
    /// `/etc/chaos/control.json: cannot open: Permission denied`.
    static func io(_ path: String, _ what: String, errno code: Int32 = errno) -> ControlFileError {
        ControlFileError(.io, path: path, reason: "\(what): \(String(cString: strerror(code)))")
    }
}
