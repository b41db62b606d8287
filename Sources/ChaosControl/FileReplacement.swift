import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file atomically: temp file in the same directory (so `rename(2)` stays on one
/// file system), write, `fchmod` 0644, `fsync`, `rename` over the target, `fsync` the directory.
/// A concurrent reader opens either the old inode or the new one, never a partial file.
enum FileReplacement {
    /// Prefix of temp files: `.<name>.tmp.`; readers must ignore such names.
    static func tempPrefix(for path: String) -> String {
        ".\((path as NSString).lastPathComponent).tmp."
    }

    static func replace(_ path: String, with data: Data, mode: mode_t = 0o644) throws {
        let directory = directoryOf(path)
        var random = SystemRandomNumberGenerator()
        let temp = "\(directory)/\(tempPrefix(for: path))\(getpid()).\(random.next() & 0xFFFF_FFFF)"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ControlFileError.io(temp, "cannot create temp file") }
        var renamed = false
        defer { if !renamed { unlink(temp) } }

        var failure: ControlFileError?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = ControlFileError.io(temp, "cannot write")
                    return
                }
                offset += written
            }
        }
        // The umask must not narrow the mode: services under other users read this file.
        if failure == nil, fchmod(fd, mode) != 0 { failure = ControlFileError.io(temp, "cannot chmod") }
        if failure == nil, fsync(fd) != 0 { failure = ControlFileError.io(temp, "cannot fsync") }
        close(fd)
        if let failure { throw failure }
        guard rename(temp, path) == 0 else { throw ControlFileError.io(path, "cannot rename \(temp) over it") }
        renamed = true
        fsyncDirectory(directory)
    }

    /// Makes the rename durable. Best effort: some file systems refuse fsync on a directory.
    static func fsyncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func directoryOf(_ path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }
}
