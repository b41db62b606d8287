import ChaosCore
import Foundation
import Yams

/// The parts of a kubeconfig chaosctl uses, merged from one or more files the way kubectl
/// merges `KUBECONFIG`: for every named cluster, user and context, and for
/// `current-context`, the first file that defines it wins.
public struct KubeConfigDocument: Sendable {
    /// A `clusters[].cluster` entry. Paths are already absolute (relative paths in a
    /// kubeconfig are relative to the file that holds them).
    public struct Cluster: Sendable, Equatable {
        public var server: String
        public var certificateAuthority: String?
        /// Base64 PEM from `certificate-authority-data`.
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool
        /// The file this entry came from, for error messages.
        public var sourceFile: String
    }

    /// A `users[].user` entry.
    public struct User: Sendable, Equatable {
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var token: String?
        public var tokenFile: String?
        public var exec: KubeExecConfig?
        public var sourceFile: String
    }

    /// A `contexts[].context` entry.
    public struct Context: Sendable, Equatable {
        public var cluster: String
        public var user: String
        public var namespace: String?
        public var sourceFile: String
    }

    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]
    public var currentContext: String?
    /// The files merged, in precedence order.
    public var files: [String] = []

    public init() {}

    /// Parse one kubeconfig file's text. `path` names it in errors and anchors relative paths.
    public static func parse(_ text: String, path: String) throws -> KubeConfigDocument {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw ChaosError("kubeconfig \(path): not valid YAML (\(error))", exitCode: .usage)
        }
        // Yams builds `Any` values only from string keys: a list or mapping used as a key
        // (`? [a]: b`) would trap inside it, so such a file is refused first.
        if let node { try requireScalarKeys(node, path: path) }
        let root = node?.any
        var doc = KubeConfigDocument()
        doc.files = [path]
        guard let top = root as? [String: Any] else {
            // An empty file is a valid, empty kubeconfig (kubectl accepts it too).
            if root == nil { return doc }
            throw ChaosError("kubeconfig \(path): top level is not a mapping", exitCode: .usage)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func absolute(_ p: String?) -> String? {
            guard let p, !p.isEmpty else { return nil }
            return p.hasPrefix("/") ? p : base + "/" + p
        }
        if let current = top["current-context"] as? String, !current.isEmpty { doc.currentContext = current }

        for (name, body) in try namedEntries(top, list: "clusters", field: "cluster", path: path) {
            guard let server = body["server"] as? String, !server.isEmpty else {
                throw ChaosError("kubeconfig \(path): clusters[\"\(name)\"].cluster.server is missing", exitCode: .usage)
            }
            doc.clusters[name] = Cluster(
                server: server,
                certificateAuthority: absolute(body["certificate-authority"] as? String),
                certificateAuthorityData: body["certificate-authority-data"] as? String,
                insecureSkipTLSVerify: body["insecure-skip-tls-verify"] as? Bool ?? false,
                sourceFile: path)
        }
        for (name, body) in try namedEntries(top, list: "users", field: "user", path: path) {
            var exec: KubeExecConfig?
            if let e = body["exec"] as? [String: Any] {
                exec = try KubeExecConfig(yaml: e, user: name, path: path, baseDirectory: base)
            }
            doc.users[name] = User(
                clientCertificate: absolute(body["client-certificate"] as? String),
                clientCertificateData: body["client-certificate-data"] as? String,
                clientKey: absolute(body["client-key"] as? String),
                clientKeyData: body["client-key-data"] as? String,
                token: body["token"] as? String,
                tokenFile: absolute(body["tokenFile"] as? String),
                exec: exec,
                sourceFile: path)
        }
        for (name, body) in try namedEntries(top, list: "contexts", field: "context", path: path) {
            guard let cluster = body["cluster"] as? String else {
                throw ChaosError("kubeconfig \(path): contexts[\"\(name)\"].context.cluster is missing", exitCode: .usage)
            }
            doc.contexts[name] = Context(cluster: cluster, user: body["user"] as? String ?? "",
                                         namespace: body["namespace"] as? String, sourceFile: path)
        }
        return doc
    }

    /// Throws if any mapping in `node` has a key that is not a scalar.
    private static func requireScalarKeys(_ node: Node, path: String) throws {
        switch node {
        case .scalar, .alias:
            return
        case .sequence(let sequence):
            for item in sequence { try requireScalarKeys(item, path: path) }
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard case .scalar = key else {
                    let line = key.mark.map { "line \($0.line): " } ?? ""
                    throw ChaosError("kubeconfig \(path): \(line)a mapping key must be a plain value, not a list or mapping",
                                     exitCode: .usage)
                }
                try requireScalarKeys(value, path: path)
            }
        }
    }

    /// `list: [{name: N, field: {...}}]` as (N, {...}) pairs, in file order.
    private static func namedEntries(_ top: [String: Any], list: String, field: String,
                                     path: String) throws -> [(String, [String: Any])] {
        guard let raw = top[list] else { return [] }
        guard let items = raw as? [Any] else {
            throw ChaosError("kubeconfig \(path): \(list) is not a list", exitCode: .usage)
        }
        var out: [(String, [String: Any])] = []
        for (i, item) in items.enumerated() {
            guard let entry = item as? [String: Any], let name = entry["name"] as? String else {
                throw ChaosError("kubeconfig \(path): \(list)[\(i)] has no name", exitCode: .usage)
            }
            out.append((name, entry[field] as? [String: Any] ?? [:]))
        }
        return out
    }

    /// Merge `later` under `self`: entries already present keep their first definition.
    public func merging(_ later: KubeConfigDocument) -> KubeConfigDocument {
        var out = self
        out.clusters.merge(later.clusters) { first, _ in first }
        out.users.merge(later.users) { first, _ in first }
        out.contexts.merge(later.contexts) { first, _ in first }
        if out.currentContext == nil { out.currentContext = later.currentContext }
        out.files += later.files
        return out
    }
}
