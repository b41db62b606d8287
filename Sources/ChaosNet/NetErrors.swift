import CNetlink
import ChaosCore

/// Turns a kernel refusal into words a person can act on, with the fitting exit code.
enum NetErrors {
    static func explain(_ failure: NetlinkFailure, doing action: String, kind: String?, device: String,
                        target: NetTarget) -> ChaosError {
        let detail = failure.extAck.map { "kernel: \"\($0)\"" } ?? "libnl: \(failure.libnlText)"
        switch Int32(failure.code) {
        case NLE_PERM, NLE_NOACCESS:
            return ChaosError("cannot \(action): permission denied (\(detail)). Changing qdiscs needs CAP_NET_ADMIN in \(target.label): run as root or grant cap_net_admin",
                              exitCode: .permission)
        case NLE_NODEV:
            return ChaosError("cannot \(action): no device '\(device)' in \(target.label) (\(detail))", exitCode: .notFound)
        case NLE_OBJ_NOTFOUND where kind != nil && (failure.extAck?.contains("kind is unknown") ?? true):
            return missingQdiscKind(kind!, detail: detail)
        default:
            return ChaosError("cannot \(action): \(detail)", exitCode: .failure)
        }
    }

    static func missingQdiscKind(_ kind: String, detail: String) -> ChaosError {
        let config = kind == "netem" ? "CONFIG_NET_SCH_NETEM" : "CONFIG_NET_SCH_\(kind.uppercased())"
        return ChaosError("""
            this kernel has no '\(kind)' qdisc (\(detail)): the sch_\(kind) module is not loaded and could not be loaded.
              fix: modprobe sch_\(kind)
                   if that fails, install the module package for your kernel (Debian/Ubuntu: linux-modules-extra-$(uname -r)),
                   or boot a kernel built with \(config)=m or =y
            """, exitCode: .unsupported)
    }
}
