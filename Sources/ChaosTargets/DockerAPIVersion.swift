import Foundation

/// An Engine API version such as 1.41, ordered numerically (1.9 < 1.10).
public struct DockerAPIVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".")
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]) else { return nil }
        self.init(a, b)
    }

    public static func < (l: DockerAPIVersion, r: DockerAPIVersion) -> Bool {
        (l.major, l.minor) < (r.major, r.minor)
    }

    public var description: String { "\(major).\(minor)" }

    /// The newest API chaosctl knows (Docker 20.10; Podman 4 also reports it).
    public static let newestKnown = DockerAPIVersion(1, 41)
    /// The oldest API chaosctl accepts (Docker 1.12): JSON label filters, pause, restart
    /// policies and `State.Pid` all exist from here on.
    public static let oldestSupported = DockerAPIVersion(1, 24)
}
