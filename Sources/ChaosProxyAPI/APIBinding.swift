import ChaosCore
import ChaosHTTPServer
import Glibc

extension ToxiproxyServer {
    /// A bad `--host` is a usage error, a taken port a conflict, a privileged one a missing
    /// permission: scripts tell "fix the command" from "try again later".
    static func bindExitCode(_ error: Error) -> ExitCode {
        guard let failure = error as? ChaosHTTPServerError else { return .conflict }
        if failure.unresolvable { return .usage }
        switch failure.errno {
        case EADDRNOTAVAIL: return .usage      // an address this host does not have
        case EACCES, EPERM: return .permission
        default: return .conflict
        }
    }

    /// True when the API would take calls from other hosts with no token: bound to a
    /// wildcard or non-loopback address. Anyone who can reach it can then add toxics.
    public static func exposedWithoutToken(host: String, token: String?) -> Bool {
        guard token?.isEmpty ?? true else { return false }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return !(bare == "localhost" || bare == "::1" || bare.hasPrefix("127."))
    }
}
