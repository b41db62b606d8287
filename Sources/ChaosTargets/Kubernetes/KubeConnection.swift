import ChaosCore
import Foundation

/// Which cluster a fault acts on, as options name it, and as its journal record keeps it:
/// a `chaosctl recover` from another shell must reach the same API server with the same
/// credentials, so the kubeconfig in use (the option, else `KUBECONFIG` at apply time) and
/// the context are journaled with the server they resolved to.
public struct KubeConnection: Equatable, Sendable {
    public var kubeconfig: String?
    public var context: String?
    public var requestTimeout: Double

    public init(kubeconfig: String? = nil, context: String? = nil, requestTimeout: Double = 30) {
        self.kubeconfig = kubeconfig
        self.context = context
        self.requestTimeout = requestTimeout
    }

    public static let optionNames = ["kubeconfig", "context", "request-timeout"]

    public init(_ v: OptionValues) throws {
        self.init(kubeconfig: v.text("kubeconfig"), context: v.text("context"),
                  requestTimeout: try v.parse("request-timeout", PodFaultOptions.positiveSeconds) ?? 30)
    }

    /// - Parameter kubeconfigVariable: `KUBECONFIG` as it was when a fault was applied (a
    ///   list of files kubectl merges), for a revert from another environment.
    public func client(kubeconfigVariable: String? = nil) throws -> KubeClient {
        var environment = ProcessInfo.processInfo.environment
        if let kubeconfigVariable { environment["KUBECONFIG"] = kubeconfigVariable }
        return KubeClient(target: try KubeConfigLoader.resolve(kubeconfig: kubeconfig, context: context, environment: environment),
                          timeout: requestTimeout)
    }

    /// The journal's part: enough for `client(for:)` to reach the same server.
    public func revertData(server: String) -> [String: String] {
        var data = ["server": server, "request_timeout": String(requestTimeout)]
        if let kubeconfig {
            data["kubeconfig"] = kubeconfig
        } else if let variable = ProcessInfo.processInfo.environment["KUBECONFIG"], !variable.isEmpty {
            data["kubeconfig_variable"] = variable
        }
        if let context { data["context"] = context }
        return data
    }

    /// A client for the server a record names; refuses when the credentials now resolve to
    /// another server (the revert would act on the wrong cluster).
    public static func client(for record: FaultRecord) throws -> KubeClient {
        let data = record.revertData
        let connection = KubeConnection(kubeconfig: data["kubeconfig"], context: data["context"],
                                        requestTimeout: data["request_timeout"].flatMap(Double.init) ?? 30)
        let client = try connection.client(kubeconfigVariable: data["kubeconfig_variable"])
        if let server = data["server"], server != client.target.server {
            throw ChaosError("record \(record.id) was applied through \(server), but the journaled kubeconfig now points at \(client.target.server); revert it with that cluster's credentials",
                             exitCode: .conflict)
        }
        return client
    }
}
