import Foundation

/// The file a fuzz input is written to, since the load readers tail files as the generator
/// writes them. One per process, in /dev/shm when there is one (no disk I/O per run);
/// removed when the process exits normally.
enum ScratchFile {
    static let path: String = {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(directory)/chaosctl-fuzz-load-\(getpid())"
        atexit { unlink(ScratchFile.path) }
        return path
    }()

    /// Empties the file, or creates it.
    static func reset() {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot create \(path): \(String(cString: strerror(errno)))")
        close(fd)
    }

    /// Appends bytes, as a generator's write would.
    static func append(_ bytes: ArraySlice<UInt8>) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        precondition(fd >= 0, "cannot open \(path): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let wrote = write(fd, raw.baseAddress! + done, raw.count - done)
                precondition(wrote > 0, "cannot write \(path): \(String(cString: strerror(errno)))")
                done += wrote
            }
        }
    }
}
