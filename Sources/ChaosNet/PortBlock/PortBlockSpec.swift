import ChaosCore

/// What a port block matches and does: packets to one destination port, leaving the
/// namespace (egress: its connections out) or arriving (ingress: connections to its own
/// port), TCP or UDP, rejected at once or silently dropped.
public struct PortBlockSpec: Equatable, Sendable {
    public enum Direction: String, CaseIterable, Sendable {
        case egress, ingress
    }

    public enum TransportProtocol: String, CaseIterable, Sendable {
        case tcp, udp
        /// IPPROTO_TCP / IPPROTO_UDP, as `meta l4proto` compares it.
        var number: UInt8 { self == .tcp ? 6 : 17 }
    }

    public enum Verdict: String, CaseIterable, Sendable {
        /// The peer learns at once: a TCP reset, or ICMP port unreachable for UDP.
        case reject
        /// Nothing comes back: connects and requests hang until their own timeouts.
        case drop
    }

    public var port: UInt16
    public var direction: Direction
    public var transport: TransportProtocol
    public var verdict: Verdict

    public init(port: UInt16, direction: Direction = .egress, transport: TransportProtocol = .tcp, verdict: Verdict = .drop) {
        self.port = port
        self.direction = direction
        self.transport = transport
        self.verdict = verdict
    }

    /// A port as the user wrote it: 1…65535.
    public static func port(_ text: String) throws -> UInt16 {
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 1, n <= 65535 else {
            throw ChaosError("is out of range: a port is a whole number from 1 to 65535", exitCode: .usage)
        }
        return UInt16(n)
    }

    /// The rule as `nft list` prints it (without the counter's figures). nft leaves out the
    /// `meta l4proto` match it implies, and `with icmpx port-unreachable`, inet's default reject.
    public var rule: String {
        let action: String
        switch (verdict, transport) {
        case (.drop, _): action = "drop"
        case (.reject, .tcp): action = "reject with tcp reset"
        case (.reject, .udp): action = "reject"
        }
        return "\(transport.rawValue) dport \(port) counter \(action)"
    }

    /// The base chain's hook: egress packets are seen leaving (output), ingress arriving (input).
    public var hook: String { direction == .egress ? "output" : "input" }

    public var summary: String { "\(verdict.rawValue) \(transport.rawValue) port \(port) \(direction.rawValue)" }
}
