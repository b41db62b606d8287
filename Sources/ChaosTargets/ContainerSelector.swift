import ChaosCore
import Foundation

/// How many of the matching containers to hit.
public enum ContainerPick: Equatable, Sendable, CustomStringConvertible {
    case count(Int)
    case percent(Double)
    case all

    /// How many of `available` this pick takes. Percent rounds up, so any positive
    /// percentage of a non-empty set hits at least one container.
    public func size(of available: Int) -> Int {
        switch self {
        case .count(let n): return min(max(0, n), available)
        case .percent(let p): return min(available, Int((Double(available) * p / 100).rounded(.up)))
        case .all: return available
        }
    }

    public var description: String {
        switch self {
        case .count(let n): return "\(n) at random"
        case .percent(let p): return "\(p)% at random"
        case .all: return "all"
        }
    }
}

/// Which containers an action targets: label filters (done by the engine), a name pattern
/// and states, then a random pick.
public struct ContainerSelector: Sendable {
    /// "key" or "key=value"; all must match.
    public var labels: [String]
    public var name: NamePattern?
    /// Engine states to consider ("running", "exited", …); empty = any.
    public var statuses: [String]
    public var pick: ContainerPick

    public init(labels: [String] = [], name: NamePattern? = nil, statuses: [String] = ["running"], pick: ContainerPick = .count(1)) {
        self.labels = labels
        self.name = name
        self.statuses = statuses
        self.pick = pick
    }

    /// Human summary for dry-run and error messages.
    public var description: String {
        var parts: [String] = []
        if !labels.isEmpty { parts.append("label " + labels.joined(separator: ",")) }
        if let name { parts.append("name \(name)") }
        if !statuses.isEmpty { parts.append("status " + statuses.joined(separator: "|")) }
        return parts.isEmpty ? "every container" : parts.joined(separator: ", ")
    }

    /// Containers that match labels, name and state (no random pick), sorted by name so a
    /// seed picks the same containers whatever order the engine lists them in.
    public func candidates(in engine: ContainerEngine) throws -> [ContainerSummary] {
        let listed = try engine.list(labels: labels, statuses: statuses, all: true)
        return filter(listed)
    }

    /// The name/state part of the selection, applied to a list already filtered by label.
    public func filter(_ containers: [ContainerSummary]) -> [ContainerSummary] {
        containers
            .filter { c in name.map { p in c.names.contains { p.matches($0) } } ?? true }
            .filter { c in statuses.isEmpty || statuses.contains(c.state) }
            .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// Pick from `candidates`; throws notFound when nothing matches (an action that hits
    /// nothing is almost always a typo in the selector).
    public func choose(from candidates: [ContainerSummary], using rng: inout SeededRandom) throws -> [ContainerSummary] {
        guard !candidates.isEmpty else {
            throw ChaosError("no container matches \(description)", exitCode: .notFound)
        }
        let n = pick.size(of: candidates.count)
        if n == candidates.count { return candidates }
        return rng.sample(candidates, count: n).sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    public func select(in engine: ContainerEngine, using rng: inout SeededRandom) throws -> [ContainerSummary] {
        try choose(from: try candidates(in: engine), using: &rng)
    }
}
