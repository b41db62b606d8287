/// Which namespaces pod chaos may touch. An explicit deny always wins; an explicit allow
/// is the only way into a protected namespace (`kube-system`); a non-empty allow list
/// limits chaos to the namespaces it names.
public struct KubeNamespacePolicy: Sendable, Equatable {
    /// Denied unless explicitly allowed: breaking the control plane is never an accident.
    public static let protectedByDefault: Set<String> = ["kube-system"]

    public var allowed: Set<String>
    public var denied: Set<String>

    public init(allowed: Set<String> = [], denied: Set<String> = []) {
        self.allowed = allowed
        self.denied = denied
    }

    /// nil if chaos may act in `namespace`, else the reason it may not.
    public func refusal(for namespace: String) -> String? {
        if denied.contains(namespace) { return "namespace \(namespace) is denied (--deny-namespace)" }
        if allowed.contains(namespace) { return nil }
        if Self.protectedByDefault.contains(namespace) {
            return "namespace \(namespace) is protected; pass --allow-namespace \(namespace) to target it"
        }
        if !allowed.isEmpty {
            return "namespace \(namespace) is not in the allow list (\(allowed.sorted().joined(separator: ", ")))"
        }
        return nil
    }

    public func permits(_ namespace: String) -> Bool { refusal(for: namespace) == nil }
}
