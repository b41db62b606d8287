import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The project's one atomic-file writer: temp file in the same directory (so `rename(2)` stays
/// on one file system), write, `fchmod`, `fsync`, `rename` over the target, `fsync` the
/// directory. A concurrent reader opens either the old inode or the new one, never a partial
/// file; after a crash the target is one or the other. It lives in ChaosSystem, a leaf with no
/// dependencies, so ChaosControl's writer and ChaosCore's `AtomicFile` wrapper share it.
public enum FileReplacement {
    /// One failed system call: the file it concerned, what was being done, and its errno.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var action: String
        public var errno: Int32
        public var description: String { "\(path): \(action): \(String(cString: strerror(errno)))" }
    }

    /// Prefix of temp files: `.<name>.tmp.`; readers and watchers must ignore such names.
    public static func tempPrefix(for path: String) -> String {
        ".\((path as NSString).lastPathComponent).tmp."
    }

    /// Replace `path` with `data`, leaving it with exactly `mode` whatever the umask.
    public static func replace(_ path: String, with data: Data, mode: mode_t = 0o644) throws(Failure) {
        let directory = directoryOf(path)
        var random = SystemRandomNumberGenerator()
        let temp = "\(directory)/\(tempPrefix(for: path))\(getpid()).\(random.next() & 0xFFFF_FFFF)"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(path: temp, action: "cannot create temp file", errno: Glibc.errno) }
        var renamed = false
        defer { if !renamed { unlink(temp) } }

        var failure = writeAll(data, to: fd, path: temp)
        // The umask must not narrow the mode: services under other users read these files.
        if failure == nil, fchmod(fd, mode) != 0 { failure = Failure(path: temp, action: "cannot chmod", errno: Glibc.errno) }
        if failure == nil, fsync(fd) != 0 { failure = Failure(path: temp, action: "cannot fsync", errno: Glibc.errno) }
        close(fd)
        if let failure { throw failure }
        guard rename(temp, path) == 0 else {
            throw Failure(path: path, action: "cannot rename \(temp) over it", errno: Glibc.errno)
        }
        renamed = true
        fsyncDirectory(directory)
    }

    /// `mkdir -p` with `mode` (set exactly, whatever the umask); succeeds if the directory
    /// exists. A failure names the directory that could not be made and the real errno
    /// (Foundation's message loses it: a permission problem read "No such file or directory").
    public static func makeDirectories(_ directory: String, mode: mode_t = 0o755) throws(Failure) {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw Failure(path: directory, action: "cannot create directory: a file is in the way", errno: EEXIST)
            }
            return
        }
        let parent = directoryOf(directory)
        if parent != directory, parent != "/", parent != "." {
            if stat(parent, &info) != 0 {
                // ENOTDIR: a file further up is in the way; the recursion finds and names it.
                guard Glibc.errno == ENOENT || Glibc.errno == ENOTDIR else {
                    throw Failure(path: parent, action: "cannot create directory", errno: Glibc.errno)
                }
                try makeDirectories(parent, mode: mode)
            } else if (info.st_mode & S_IFMT) != S_IFDIR {
                throw Failure(path: parent, action: "cannot create directory: a file is in the way", errno: EEXIST)
            }
        }
        if mkdir(directory, mode) == 0 {
            _ = chmod(directory, mode)
        } else if Glibc.errno != EEXIST {
            throw Failure(path: directory, action: "cannot create directory", errno: Glibc.errno)
        }
    }

    /// Makes a rename durable. Best effort: some file systems refuse fsync on a directory.
    public static func fsyncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The directory holding `path` ("." for a bare name).
    public static func directoryOf(_ path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) -> Failure? {
        data.withUnsafeBytes { raw -> Failure? in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if Glibc.errno == EINTR { continue }
                    return Failure(path: path, action: "cannot write", errno: Glibc.errno)
                }
                offset += written
            }
            return nil
        }
    }
}
