import ChaosConfig
import ChaosCore
import Foundation

/// Finds the profile `profile apply NAME` means. A file wins over the copy built into
/// chaosctl, so an edited `fault-profiles/x.yaml` is the one applied in a checkout, and
/// the shipped ones still work from any other directory.
public enum ProfileLookup {
    /// Where a profile came from: a file, or the copy of a repository file built into chaosctl.
    public enum Source: Equatable, Sendable, CustomStringConvertible {
        case file(String)
        case shipped(String)

        public var description: String {
            switch self {
            case .file(let file): file
            case .shipped(let path): "built-in \(path)"
            }
        }
    }

    public static let extensions = ["yaml", "yml", "json"]

    /// In order: `reference` as a file; `directory/reference.{yaml,yml,json}` for a bare
    /// name; the shipped profile of that name, file name or path. Otherwise an error that
    /// lists every place looked in (exit status 2).
    public static func locate(_ reference: String, directory: String) throws -> Source {
        var candidates = [reference]
        if !reference.contains("/") {
            candidates += extensions.map { (directory as NSString).appendingPathComponent("\(reference).\($0)") }
        }
        if let file = candidates.first(where: FileManager.default.fileExists(atPath:)) { return .file(file) }
        if let path = ShippedProfiles.path(for: reference) { return .shipped(path) }
        let cwd = FileManager.default.currentDirectoryPath
        throw ChaosError("""
            no fault profile '\(reference)': looked for \(candidates.joined(separator: ", ")) (relative to \(cwd)), \
            then among the profiles built into chaosctl (\(ShippedProfiles.names.joined(separator: ", ")))
            """, exitCode: .usage)
    }

    /// Locate and load; a shipped profile is named `built-in:<path>` in its diagnostics.
    public static func load(_ reference: String, directory: String) throws -> (profile: FaultProfile, source: Source) {
        let source = try locate(reference, directory: directory)
        switch source {
        case .file(let file):
            return (try FaultProfile.load(file: file), source)
        case .shipped(let path):
            let label = "built-in:" + path
            let root = try ConfigNode.parse(ShippedProfiles.files[path] ?? "", file: label)
            return (try FaultProfile.parse(root, file: label), source)
        }
    }
}
