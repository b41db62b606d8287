import ChaosTestSupport
import Foundation
import XCTest

/// The package's root directory (this file is Tests/CLITests/PackageManifest.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Package.swift as SwiftPM itself reads it (`swift package dump-package`), so tests compare
/// docs and scripts with the real targets, not with a second parser of the manifest.
struct PackageManifest {
    struct Target {
        var name: String
        var type: String            // regular, executable, system, test, …
        var path: String?           // nil: the default, Sources/<name> (or Tests/<name>)
        var dependencies: [String]  // target names, and product names of other packages
        var aptProviders: [String]  // system libraries: the Debian packages that provide them
    }

    var targets: [Target]

    /// Runs once per test process (about 10 s). Its own scratch directory: the one of the
    /// running `swift test` is locked by it.
    static func load() throws -> PackageManifest {
        if let cached { return cached }
        let scratch = NSTemporaryDirectory() + "chaosctl-dump-package-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        // stdout to a file: the JSON, apart from anything swift says on stderr.
        let json = scratch + "/package.json"
        let (status, output) = runProcess(["/bin/sh", "-c", "exec swift package --package-path \"$1\" --scratch-path \"$2\" dump-package > \"$3\"",
                                           "sh", packageRoot, scratch, json])
        if status == 127 { throw fixtureUnavailable("swift is not on PATH: \(output)") }
        guard status == 0, let data = FileManager.default.contents(atPath: json) else {
            throw ManifestError(description: "swift package dump-package exited with \(status): \(output)")
        }
        let manifest = try parse(data)
        cached = manifest
        return manifest
    }

    static func parse(_ json: Data) throws -> PackageManifest {
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let targets = try XCTUnwrap(root["targets"] as? [[String: Any]])
        return PackageManifest(targets: targets.map { target in
            // Each dependency is {"byName"|"target"|"product": [name, ...]}.
            let dependencies = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
                dependency.values.compactMap { ($0 as? [Any])?.first as? String }.first
            }
            let providers = (target["providers"] as? [[String: Any]] ?? []).flatMap { provider in
                (provider["apt"] as? [[String]] ?? []).flatMap { $0 }
            }
            return Target(name: target["name"] as? String ?? "", type: target["type"] as? String ?? "",
                          path: target["path"] as? String, dependencies: dependencies, aptProviders: providers)
        })
    }

    /// XCTest runs one test at a time: the first that needs the manifest fills this.
    private static var cached: PackageManifest?
}

struct ManifestError: Error, CustomStringConvertible {
    var description: String
}
