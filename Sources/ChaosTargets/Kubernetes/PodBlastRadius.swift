import ChaosCore
import Foundation

/// The blast-radius cap (`--max-percent`), measured against the whole workload a selector
/// stands for rather than against the pods that happen to be Running: pods already down
/// (terminating, Pending replacements, not Ready) count as unavailable, so repeated fast
/// rounds cannot take a 4-replica Deployment down to 1 one pod at a time.
public struct PodBlastRadius: Sendable, Equatable {
    /// How many pods the selector stands for: the larger of the active pods (not
    /// terminating, not finished; a ReplicaSet keeps these at its desired replicas once it
    /// has reacted) and the serving plus terminating pods (covers the ~50 ms before the
    /// controller creates a replacement). Read from the pod list alone, so no RBAC on
    /// Deployments or ReplicaSets is needed.
    public var strength: Int
    /// Running, Ready and not terminating.
    public var serving: Int

    public init(strength: Int, serving: Int) {
        self.strength = strength
        self.serving = serving
    }

    /// From a pod list, counting only the namespaces `policy` permits. `floor`: the most
    /// active pods an earlier round of the same run saw, so a replacement that never
    /// comes (quota, a controller that is down, a bare pod) still counts as missing.
    public init(matched: [KubePod], policy: KubeNamespacePolicy, floor: Int = 0) {
        let pods = matched.filter { policy.permits($0.namespace) }
        let terminating = pods.filter(\.terminating).count
        let serving = pods.filter(\.isServing).count
        self.init(strength: max(Self.active(in: matched, policy: policy), serving + terminating, floor), serving: serving)
    }

    /// Pods neither terminating nor finished: what a ReplicaSet keeps at its replicas.
    public static func active(in matched: [KubePod], policy: KubeNamespacePolicy) -> Int {
        matched.filter { policy.permits($0.namespace) && !$0.terminating && $0.phase != "Succeeded" && $0.phase != "Failed" }.count
    }

    /// Pods unavailable after hitting `count` more (at worst every hit is a serving pod).
    public func unavailable(afterHitting count: Int) -> Int {
        strength - (serving - min(count, serving))
    }

    /// Throws when hitting `count` pods breaks the cap: a plain usage error when `count`
    /// alone is too many, `PodBlastRadiusRefusal` when it is too many only because
    /// other pods are already down (a later round may then be skipped instead).
    public func check(count: Int, maxPercent: Double) throws {
        guard count > 0, strength > 0 else { return }
        let cap = KubeNumberFormat.number(maxPercent)
        if Double(count) * 100 > maxPercent * Double(strength) {
            throw ChaosError("would hit \(count) of \(strength) pods (\(percent(count))%), above the blast-radius cap --max-percent \(cap); lower --count/--percent or raise --max-percent",
                             exitCode: .usage)
        }
        let after = unavailable(afterHitting: count)
        if Double(after) * 100 > maxPercent * Double(strength) {
            throw PodBlastRadiusRefusal(message: "\(strength - serving) of \(strength) pods are already unavailable (not Running and Ready); hitting \(count) more would leave \(after) of \(strength) (\(percent(after))%) unavailable, above the blast-radius cap --max-percent \(cap); wait for them to recover or raise --max-percent")
        }
    }

    private func percent(_ n: Int) -> Int { Int((Double(n) * 100 / Double(strength)).rounded()) }
}

/// The cap refused a round because pods are already down; exit 2 when it ends a command.
public struct PodBlastRadiusRefusal: ChaosFailure, Equatable {
    public var message: String
    public var exitCode: ExitCode { .usage }
    public var description: String { message }
}
