import ChaosSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crash-safe file replacement and `mkdir -p` for journals and reports, with chaosctl's errors
/// and exit codes. The writing itself is ChaosSystem's `FileReplacement`, the one atomic-file
/// writer (temp file, fsync, rename, fsync of the directory).
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        do {
            try FileReplacement.replace(path, with: data, mode: mode)
        } catch {
            // Creating the temp file is where a read-only or foreign directory shows up.
            let exitCode: ExitCode = error.action.hasPrefix("cannot create") ? .permission : .failure
            throw ChaosError(failure: error, what: "\(error.path): \(error.action)", exitCode: exitCode)
        }
    }

    /// fsync a directory so a rename in it is durable. Best effort: some filesystems refuse.
    public static func fsyncDirectory(_ directory: String) {
        FileReplacement.fsyncDirectory(directory)
    }

    /// mkdir -p with a mode; succeeds if the directory already exists. A failure names the
    /// directory that could not be made and the real errno (Foundation's text loses it).
    public static func ensureDirectory(_ path: String, mode: Int = 0o755) throws {
        do {
            try FileReplacement.makeDirectories(path, mode: mode_t(mode))
        } catch where error.errno == EEXIST {
            throw ChaosError("cannot create directory \(error.path): a file is in the way", exitCode: .failure)
        } catch {
            throw ChaosError(failure: error, what: "cannot create directory \(error.path)", exitCode: .failure)
        }
    }
}

extension ChaosError {
    /// An error carrying the current errno's text.
    public static func errno(_ what: String, exitCode: ExitCode = .failure) -> ChaosError {
        ChaosError(what: what, errno: Glibc.errno, exitCode: exitCode)
    }

    init(failure: FileReplacement.Failure, what: String, exitCode: ExitCode) {
        self.init(what: what, errno: failure.errno, exitCode: exitCode)
    }

    /// `what: strerror(code)`; a permission errno maps to the permission exit code.
    init(what: String, errno code: Int32, exitCode: ExitCode) {
        let text = String(cString: strerror(code))
        let mapped: ExitCode = (code == EACCES || code == EPERM || code == EROFS) ? .permission : exitCode
        self.init("\(what): \(text)", exitCode: mapped)
    }
}
