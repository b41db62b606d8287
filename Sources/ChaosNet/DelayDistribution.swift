import ChaosCore
import Foundation

/// The shape of netem's delay jitter. "uniform" is the kernel's default (no table); the
/// others are iproute2's generated tables of s16 samples, sent as TCA_NETEM_DELAY_DIST.
public enum DelayDistribution: Equatable, Sendable {
    case uniform
    /// A table by name ("normal", "pareto", "paretonormal", "experimental") or file path.
    case table(name: String)

    public init(_ text: String) {
        self = text.lowercased() == "uniform" ? .uniform : .table(name: text)
    }

    public var name: String {
        switch self {
        case .uniform: return "uniform"
        case .table(let name): return name
        }
    }

    /// Where iproute2 installs its tables; TC_LIB_DIR overrides, as it does for tc.
    public static func searchPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths: [String] = []
        if let dir = environment["TC_LIB_DIR"], !dir.isEmpty { paths.append(dir) }
        paths += ["/usr/lib/x86_64-linux-gnu/tc", "/usr/lib/aarch64-linux-gnu/tc", "/usr/lib/tc",
                  "/usr/lib64/tc", "/usr/local/lib/tc"]
        return paths
    }

    /// The kernel refuses longer tables (NETEM_DIST_MAX).
    public static let maxEntries = 16384

    /// The samples to send, or nil for uniform.
    public func load() throws -> [Int16]? {
        guard case .table(let name) = self else { return nil }
        let candidates = name.contains("/") ? [name] : Self.searchPaths().map { "\($0)/\(name).dist" }
        guard let path = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }),
              let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ChaosError("distribution '\(name)': no table found (looked in \(candidates.joined(separator: ", "))); install iproute2 or pass a .dist path",
                             exitCode: .notFound)
        }
        return try Self.parseTable(text, source: path)
    }

    /// iproute2's .dist format: '#' comments, then whitespace-separated signed 16-bit values.
    public static func parseTable(_ text: String, source: String) throws -> [Int16] {
        var values: [Int16] = []
        for line in text.split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for word in content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
                guard let v = Int16(word) else {
                    throw ChaosError("distribution table \(source): '\(word)' is not a 16-bit integer", exitCode: .usage)
                }
                values.append(v)
            }
        }
        guard !values.isEmpty, values.count <= maxEntries else {
            throw ChaosError("distribution table \(source): \(values.count) entries (the kernel takes 1 to \(maxEntries))", exitCode: .usage)
        }
        return values
    }
}
