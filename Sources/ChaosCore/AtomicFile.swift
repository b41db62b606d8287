import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Crash-safe file replacement: write a temp file in the same directory, fsync it,
/// rename it over the target, fsync the directory. A reader sees the old bytes or the
/// new bytes, never a mix; after a crash the target is one or the other.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws {
        let directory = (path as NSString).deletingLastPathComponent.isEmpty
            ? "." : (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let temp = "\(directory)/.\(base).tmp.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ChaosError.errno("cannot create \(temp)", exitCode: .permission) }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    let error = ChaosError.errno("cannot write \(temp)")
                    close(fd)
                    throw error
                }
                offset += n
            }
        }
        // fchmod: the umask must not narrow the mode readers rely on.
        _ = fchmod(fd, mode)
        if fsync(fd) != 0 {
            let error = ChaosError.errno("cannot fsync \(temp)")
            close(fd)
            throw error
        }
        close(fd)
        guard rename(temp, path) == 0 else { throw ChaosError.errno("cannot rename \(temp) to \(path)") }
        ok = true
        fsyncDirectory(directory)
    }

    /// fsync a directory so a rename in it is durable. Best effort: some filesystems refuse.
    public static func fsyncDirectory(_ directory: String) {
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { return }
        _ = fsync(dfd)
        close(dfd)
    }

    /// mkdir -p with a mode; succeeds if the directory already exists. A failure names the
    /// directory that could not be made and the real errno (Foundation's text loses it).
    public static func ensureDirectory(_ path: String, mode: Int = 0o755) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw ChaosError("cannot create directory \(path): a file is in the way", exitCode: .failure)
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try ensureDirectory(parent, mode: mode) }
        if mkdir(path, mode_t(mode)) == 0 {
            _ = chmod(path, mode_t(mode))
        } else if errno != EEXIST {
            throw ChaosError.errno("cannot create directory \(path)", exitCode: .failure)
        }
    }
}

extension ChaosError {
    /// An error carrying the current errno's text.
    public static func errno(_ what: String, exitCode: ExitCode = .failure) -> ChaosError {
        let code = Glibc.errno
        let text = String(cString: strerror(code))
        let mapped: ExitCode = (code == EACCES || code == EPERM || code == EROFS) ? .permission : exitCode
        return ChaosError("\(what): \(text)", exitCode: mapped)
    }
}
