import CNetlink
import ChaosCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads and changes the qdiscs of one device in one network namespace. The netlink socket
/// and the device index are taken inside the namespace; everything after uses the socket.
public final class QdiscControl {
    public let target: NetTarget
    public let device: String
    public let ifindex: Int32
    private let socket: NetlinkSocket

    public init(target: NetTarget, device: String) throws {
        guard !device.isEmpty, device.utf8.count < 16, !device.contains("/") else {
            throw ChaosError("--dev: '\(device)' is not an interface name", exitCode: .usage)
        }
        self.target = target
        self.device = device
        (socket, ifindex) = try target.within {
            let s = try NetlinkSocket()
            let index = if_nametoindex(device)
            guard index > 0 else {
                throw ChaosError("no network device '\(device)' in \(target.label) (see `ip link`)", exitCode: .notFound)
            }
            return (s, Int32(index))
        }
    }

    /// This device's qdiscs, root first.
    public func qdiscs() throws -> [QdiscInfo] {
        var request = tcmsg()
        request.tcm_family = UInt8(AF_UNSPEC)
        request.tcm_ifindex = ifindex
        let messages: [[UInt8]]
        do { messages = try socket.dump(type: Int32(RTM_GETQDISC), header: request) } catch let f as NetlinkFailure {
            throw NetErrors.explain(f, doing: "list qdiscs of \(device)", kind: nil, device: device, target: target)
        }
        let mine = messages.compactMap(QdiscInfo.parse(message:)).filter { $0.ifindex == ifindex }
        return mine.filter(\.isRoot) + mine.filter { !$0.isRoot }
    }

    public func root() throws -> QdiscInfo? { try qdiscs().first(where: \.isRoot) }

    private func request(type: Int, flags: Int32, kind: String?, handle: UInt32, action: String,
                         options: (NetlinkMessage) throws -> Void) throws {
        let msg = try NetlinkMessage(type: Int32(type), flags: flags)
        var header = tcmsg()
        header.tcm_family = UInt8(AF_UNSPEC)
        header.tcm_ifindex = ifindex
        header.tcm_handle = handle
        header.tcm_parent = QdiscHandle.root
        try msg.append(header, what: "tcmsg")
        if let kind { try msg.put(TCA_KIND, string: kind) }
        try options(msg)
        do { try socket.request(msg) } catch let f as NetlinkFailure {
            throw NetErrors.explain(f, doing: action, kind: kind, device: device, target: target)
        }
    }

    /// Install (or replace whatever is there with) a root qdisc.
    func replaceRoot(kind: String, handle: UInt32, options: (NetlinkMessage) throws -> Void) throws {
        try request(type: Int(RTM_NEWQDISC), flags: NLM_F_CREATE | NLM_F_REPLACE, kind: kind, handle: handle,
                    action: "install \(kind) on \(device) in \(target.label)", options: options)
    }

    /// Recreate a saved qdisc from its kind and raw TCA_OPTIONS, replacing the current root.
    public func restoreRoot(_ saved: QdiscInfo) throws {
        try replaceRoot(kind: saved.kind, handle: saved.handle) { msg in
            if !saved.options.isEmpty {
                try msg.put(TCA_OPTIONS, bytes: QdiscRestore.createOptions(kind: saved.kind, dumped: saved.options))
            }
        }
    }

    /// Delete the root qdisc; the kernel puts its default back.
    public func deleteRoot() throws {
        try request(type: Int(RTM_DELQDISC), flags: 0, kind: nil, handle: 0,
                    action: "delete the root qdisc of \(device) in \(target.label)", options: { _ in })
    }

    public func installNetem(_ spec: NetemSpec, dist: [Int16]?, slotDist: [Int16]?) throws {
        try replaceRoot(kind: "netem", handle: QdiscHandle.chaosctl) {
            try NetemOptions.encode(spec, dist: dist, slotDist: slotDist, into: $0)
        }
    }

    public func installTbf(_ spec: TbfSpec) throws {
        try replaceRoot(kind: "tbf", handle: QdiscHandle.chaosctl) { try spec.encode(into: $0) }
    }
}
