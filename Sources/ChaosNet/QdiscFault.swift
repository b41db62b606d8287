import ChaosCore
import Foundation

/// What netem and tbf faults share: the target, the ownership check, and the journaled
/// revert data (which qdisc was there before, byte for byte).
///
/// Revert data keys: device, netns (NetTarget.encoded), netnsId (dev:inode of the nsfs file,
/// absent for the current netns), handle (ours, "ca05:"), and when a foreign root qdisc
/// was replaced with --force: prevKind, prevHandle, prevOptions (TCA_OPTIONS as hex).
public struct QdiscFaultTarget: Sendable {
    public var target: NetTarget
    public var device: String
    /// Replace a root qdisc chaosctl did not install (it is saved and restored on revert).
    public var force: Bool

    public init(target: NetTarget, device: String, force: Bool = false) {
        self.target = target
        self.device = device
        self.force = force
    }

    public var label: String { "\(device) in \(target.label)" }

    /// Check ownership and capture the revert data. Throws `.conflict` if chaosctl already
    /// has a qdisc here, or if a foreign root qdisc is there and `force` is off.
    func captureRevertData() throws -> [String: String] {
        let control = try QdiscControl(target: target, device: device)
        var data = ["device": device, "netns": target.encoded, "handle": QdiscHandle.format(QdiscHandle.chaosctl)]
        if let id = try target.identity() { data["netnsId"] = id }
        guard let root = try control.root() else { return data }
        if root.isChaosctl {
            throw ChaosError("""
                \(label) already has a chaosctl qdisc (\(root.kind) \(QdiscHandle.format(root.handle))); \
                end that fault first (chaosctl \(root.kind) clear --dev \(device)\(cliTargetFlags))
                """, exitCode: .conflict)
        }
        if !root.isDefault {
            guard force else {
                throw ChaosError("""
                    \(label) has a root qdisc chaosctl did not install (\(root.kind) \(QdiscHandle.format(root.handle))); \
                    refusing to replace it. Pass --force to replace it: chaosctl saves it and puts it back when the fault ends \
                    (its child qdiscs and classes are not saved)
                    """, exitCode: .conflict)
            }
            data["prevKind"] = root.kind
            data["prevHandle"] = QdiscHandle.format(root.handle)
            data["prevOptions"] = Hex.encode(root.options)
        }
        return data
    }

    var cliTargetFlags: String {
        switch target {
        case .current: return ""
        case .named(let n): return " --netns \(n)"
        case .process(let p): return " --pid \(p)"
        }
    }

    /// Before installing: the root must still be what revertData() saw, or the saved
    /// state would be wrong.
    /// A netlink handle on the device, after checking that its root qdisc is still what the
    /// journal captured (captured now if nothing was yet).
    func controlIfUnchanged(captured: CapturedState) throws -> QdiscControl {
        let control = try QdiscControl(target: target, device: device)
        try checkUnchanged(since: try captured.get(orCapture: { try captured.set(captureRevertData()) }), control: control)
        return control
    }

    private func checkUnchanged(since data: [String: String], control: QdiscControl) throws {
        let root = try control.root()
        let nowKind = root.flatMap { $0.isDefault ? nil : $0.kind }
        let nowHandle = root.flatMap { $0.isDefault ? nil : QdiscHandle.format($0.handle) }
        if nowKind != data["prevKind"] || nowHandle != data["prevHandle"] {
            throw ChaosError("the root qdisc of \(label) changed while chaosctl was applying its fault; try again",
                             exitCode: .conflict)
        }
    }
}

/// netem on a device: delay, loss, duplication, corruption, reordering, rate, slots.
public struct NetemFault: Fault {
    public let placement: QdiscFaultTarget
    public let spec: NetemSpec
    private let dist: [Int16]?
    private let slotDist: [Int16]?
    /// The seed was derived from a run's seed rather than asked for: a kernel that ignores it
    /// (before 6.3) is no reason to fail the step.
    public var seedIsDerived = false

    /// Validates and loads distribution tables now, so nothing is sent for a bad request.
    public init(_ spec: NetemSpec, on target: QdiscFaultTarget) throws {
        try spec.validate()
        self.spec = spec
        self.placement = target
        dist = try spec.distribution.load()
        slotDist = try spec.slot?.distribution?.load()
    }

    public var kind: String { "netem" }
    public var target: String { placement.label }
    public var summary: String { spec.summary }
    private let captured = CapturedState()
    public func revertData() throws -> [String: String] { try captured.set(placement.captureRevertData()) }

    public func apply() throws {
        let control = try placement.controlIfUnchanged(captured: captured)
        try control.installNetem(spec, dist: dist, slotDist: slotDist)
        // Kernels before 6.3 ignore TCA_NETEM_PRNG_SEED silently; say so rather than pretend.
        if let seed = spec.seed, !seedIsDerived, (try? control.root())??.netem?.seed != seed {
            throw ChaosError("this kernel ignores netem's seed (TCA_NETEM_PRNG_SEED needs Linux 6.3 or later); drop --seed",
                             exitCode: .unsupported)
        }
    }
}

/// tbf on a device: rate limiting with a token bucket.
public struct TbfFault: Fault {
    public let placement: QdiscFaultTarget
    public let spec: TbfSpec

    public init(_ spec: TbfSpec, on target: QdiscFaultTarget) throws {
        try spec.validate()
        self.spec = spec
        self.placement = target
    }

    public var kind: String { "tbf" }
    public var target: String { placement.label }
    public var summary: String { spec.summary }
    private let captured = CapturedState()
    public func revertData() throws -> [String: String] { try captured.set(placement.captureRevertData()) }

    public func apply() throws {
        try placement.controlIfUnchanged(captured: captured).installTbf(spec)
    }
}

/// apply() sees the fault, not its record: this keeps what revertData() saw.
// @unchecked Sendable: set by revertData() and read by apply() one after the other, on the thread applying the fault.
final class CapturedState: @unchecked Sendable {
    private var data: [String: String]?
    func set(_ d: [String: String]) -> [String: String] { data = d; return d }
    func get(orCapture capture: () throws -> [String: String]) rethrows -> [String: String] {
        if let data { return data }
        return try capture()
    }
}

/// Hex for raw option bytes in the journal (JSON strings).
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    static func decode(_ text: String) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = text.startIndex
        while i < text.endIndex {
            let j = text.index(i, offsetBy: 2)
            guard let b = UInt8(text[i..<j], radix: 16) else { return nil }
            out.append(b)
            i = j
        }
        return out
    }
}
