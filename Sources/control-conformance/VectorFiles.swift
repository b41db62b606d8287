import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Lays out the file-system situations a conformance vector asks for (docs/control-file.md
/// section 8): documents replaced by rename, raw bytes, missing files and directories,
/// a directory or a symlink loop in the file's place, and a ConfigMap `..data` swap.
struct VectorFiles {
    let directory: String
    let path: String
    private var configMapVersions = 0

    init(root: String) {
        directory = root + "/chaos"
        path = directory + "/control.json"
    }

    /// Replaces the control file by rename(2), as writers do (section 5).
    func replace(with bytes: Data) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temp = directory + "/.control.json.tmp.\(getpid())"
        try bytes.write(to: URL(fileURLWithPath: temp))
        try clearIfNotRegularFile(path)
        guard rename(temp, path) == 0 else { throw failure("rename \(temp)") }
    }

    func remove() throws {
        try clear(path)
    }

    func removeDirectory() throws {
        try clear(directory)
    }

    func makeDirectory() throws {
        try clear(path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func makeSymlinkLoop() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try clear(path)
        guard symlink("control.json", path) == 0 else { throw failure("symlink \(path)") }
    }

    /// The kubelet's update: a new timestamped directory, `..data_tmp` pointing at it,
    /// renamed over `..data`; the file itself is a symlink `control.json -> ..data/control.json`.
    mutating func swapConfigMap(to bytes: Data) throws {
        configMapVersions += 1
        let version = "..2026_11_22_17_05_00.\(configMapVersions)"
        try FileManager.default.createDirectory(atPath: directory + "/" + version, withIntermediateDirectories: true)
        try bytes.write(to: URL(fileURLWithPath: directory + "/" + version + "/control.json"))
        let temporaryLink = directory + "/..data_tmp"
        _ = unlink(temporaryLink)
        guard symlink(version, temporaryLink) == 0, rename(temporaryLink, directory + "/..data") == 0 else {
            throw failure("swap ..data")
        }
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? ""
        if target != "..data/control.json" {
            try clear(path)
            guard symlink("..data/control.json", path) == 0 else { throw failure("symlink \(path)") }
        }
    }

    private func clearIfNotRegularFile(_ target: String) throws {
        var info = stat()
        if lstat(target, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { try clear(target) }
    }

    private func clear(_ target: String) throws {
        var info = stat()
        guard lstat(target, &info) == 0 else { return }
        try FileManager.default.removeItem(atPath: target)
    }

    private func failure(_ what: String) -> Error {
        NSError(domain: "control-conformance", code: Int(errno),
                userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(errno)))"])
    }
}
