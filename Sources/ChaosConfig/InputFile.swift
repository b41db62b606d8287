import ChaosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An input file (experiment, fault profile, kubeconfig) larger than its documented limit.
public struct InputFileTooLarge: ChaosFailure, Equatable {
    public var path: String
    /// What the file is ("experiment file"), for the message.
    public var what: String
    /// The size `stat` reported, or nil when the file gave more than `limit` bytes without
    /// a size (a pipe, a device).
    public var size: Int64?
    public var limit: Int
    public var exitCode: ExitCode { .usage }

    public init(path: String, what: String, size: Int64?, limit: Int) {
        self.path = path
        self.what = what
        self.size = size
        self.limit = limit
    }

    public var description: String {
        let found = size.map { "is \($0) bytes" } ?? "gave more than \(limit) bytes"
        return "\(path): the \(what) \(found); the limit is \(limit) bytes (\(InputFile.readable(limit))), refusing to read it"
    }
}

/// Reads an input file whole, but never more than a limit: a file `stat` says is larger is
/// refused before any byte is read, and a pipe or device is read to one byte past the limit
/// at most, so a huge or endless input costs neither the time nor the memory to parse it.
public enum InputFile {
    /// Why a file could not be opened or read, for the caller to word in its own message.
    public struct Unreadable: Error, Equatable {
        public var errorNumber: Int32
        public var reason: String { String(cString: strerror(errorNumber)) }
    }

    /// The file's bytes; throws `Unreadable` (cannot open or read) or `InputFileTooLarge`.
    public static func read(_ path: String, what: String, limit: Int) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Unreadable(errorNumber: errno) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > limit {
            throw InputFileTooLarge(path: path, what: what, size: Int64(info.st_size), limit: limit)
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while data.count <= limit {
            let wanted = min(buffer.count, limit + 1 - data.count)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Unreadable(errorNumber: errno)
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
        // It grew past the limit after the stat, or it has no size (a pipe, /dev/zero).
        throw InputFileTooLarge(path: path, what: what, size: nil, limit: limit)
    }

    /// "1 MiB", "512 KiB", "300 bytes": limits as the docs write them.
    static func readable(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
