import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The writers' mutual exclusion: an exclusive `flock(2)` on `.<name>.lock` next to the
/// control file. The lock file is never deleted (deleting it would let two writers lock
/// two different inodes) and its content is irrelevant. Readers never take it.
struct ControlFileLock {
    let lockPath: String
    private let descriptor: Int32

    /// The lock file path for a control file: `/dir/control.json` → `/dir/.control.json.lock`.
    static func lockPath(for path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        return directory.isEmpty ? ".\(name).lock" : "\(directory)/.\(name).lock"
    }

    /// Opens (creating if needed) and locks; blocks until the lock is granted.
    init(controlFile path: String) throws {
        lockPath = ControlFileLock.lockPath(for: path)
        var fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        // Another user's lock file may be read-only to us; flock works on a read-only descriptor.
        // If that fails too, report the first error: ENOENT from the fallback would hide EACCES.
        let firstError = errno
        if fd < 0, firstError == EACCES {
            fd = open(lockPath, O_RDONLY | O_CLOEXEC)
            if fd < 0 && errno == ENOENT { errno = firstError }
        }
        guard fd >= 0 else { throw ControlFileError.io(lockPath, "cannot open lock file") }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let error = ControlFileError.io(lockPath, "cannot lock")
            close(fd)
            throw error
        }
        descriptor = fd
    }

    /// Releases the lock (closing the descriptor releases it too, even on a crash).
    func unlock() {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
