import ChaosCore
import Foundation

/// How many of the eligible pods to hit.
public enum PodAmount: Sendable, Equatable {
    case count(Int)
    /// Percent of the eligible pods, rounded up (at least one when above zero).
    case percent(Double)

    public func resolve(eligible: Int) -> Int {
        switch self {
        case .count(let n): return min(max(0, n), eligible)
        case .percent(let p):
            guard p > 0, eligible > 0 else { return 0 }
            return min(eligible, max(1, Int((Double(eligible) * p / 100).rounded(.up))))
        }
    }
}

/// What to select and the safety limits around it.
public struct PodSelectionSpec: Sendable, Equatable {
    /// nil: every namespace (`/api/v1/pods`).
    public var namespace: String?
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Also pick pods that are not Running (Pending, Failed…); off by default.
    public var includeNotRunning: Bool
    public var amount: PodAmount
    /// Blast-radius cap: never leave more than this percent of the selector's pods
    /// unavailable (see `PodBlastRadius`).
    public var maxPercent: Double
    /// Act even when the selector matches nothing or every pod of a namespace.
    public var force: Bool
    public var policy: KubeNamespacePolicy

    public init(namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                includeNotRunning: Bool = false, amount: PodAmount = .count(1), maxPercent: Double = 50,
                force: Bool = false, policy: KubeNamespacePolicy = KubeNamespacePolicy()) {
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.includeNotRunning = includeNotRunning
        self.amount = amount
        self.maxPercent = maxPercent
        self.force = force
        self.policy = policy
    }

    /// "app=web in namespace chaos", for messages.
    public var describe: String {
        var parts: [String] = []
        if let l = labelSelector, !l.isEmpty { parts.append("label selector '\(l)'") }
        if let f = fieldSelector, !f.isEmpty { parts.append("field selector '\(f)'") }
        let what = parts.isEmpty ? "no selector" : parts.joined(separator: " and ")
        return what + (namespace.map { " in namespace \($0)" } ?? " in all namespaces")
    }

    var hasSelector: Bool { !(labelSelector ?? "").isEmpty || !(fieldSelector ?? "").isEmpty }
}

/// The outcome of selection: who was eligible, who was skipped and why, who was chosen.
public struct PodSelection: Sendable {
    /// Every pod the selector matched (the list's view before any action).
    public var matched: [KubePod]
    public var eligible: [KubePod]
    public var skipped: [(pod: KubePod, reason: String)]
    public var chosen: [KubePod]
    /// The matched list's resourceVersion.
    public var resourceVersion: String

    /// Matched pods that were Running and Ready: the recovery target.
    public var servingCount: Int { matched.filter(\.isServing).count }

    /// Decide, without any I/O. `namespacePods` lists every live pod of the namespaces
    /// involved (for the "matches everything" check); nil when the check is not needed.
    /// `strengthFloor`: see `PodBlastRadius.init(matched:policy:floor:)`.
    public static func plan(matched: [KubePod], resourceVersion: String, namespacePods: [KubePod]?,
                            spec: PodSelectionSpec, random: inout SeededRandom,
                            strengthFloor: Int = 0) throws -> PodSelection {
        var eligible: [KubePod] = []
        var skipped: [(pod: KubePod, reason: String)] = []
        for pod in matched.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
            if let refusal = spec.policy.refusal(for: pod.namespace) {
                skipped.append((pod, refusal))
            } else if pod.terminating {
                skipped.append((pod, "already terminating"))
            } else if pod.phase != "Running" && !spec.includeNotRunning {
                skipped.append((pod, "phase \(pod.phase), not Running"))
            } else {
                eligible.append(pod)
            }
        }
        if eligible.isEmpty && !spec.force {
            let detail = skipped.isEmpty ? "" : " (\(skipped.count) matched but skipped: "
                + skipped.prefix(5).map { "\($0.pod.id) \($0.reason)" }.joined(separator: "; ") + ")"
            throw ChaosError("\(spec.describe) matches no eligible pod\(detail); refusing (--force to accept doing nothing)",
                             exitCode: .notFound)
        }
        if !spec.force {
            try refuseIfEverything(matched: matched, namespacePods: namespacePods, spec: spec)
        }
        let count = spec.amount.resolve(eligible: eligible.count)
        try PodBlastRadius(matched: matched, policy: spec.policy, floor: strengthFloor)
            .check(count: count, maxPercent: spec.maxPercent)
        let chosen = random.sample(eligible, count: count)
        return PodSelection(matched: matched, eligible: eligible, skipped: skipped, chosen: chosen,
                            resourceVersion: resourceVersion)
    }

    /// A selector that matches every live pod of a namespace is almost always a mistake
    /// (a typo'd or empty selector), so it is refused unless forced.
    static func refuseIfEverything(matched: [KubePod], namespacePods: [KubePod]?, spec: PodSelectionSpec) throws {
        let live = matched.filter { !$0.terminating && spec.policy.permits($0.namespace) }
        guard !live.isEmpty else { return }
        let refuse = { (scope: String) in
            ChaosError("\(spec.describe) matches every pod \(scope); refusing (narrow the selector, or --force)", exitCode: .usage)
        }
        guard spec.hasSelector else { throw refuse(spec.namespace.map { "in namespace \($0)" } ?? "in the cluster") }
        guard let namespacePods else { return }
        for namespace in Set(live.map(\.namespace)).sorted() {
            let all = Set(namespacePods.filter { $0.namespace == namespace && !$0.terminating }.map(\.uid))
            let hit = Set(live.filter { $0.namespace == namespace }.map(\.uid))
            if !all.isEmpty && all.isSubset(of: hit) { throw refuse("in namespace \(namespace) (\(all.count) of \(all.count))") }
        }
    }
}

/// Formats numbers without a trailing ".0".
enum KubeNumberFormat {
    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}
