import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// inotify on the control file's DIRECTORY, not the file: a rename over the file, an
/// editor's save-as-new-inode and a Kubernetes ConfigMap `..data` symlink swap all replace
/// the inode a file watch would hold, but all show up as events in the directory.
final class DirectoryWatcher {
    let directory: String
    /// inotify descriptor, or -1 when inotify is unavailable (then only polling works).
    let descriptor: Int32
    private var watch: Int32 = -1
    private let ignoredPrefix: String
    private let lockName: String

    private static let mask: UInt32 = UInt32(IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_CREATE
        | IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

    init(controlFile path: String) {
        directory = FileReplacement.directoryOf(path)
        ignoredPrefix = FileReplacement.tempPrefix(for: path)
        lockName = (ControlFileLock.lockPath(for: path) as NSString).lastPathComponent
        descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        _ = ensureWatching()
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    var isWatching: Bool { watch >= 0 }

    /// (Re)adds the directory watch if it is missing (directory created later, or deleted
    /// and recreated). Returns true when a new watch was just added.
    func ensureWatching() -> Bool {
        guard descriptor >= 0, watch < 0 else { return false }
        watch = inotify_add_watch(descriptor, directory, Self.mask)
        return watch >= 0
    }

    /// Reads all pending events. Returns true if any could concern the control file:
    /// everything except our own writers' temp and lock files.
    func drainEvents() -> Bool {
        guard descriptor >= 0 else { return false }
        var relevant = false
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count <= 0 { break }   // EAGAIN: drained
            buffer.withUnsafeBytes { raw in
                var offset = 0
                // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
                while offset + 16 <= count {
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let nameLength = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = raw[(offset + 16)..<(offset + 16 + nameLength)].prefix { $0 != 0 }
                    let name = String(decoding: nameBytes, as: UTF8.self)
                    offset += 16 + nameLength
                    if mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                        watch = -1   // the directory went away; re-added on the next poll tick
                        relevant = true
                    } else if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        relevant = true
                    } else if !name.hasPrefix(ignoredPrefix), name != lockName {
                        relevant = true
                    }
                }
            }
        }
        return relevant
    }
}
