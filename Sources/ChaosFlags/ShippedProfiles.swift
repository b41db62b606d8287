import Foundation

/// The fault profiles of the repository's `fault-profiles/`, compiled into the binary
/// (Package.swift embeds each file), so `profile apply NAME` works from any directory.
/// A new file in `fault-profiles/` needs its `.embedInCode` line and its entry here;
/// Tests/CLITests/ProfileLookupTests fails until both are there.
public enum ShippedProfiles {
    /// Repository path (`fault-profiles/NAME.yaml`) → the file's text.
    public static let files: [String: String] = [
        "fault-profiles/flaky-storage.yaml": text(PackageResources.flaky_storage_yaml),
        "fault-profiles/hard-backpressure.yaml": text(PackageResources.hard_backpressure_yaml),
        "fault-profiles/mixed-soak.yaml": text(PackageResources.mixed_soak_yaml),
        "fault-profiles/slow-dependencies.yaml": text(PackageResources.slow_dependencies_yaml),
    ]

    /// The profiles' names (file names without extension), sorted.
    public static var names: [String] { files.keys.map(name(ofPath:)).sorted() }

    /// The shipped profile `reference` means: its name, its file name or its repository path.
    public static func path(for reference: String) -> String? {
        files.keys.first { $0 == reference || name(ofPath: $0) == reference || fileName(ofPath: $0) == reference }
    }

    private static func name(ofPath path: String) -> String {
        (fileName(ofPath: path) as NSString).deletingPathExtension
    }

    private static func fileName(ofPath path: String) -> String { (path as NSString).lastPathComponent }

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
