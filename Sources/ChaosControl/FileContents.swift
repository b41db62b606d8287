import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file with plain syscalls, telling "missing" apart from "unreadable", and
/// refusing one larger than the limit without reading it.
enum FileContents {
    enum Outcome {
        case contents(Data, FileIdentity)
        /// The file or a directory on its path does not exist.
        case missing
    }

    /// Follows symlinks, so a Kubernetes ConfigMap `name -> ..data/name` resolves afresh each time.
    /// A file whose size is over `limit` is refused after `fstat`, before any byte is read; one
    /// that grows past it while being read is refused after `limit + 1` bytes.
    static func read(_ path: String, limit: Int = FlagLimits.maxFileBytes) throws -> Outcome {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw ControlFileError.io(path, "cannot open")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ControlFileError.io(path, "cannot stat") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ControlFileError(.io, path: path, reason: "is not a regular file")
        }
        guard info.st_size <= limit else { throw tooLarge(path, size: "is \(info.st_size) bytes", limit: limit) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let wanted = min(buffer.count, limit + 1 - data.count)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ControlFileError.io(path, "cannot read")
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
            if data.count > limit { throw tooLarge(path, size: "grew past \(limit) bytes while being read", limit: limit) }
        }
        return .contents(data, FileIdentity(info))
    }

    /// Too large is bad content, like invalid JSON: the state in force stays, a writer
    /// refuses to overwrite it, and the CLI exits 2.
    private static func tooLarge(_ path: String, size: String, limit: Int) -> ControlFileError {
        let mebibytes = limit % (1 << 20) == 0 ? " (\(limit >> 20) MiB)" : ""
        return ControlFileError(.invalidValue, path: path,
                                reason: "the control file \(size); the limit is \(limit) bytes\(mebibytes)")
    }
}

/// What `stat(2)` says about a file, to notice a change without reading it.
struct FileIdentity: Equatable {
    var device: UInt64 = 0
    var inode: UInt64 = 0
    var size: Int64 = 0
    var modifiedSeconds: Int = 0
    var modifiedNanoseconds: Int = 0
    var changedSeconds: Int = 0
    var changedNanoseconds: Int = 0

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        changedSeconds = Int(info.st_ctim.tv_sec)
        changedNanoseconds = Int(info.st_ctim.tv_nsec)
    }

    /// Stats the path (following symlinks); nil when missing or unreadable.
    static func of(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(info)
    }
}
