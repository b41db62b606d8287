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
        // A list or mapping used as a key (`? [a]: b`) can name no kubeconfig field: refuse it
        // with its line (Yams' untyped conversion would trap on it).
        if let node { try requireScalarKeys(node, path: path) }
        // An empty file is a valid, empty kubeconfig (kubectl accepts it too).
        var doc = KubeConfigDocument()
        doc.files = [path]
        guard let node else { return doc }
        let file: KubeConfigFile
        do {
            file = try YAMLDecoder().decode(KubeConfigFile.self, from: node)
        } catch let error as DecodingError {
            throw ChaosError("kubeconfig \(path): \(KubeConfigFile.describe(error))", exitCode: .usage)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func absolute(_ p: String?) -> String? {
            guard let p, !p.isEmpty else { return nil }
            return p.hasPrefix("/") ? p : base + "/" + p
        }
        if let current = file.currentContext, !current.isEmpty { doc.currentContext = current }

        for (name, body) in try named(file.clusters, list: "clusters", path: path) {
            guard let server = body?.server, !server.isEmpty else {
                throw ChaosError("kubeconfig \(path): clusters[\"\(name)\"].cluster.server is missing", exitCode: .usage)
            }
            doc.clusters[name] = Cluster(
                server: server,
                certificateAuthority: absolute(body?.certificateAuthority),
                certificateAuthorityData: body?.certificateAuthorityData,
                insecureSkipTLSVerify: body?.insecureSkipTLSVerify ?? false,
                sourceFile: path)
        }
        for (name, body) in try named(file.users, list: "users", path: path) {
            doc.users[name] = User(
                clientCertificate: absolute(body?.clientCertificate),
                clientCertificateData: body?.clientCertificateData,
                clientKey: absolute(body?.clientKey),
                clientKeyData: body?.clientKeyData,
                token: body?.token,
                tokenFile: absolute(body?.tokenFile),
                exec: try body?.exec.map { try KubeExecConfig($0, user: name, path: path, baseDirectory: base) },
                sourceFile: path)
        }
        for (name, body) in try named(file.contexts, list: "contexts", path: path) {
            guard let cluster = body?.cluster else {
                throw ChaosError("kubeconfig \(path): contexts[\"\(name)\"].context.cluster is missing", exitCode: .usage)
            }
            doc.contexts[name] = Context(cluster: cluster, user: body?.user ?? "", namespace: body?.namespace, sourceFile: path)
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

    /// A named list's entries as (name, body) pairs, in file order; every entry needs a name.
    private static func named<Body>(_ entries: [KubeConfigFile.Named<Body>]?, list: String,
                                    path: String) throws -> [(String, Body?)] {
        try (entries ?? []).enumerated().map { i, entry in
            guard let name = entry.name else {
                throw ChaosError("kubeconfig \(path): \(list)[\(i)] has no name", exitCode: .usage)
            }
            return (name, entry.body)
        }
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
