import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Changes a control file safely against concurrent writers (any language following
/// docs/control-file.md) and concurrent readers.
///
/// ```swift
/// let writer = ControlFileWriter(path: "/run/chaos/control.json")
/// try writer.update { doc in doc.flags["slow-db"] = Flag(percent: 50, latencyMilliseconds: 200) }
/// ```
public struct ControlFileWriter: Sendable {
    /// The control file.
    public let path: String
    /// Written to `updated_by` on each update.
    public let updatedBy: String

    /// - Parameters:
    ///   - path: the control file; its directory is created (0755) if missing.
    ///   - updatedBy: recorded in `updated_by`; defaults to `<user>@<host> pid <pid>`.
    public init(path: String, updatedBy: String? = nil) {
        self.path = path
        self.updatedBy = updatedBy ?? ControlFileWriter.defaultIdentity()
    }

    /// Read-modify-write under the writers' lock:
    /// lock → parse the current file (missing → empty document; corrupt → throw, leaving it
    /// untouched) → `body` → validate → bump `generation`, set `updated_at` / `updated_by`
    /// → atomic replace → unlock. If `body` throws, nothing is written.
    /// - Returns: the document as written.
    /// - Parameter committed: runs after the file is replaced, still under the lock, so
    ///   bookkeeping that must match the file (a journal) cannot interleave with other writers.
    @discardableResult
    public func update(_ body: (inout ControlDocument) throws -> Void,
                       committed: ((ControlDocument) throws -> Void)? = nil) throws -> ControlDocument {
        try ensureDirectory()
        let lock = try ControlFileLock(controlFile: path)
        defer { lock.unlock() }
        removeAbandonedTempFiles()

        let current = try readCurrent()
        var document = current
        try body(&document)
        document.version = ControlDocument.currentVersion
        document.generation = current.generation + 1
        document.updatedAt = RFC3339.truncatedToMilliseconds(Date())
        document.updatedBy = updatedBy
        let data: Data
        do {
            data = try document.encoded()
        } catch let error as ControlFileError {
            throw error.at(path: path)
        }
        // Every reader would refuse a larger file and keep its old state; refuse it here.
        guard data.count <= FlagLimits.maxFileBytes else {
            throw ControlFileError(.invalidValue, path: path, reason:
                "the change would make the control file \(data.count) bytes; the limit is \(FlagLimits.maxFileBytes) bytes (1 MiB)")
        }
        do {
            try FileReplacement.replace(path, with: data)
        } catch {
            throw ControlFileError(error)
        }
        try committed?(document)
        return document
    }

    /// The current document without locking (missing → empty). Throws on a corrupt file.
    public func read() throws -> ControlDocument {
        try readCurrent()
    }

    private func readCurrent() throws -> ControlDocument {
        switch try FileContents.read(path) {
        case .missing:
            return ControlDocument()
        case .contents(let data, _):
            do {
                return try ControlDocument.decode(data, path: path)
            } catch let error as ControlFileError {
                var refused = error
                refused.reason += " (refusing to overwrite it; fix or remove the file first)"
                throw refused
            }
        }
    }

    private func ensureDirectory() throws {
        do {
            try FileReplacement.makeDirectories(FileReplacement.directoryOf(path))
        } catch {
            throw ControlFileError(error)
        }
    }

    /// Temp files are only created under the lock, so any found while holding it belong
    /// to a writer that crashed between create and rename.
    private func removeAbandonedTempFiles() {
        let directory = FileReplacement.directoryOf(path)
        let prefix = FileReplacement.tempPrefix(for: path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            unlink("\(directory)/\(name)")
        }
    }

    private static func defaultIdentity() -> String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? String(getuid())
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        return "\(user)@\(String(cString: host)) pid \(getpid())"
    }
}
