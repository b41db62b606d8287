import Foundation

/// The demo experiment (the repository's `experiments/demo.yaml`), compiled into the binary
/// so `chaosctl demo` runs from any directory.
public enum DemoExperiment {
    /// Its path in the repository; a file there (relative to the working directory) wins.
    public static let path = "experiments/demo.yaml"
    public static let text = String(decoding: PackageResources.demo_yaml, as: UTF8.self)
    /// The load generator scripts it prefers (k6, then Locust), beside it as in the repository.
    public static let generatorScripts = [
        "experiments/k6/soak.js": String(decoding: PackageResources.soak_js, as: UTF8.self),
        "experiments/locust/locustfile.py": String(decoding: PackageResources.locustfile_py, as: UTF8.self),
    ]

    /// Lay out the built-in experiment under `directory` as it is in the repository, with
    /// the profiles it names beside it (`../fault-profiles/…`: repository path → text) and its
    /// generator scripts, so its relative paths resolve and errors name a real file. Returns
    /// the experiment's path.
    public static func write(into directory: String, profiles: [String: String]) throws -> String {
        let files = profiles.merging(generatorScripts.merging([path: text]) { _, ours in ours }) { _, ours in ours }
        for (relative, contents) in files {
            let file = (directory as NSString).appendingPathComponent(relative)
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try contents.write(toFile: file, atomically: false, encoding: .utf8)
        }
        return (directory as NSString).appendingPathComponent(path)
    }
}
