import ChaosCore

/// Every option of a pod kill or eviction, typed: what `chaosctl pod kill|evict` and a
/// `pod:` step both build from their option values (names as the CLI spells them).
public struct PodFaultOptions: Equatable, Sendable {
    public var action: PodChaosAction
    // Which cluster and which pods.
    public var kubeconfig: String?
    public var context: String?
    /// nil: the context's namespace (or every namespace with `allNamespaces`).
    public var namespace: String?
    public var allNamespaces = false
    public var selector: String?
    public var fieldSelector: String?
    public var policy = KubeNamespacePolicy()
    public var includeNotRunning = false
    public var requestTimeout: Double = 30
    // How many, how often, how safely.
    public var amount: PodAmount = .count(1)
    public var maxPercent: Double = 50
    public var force = false
    public var gracePeriodSeconds: Int?
    public var dryRun = false
    public var seed: UInt64?
    public var interval: Double?
    public var duration: Double?
    public var parallel = false
    public var waitRecovered: Double?

    /// The options that say which pods (shared with `pod list`), then the action's own.
    public static let targetOptionNames = [
        "kubeconfig", "context", "namespace", "all-namespaces", "selector", "field-selector", "allow-namespace",
        "deny-namespace", "include-not-running", "request-timeout",
    ]
    public static let optionNames = targetOptionNames + [
        "count", "percent", "max-percent", "force", "grace-period", "dry-run", "seed", "interval", "duration",
        "parallel", "wait-recovered",
    ]

    public init(action: PodChaosAction) { self.action = action }

    /// Parse and check every option; the first bad one is thrown, named. Durations take
    /// units (`30s`); `grace-period` may also be bare seconds, as kubectl writes it.
    public init(action: PodChaosAction, _ v: OptionValues) throws {
        self.action = action
        kubeconfig = v.text("kubeconfig")
        context = v.text("context")
        namespace = v.text("namespace")
        allNamespaces = try v.flag("all-namespaces")
        if allNamespaces && namespace != nil { throw ChaosError("--namespace and --all-namespaces exclude each other", exitCode: .usage) }
        selector = v.text("selector")
        fieldSelector = v.text("field-selector")
        policy = KubeNamespacePolicy(allowed: Set(v.list("allow-namespace")), denied: Set(v.list("deny-namespace")))
        includeNotRunning = try v.flag("include-not-running")
        requestTimeout = try v.parse("request-timeout", Self.positiveSeconds) ?? requestTimeout

        let count = try v.parse("count") { try Self.integer($0, atLeast: 1, as: Int.self) }
        let percent = try v.parse("percent") { try Self.percent($0) }
        if count != nil && percent != nil { throw ChaosError("--count and --percent exclude each other", exitCode: .usage) }
        amount = percent.map { .percent($0) } ?? .count(count ?? 1)
        maxPercent = try v.parse("max-percent") { try Self.percent($0) } ?? maxPercent
        force = try v.flag("force")
        gracePeriodSeconds = try v.parse("grace-period") {
            Int(try DurationParser.seconds($0, field: "--grace-period", defaultUnit: "s").rounded(.up))
        }
        dryRun = try v.flag("dry-run")
        seed = try v.parse("seed") { try Self.integer($0, atLeast: 0, as: UInt64.self) }
        interval = try v.parse("interval", Self.positiveSeconds)
        duration = try v.parse("duration", Self.positiveSeconds)
        if interval != nil && duration == nil { throw ChaosError("--interval needs --duration", exitCode: .usage) }
        parallel = try v.flag("parallel")
        waitRecovered = try v.parse("wait-recovered", Self.positiveSeconds)
    }

    /// The namespace to act in once credentials are known (nil: every namespace).
    public func namespace(in target: KubeTarget) -> String? { allNamespaces ? nil : (namespace ?? target.namespace) }

    public func plan(namespace: String?) -> PodChaosPlan {
        let selection = PodSelectionSpec(namespace: namespace, labelSelector: selector, fieldSelector: fieldSelector,
                                         includeNotRunning: includeNotRunning, amount: amount, maxPercent: maxPercent,
                                         force: force, policy: policy)
        return PodChaosPlan(action: action, selection: selection, gracePeriodSeconds: gracePeriodSeconds, dryRun: dryRun,
                            seed: seed, interval: interval, duration: duration, parallel: parallel, waitRecovered: waitRecovered)
    }

    static func positiveSeconds(_ text: String) throws -> Double {
        let s = try DurationParser.seconds(text)
        guard s > 0 else { throw ChaosError("must be longer than 0", exitCode: .usage) }
        return s
    }

    static func integer<T: FixedWidthInteger>(_ text: String, atLeast minimum: T, as: T.Type) throws -> T {
        guard let n = T(text.trimmingCharacters(in: .whitespaces)), n >= minimum else {
            throw ChaosError("must be a whole number of at least \(minimum)", exitCode: .usage)
        }
        return n
    }

    static func percent(_ text: String) throws -> Double {
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let p = Double(digits.trimmingCharacters(in: .whitespaces)), p > 0, p <= 100 else {
            throw ChaosError("must be a percentage in (0, 100]", exitCode: .usage)
        }
        return p
    }
}
