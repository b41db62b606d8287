import ChaosCore
import Foundation

/// A kubeconfig `users[].user.exec` credential plugin (client.authentication.k8s.io):
/// a command whose stdout is an ExecCredential JSON object.
public struct KubeExecConfig: Sendable, Equatable, Hashable {
    /// The program: a bare name (looked up in PATH) or a path; a relative path with a slash
    /// is relative to the kubeconfig's directory, as kubectl resolves it.
    public var command: String
    public var args: [String]
    /// Extra environment variables, in order.
    public var env: [KeyValue]
    public var apiVersion: String
    /// User name and file, for error messages.
    public var user: String
    public var sourceFile: String

    public struct KeyValue: Sendable, Equatable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    public init(command: String, args: [String] = [], env: [KeyValue] = [],
                apiVersion: String = "client.authentication.k8s.io/v1", user: String = "", sourceFile: String = "") {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
        self.user = user
        self.sourceFile = sourceFile
    }

    /// From a kubeconfig's `users[].user.exec`, resolving a relative command with a slash
    /// against the kubeconfig's directory.
    init(_ fields: KubeConfigFile.ExecFields, user: String, path: String, baseDirectory: String) throws {
        guard let command = fields.command, !command.isEmpty else {
            throw ChaosError("kubeconfig \(path): users[\"\(user)\"].user.exec.command is missing", exitCode: .usage)
        }
        var resolved = command
        if !command.hasPrefix("/") && command.contains("/") { resolved = baseDirectory + "/" + command }
        let env = try (fields.env ?? []).map { pair in
            guard let name = pair.name else {
                throw ChaosError("kubeconfig \(path): users[\"\(user)\"].user.exec.env entries need name and value", exitCode: .usage)
            }
            return KeyValue(name: name, value: pair.value ?? "")
        }
        self.init(command: resolved, args: fields.args ?? [], env: env,
                  apiVersion: fields.apiVersion ?? "client.authentication.k8s.io/v1",
                  user: user, sourceFile: path)
    }
}
