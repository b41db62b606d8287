import ChaosConfig
import ChaosCore
import ChaosHTTP
import Foundation

/// Finds and resolves the API endpoint the way kubectl does: `--kubeconfig`, else every file
/// in `KUBECONFIG` (colon-separated, merged), else `~/.kube/config`; when none of those
/// exists and `KUBERNETES_SERVICE_HOST` is set, the in-cluster service account.
public enum KubeConfigLoader {
    /// The service-account mount in every pod.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Resolve the endpoint for `context` (nil: the current context).
    /// `serviceAccountDirectory` is overridable so tests can fake the in-cluster mount.
    public static func resolve(kubeconfig: String? = nil, context: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               serviceAccountDirectory: String = KubeConfigLoader.serviceAccountDirectory) throws -> KubeTarget {
        let files = try candidateFiles(explicit: kubeconfig, environment: environment)
        if files.isEmpty {
            if environment["KUBERNETES_SERVICE_HOST"] != nil {
                return try inCluster(environment: environment, directory: serviceAccountDirectory)
            }
            throw ChaosError("no kubeconfig found (tried --kubeconfig, KUBECONFIG, ~/.kube/config) and not running in a pod (KUBERNETES_SERVICE_HOST unset)",
                             exitCode: .usage)
        }
        var merged = KubeConfigDocument()
        for file in files { merged = merged.merging(try KubeConfigDocument.parse(try readText(file, what: "kubeconfig"), path: file)) }
        return try target(from: merged, context: context)
    }

    /// The files to merge, in precedence order. An explicit path must exist; entries of
    /// KUBECONFIG that do not exist are skipped, as kubectl skips them.
    static func candidateFiles(explicit: String?, environment: [String: String]) throws -> [String] {
        if let explicit, !explicit.isEmpty {
            // Absolute, so messages and relative paths inside it do not depend on the cwd.
            let path = URL(fileURLWithPath: explicit).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: path) else {
                throw ChaosError("kubeconfig \(path) (from --kubeconfig) does not exist", exitCode: .usage)
            }
            return [path]
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen = Set<String>()
            return list.split(separator: ":").map(String.init)
                .filter { !$0.isEmpty && FileManager.default.fileExists(atPath: $0) && seen.insert($0).inserted }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let fallback = home + "/.kube/config"
        return FileManager.default.fileExists(atPath: fallback) ? [fallback] : []
    }

    /// Resolve one context of a merged document.
    public static func target(from doc: KubeConfigDocument, context requested: String?) throws -> KubeTarget {
        let files = doc.files.joined(separator: ":")
        guard let name = requested ?? doc.currentContext else {
            throw ChaosError("kubeconfig \(files): no current-context is set and no --context was given (contexts: \(doc.contexts.keys.sorted().joined(separator: ", ")))",
                             exitCode: .usage)
        }
        guard let ctx = doc.contexts[name] else {
            let known = doc.contexts.keys.sorted().joined(separator: ", ")
            throw ChaosError("kubeconfig \(files): context \"\(name)\" not found (contexts: \(known.isEmpty ? "none" : known))",
                             exitCode: .usage)
        }
        guard let cluster = doc.clusters[ctx.cluster] else {
            throw ChaosError("kubeconfig \(ctx.sourceFile): contexts[\"\(name)\"].context.cluster names \"\(ctx.cluster)\", which no clusters[] entry defines",
                             exitCode: .usage)
        }
        var tls = TLSOptions(insecureSkipVerify: cluster.insecureSkipTLSVerify)
        // The *-data field wins over the file path, as in client-go.
        if let data = cluster.certificateAuthorityData {
            tls.certificateAuthority = try decode(data, key: "clusters[\"\(ctx.cluster)\"].cluster.certificate-authority-data", file: cluster.sourceFile)
        } else if let path = cluster.certificateAuthority {
            try checkReadable(path, key: "clusters[\"\(ctx.cluster)\"].cluster.certificate-authority", file: cluster.sourceFile)
            tls.certificateAuthority = .file(path)
        }
        var auth = KubeAuth.none
        if !ctx.user.isEmpty {
            guard let user = doc.users[ctx.user] else {
                throw ChaosError("kubeconfig \(ctx.sourceFile): contexts[\"\(name)\"].context.user names \"\(ctx.user)\", which no users[] entry defines",
                                 exitCode: .usage)
            }
            let key = "users[\"\(ctx.user)\"].user"
            if let data = user.clientCertificateData {
                tls.clientCertificate = try decode(data, key: key + ".client-certificate-data", file: user.sourceFile)
            } else if let path = user.clientCertificate {
                try checkReadable(path, key: key + ".client-certificate", file: user.sourceFile)
                tls.clientCertificate = .file(path)
            }
            if let data = user.clientKeyData {
                tls.clientKey = try decode(data, key: key + ".client-key-data", file: user.sourceFile)
            } else if let path = user.clientKey {
                try checkReadable(path, key: key + ".client-key", file: user.sourceFile)
                tls.clientKey = .file(path)
            }
            if (tls.clientCertificate == nil) != (tls.clientKey == nil) {
                throw ChaosError("kubeconfig \(user.sourceFile): \(key) has a client certificate or a client key but not both",
                                 exitCode: .usage)
            }
            // client-go: a readable tokenFile's content takes precedence over a static token.
            let staticToken = user.token.flatMap { $0.isEmpty ? nil : $0 }
            if let path = user.tokenFile, staticToken == nil || access(path, R_OK) == 0 {
                try checkReadable(path, key: key + ".tokenFile", file: user.sourceFile)
                auth = .tokenFile(path)
            } else if let token = staticToken {
                auth = .token(token)
            } else if let exec = user.exec {
                auth = .exec(exec)
            }
        }
        return KubeTarget(server: cluster.server, tls: tls, auth: auth,
                          namespace: ctx.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default",
                          origin: "context \(name) in \(ctx.sourceFile)")
    }

    /// The in-cluster endpoint: `KUBERNETES_SERVICE_HOST`/`_PORT` and the mounted
    /// service-account token, CA and namespace.
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 directory: String = KubeConfigLoader.serviceAccountDirectory) throws -> KubeTarget {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw ChaosError("in-cluster config needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT", exitCode: .usage)
        }
        let token = directory + "/token", ca = directory + "/ca.crt", nsFile = directory + "/namespace"
        for (path, what) in [(token, "token"), (ca, "CA certificate")] where access(path, R_OK) != 0 {
            let reason = String(cString: strerror(errno))
            throw ChaosError("in-cluster config: service-account \(what) \(path) cannot be read (\(reason))",
                             exitCode: errno == EACCES ? .permission : .usage)
        }
        let namespace = (try? readText(nsFile, what: "namespace"))?.trimmingCharacters(in: .whitespacesAndNewlines)
        // IPv6 service hosts need brackets in a URL.
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return KubeTarget(server: "https://\(hostPart):\(port)",
                          tls: TLSOptions(certificateAuthority: .file(ca)),
                          auth: .tokenFile(token),
                          namespace: (namespace?.isEmpty ?? true) ? "default" : namespace!,
                          origin: "in-cluster service account (\(directory))")
    }

    static func decode(_ base64: String, key: String, file: String) throws -> PEMSource {
        guard let source = PEMSource.base64(base64) else {
            throw ChaosError("kubeconfig \(file): \(key) is not valid base64", exitCode: .usage)
        }
        return source
    }

    static func checkReadable(_ path: String, key: String, file: String) throws {
        guard access(path, R_OK) == 0 else {
            let reason = String(cString: strerror(errno))
            throw ChaosError("kubeconfig \(file): \(key) file \(path) cannot be read (\(reason))",
                             exitCode: errno == EACCES ? .permission : .usage)
        }
    }

    /// Largest kubeconfig (or service-account file) read: room for hundreds of clusters
    /// with embedded certificates, and far below what would take the YAML parser seconds.
    public static let maximumFileBytes = 4 << 20

    static func readText(_ path: String, what: String) throws -> String {
        let data: Data
        do { data = try InputFile.read(path, what: what, limit: maximumFileBytes) } catch let error as InputFile.Unreadable {
            let denied = error.errorNumber == EACCES
            let reason = denied ? "permission denied" : error.errorNumber == ENOENT ? "no such file" : error.reason
            throw ChaosError("\(what) \(path) cannot be read (\(reason))", exitCode: denied ? .permission : .usage)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
