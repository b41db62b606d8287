import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Follows a file as a generator appends to it, handing over complete lines only: a last line
/// without its newline is held until the rest arrives (or, at `finish`, reported as
/// truncated). The file may not exist yet when tailing starts. Reading is chunked, so memory
/// stays bounded by the chunk and the longest line, whatever the file's size.
public final class LineTailer {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        /// The file got shorter than what was already read, or was replaced: lines are lost.
        case truncated(path: String, size: Int64, read: Int64)
        case lineTooLong(path: String, line: Int, limit: Int)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
            case .truncated(let path, let size, let read):
                return "\(path): the file shrank to \(size) bytes after \(read) were read (truncated or replaced while tailed)"
            case .lineTooLong(let path, let line, let limit):
                return "\(path):\(line): line longer than \(limit) bytes"
            }
        }
    }

    public let path: String
    public private(set) var bytesRead: Int64 = 0
    /// Complete lines handed over so far.
    public private(set) var lineCount = 0
    private var fd: Int32 = -1
    private var inode: ino_t = 0
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes of an incomplete line kept at the start of `buffer`.
    private var held = 0
    private let maxLine: Int

    public init(path: String, chunkSize: Int = 1 << 20, maxLineBytes: Int = 16 << 20) {
        self.path = path
        capacity = chunkSize
        maxLine = maxLineBytes
        buffer = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    /// Whether the file has been opened (it existed at some poll).
    public var fileSeen: Bool { fd >= 0 }

    /// Hands every complete line appended since the last call to `body` (without its newline,
    /// with its 1-based line number) and returns the bytes read. Returns 0 when nothing new
    /// was written, including when the file does not exist yet.
    @discardableResult
    public func poll(_ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws -> Int {
        guard try openIfPresent() else { return 0 }
        try checkNotTruncated()
        var total = 0
        while true {
            if held == capacity { try grow() }
            let got = read(fd, buffer + held, capacity - held)
            if got < 0 {
                if errno == EINTR { continue }
                throw Failure.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { return total }
            total += got
            bytesRead += Int64(got)
            try splitLines(upTo: held + got, body)
        }
    }

    /// The generator is done: the held bytes, if any, are a last line that never got its
    /// newline (a truncated write). Returns it with its line number.
    public func finish() -> (bytes: [UInt8], line: Int)? {
        guard held > 0 else { return nil }
        let bytes = Array(UnsafeRawBufferPointer(start: buffer, count: held))
        held = 0
        return (bytes, lineCount + 1)
    }

    private func splitLines(upTo end: Int, _ body: (UnsafeRawBufferPointer, Int) throws -> Void) throws {
        var start = 0
        while start < end {
            guard let newline = memchr(buffer + start, 0x0A, end - start) else { break }
            let stop = buffer.distance(to: newline)
            lineCount += 1
            try body(UnsafeRawBufferPointer(start: buffer + start, count: stop - start), lineCount)
            start = stop + 1
        }
        held = end - start
        if held > 0 && start > 0 { memmove(buffer, buffer + start, held) }
    }

    private func grow() throws {
        guard capacity < maxLine else { throw Failure.lineTooLong(path: path, line: lineCount + 1, limit: maxLine) }
        let larger = min(capacity * 2, maxLine)
        let next = UnsafeMutableRawPointer.allocate(byteCount: larger, alignment: 16)
        next.copyMemory(from: buffer, byteCount: held)
        buffer.deallocate()
        buffer = next
        capacity = larger
    }

    private func openIfPresent() throws -> Bool {
        if fd >= 0 { return true }
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        if opened < 0 {
            if errno == ENOENT { return false }
            throw Failure.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        fstat(opened, &info)
        fd = opened
        inode = info.st_ino
        return true
    }

    /// A file replaced under the same name (another inode) or cut shorter loses lines.
    private func checkNotTruncated() throws {
        var byFD = stat()
        fstat(fd, &byFD)
        if Int64(byFD.st_size) < bytesRead {
            throw Failure.truncated(path: path, size: Int64(byFD.st_size), read: bytesRead)
        }
        var byName = stat()
        if stat(path, &byName) == 0, byName.st_ino != inode {
            throw Failure.truncated(path: path, size: Int64(byName.st_size), read: bytesRead)
        }
    }
}
