import ChaosCore
#if canImport(Glibc)
import Glibc
#endif

/// Turns an nf_tables refusal into words a person can act on, with the fitting exit code.
enum NftablesErrors {
    static func explain(_ failure: NftablesFailure, doing action: String, target: NetTarget) -> ChaosError {
        let reason = String(cString: strerror(failure.errno))
        switch failure.errno {
        case EPERM, EACCES:
            return ChaosError("cannot \(action): permission denied (\(reason)). Changing nftables needs CAP_NET_ADMIN in \(target.label): run as root or grant cap_net_admin",
                              exitCode: .permission)
        case EPROTONOSUPPORT where failure.refused == "socket", EOPNOTSUPP where failure.refused == "batch" || failure.refused == "query":
            return ChaosError("""
                cannot \(action): this kernel has no nf_tables (\(reason)).
                  fix: modprobe nf_tables (and nfnetlink); if that fails, boot a kernel built with CONFIG_NF_TABLES=m or =y
                """, exitCode: .unsupported)
        case ENOENT where failure.refused == "rule":
            // An expression type the kernel does not know (its module is missing).
            return ChaosError("""
                cannot \(action): this kernel lacks an nf_tables expression the rule needs (\(reason)).
                  fix: modprobe nft_reject_inet nft_counter (CONFIG_NFT_REJECT_INET, CONFIG_NFT_COUNTER)
                """, exitCode: .unsupported)
        case EOPNOTSUPP where failure.refused == "chain":
            return ChaosError("cannot \(action): this kernel has no inet filter chains (\(reason)); modprobe nf_tables_inet or boot a kernel with CONFIG_NF_TABLES_INET",
                              exitCode: .unsupported)
        case EEXIST:
            return ChaosError("cannot \(action): a table of that name already exists in \(target.label)", exitCode: .conflict)
        default:
            return ChaosError("cannot \(action) in \(target.label): the kernel refused the \(failure.refused) (\(reason))")
        }
    }
}
