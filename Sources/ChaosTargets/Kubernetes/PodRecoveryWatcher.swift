import ChaosCore
import Foundation

/// How long the platform took to bring a selector back to strength.
public struct PodRecovery: Sendable, Equatable {
    /// Serving pods (Running, Ready) required: the count before the action.
    public var required: Int
    /// Serving pods seen when recovery was declared.
    public var serving: Int
    /// Seconds from `since` (the action) to recovery.
    public var seconds: Double
    /// Pods serving at recovery that were not there before (the replacements), "ns/name".
    public var newPods: [String]
}

/// Waits, through a watch stream rather than polling, until a selector again has as many
/// Running and Ready pods as before an action, not counting the pods the action removed.
public struct PodRecoveryWatcher {
    public var client: KubeClient
    public var namespace: String?
    public var labelSelector: String?
    public var fieldSelector: String?

    public init(client: KubeClient, namespace: String?, labelSelector: String?, fieldSelector: String?) {
        self.client = client
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    /// Block until recovered or `timeout` seconds after `since`. `excluding` holds the UIDs
    /// the action hit; `before` the UIDs that existed before it (to name replacements).
    public func wait(required: Int, excluding: Set<String>, before: Set<String>, since: Date,
                     timeout: Double) throws -> PodRecovery {
        guard required > 0 else {
            // Zero required would "recover" at once: a time that measured nothing.
            throw ChaosError("nothing to recover to: no pod (\(describeSelector)) was Running and Ready before the action",
                             exitCode: .usage)
        }
        let deadline = since.addingTimeInterval(timeout)
        var pods: [String: KubePod] = [:]
        func serving() -> [KubePod] { pods.values.filter { $0.isServing && !excluding.contains($0.uid) } }
        func done(at date: Date) -> PodRecovery {
            let now = serving()
            return PodRecovery(required: required, serving: now.count, seconds: date.timeIntervalSince(since),
                               newPods: now.filter { !before.contains($0.uid) }.map(\.id).sorted())
        }
        // Each pass: list (fresh state and a resourceVersion), then watch from there. A pass
        // ends when the server closes the stream or says the version is too old (410);
        // the deadline bounds the number of passes.
        var passes = 0
        while Date() < deadline && passes < 1000 {
            passes += 1
            let list = try client.listPods(namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector)
            pods = Dictionary(list.pods.map { ($0.uid, $0) }, uniquingKeysWith: { _, b in b })
            if serving().count >= required { return done(at: Date()) }
            var recoveredAt: Date?
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { break }
            try client.watchPods(namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                                 resourceVersion: list.resourceVersion, timeout: remaining) { event in
                switch event.type {
                case "ADDED", "MODIFIED":
                    if let pod = event.pod { pods[pod.uid] = pod }
                case "DELETED":
                    if let pod = event.pod { pods[pod.uid] = nil }
                case "ERROR":
                    return false // usually 410 Gone: re-list
                default:
                    break // BOOKMARK
                }
                if serving().count >= required {
                    recoveredAt = Date()
                    return false
                }
                return Date() < deadline
            }
            if let recoveredAt { return done(at: recoveredAt) }
            // A stream the server ended early must not turn into a tight list loop.
            Thread.sleep(forTimeInterval: min(0.2, max(0, deadline.timeIntervalSinceNow)))
        }
        let have = serving().count
        throw ChaosError("not recovered within \(DurationParser.format(timeout)): \(have) of \(required) pods Running and Ready (\(describeSelector))",
                         exitCode: .failure)
    }

    private var describeSelector: String {
        [labelSelector.map { "selector \($0)" }, fieldSelector.map { "field selector \($0)" },
         namespace.map { "namespace \($0)" } ?? "all namespaces"].compactMap { $0 }.joined(separator: ", ")
    }
}
