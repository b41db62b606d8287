import ChaosCore
import Foundation

/// What an exec plugin returned (ExecCredential `status`).
public struct KubeExecCredential: Sendable, Equatable {
    public var token: String?
    /// PEM text, not base64 (the ExecCredential format carries PEM directly).
    public var clientCertificateData: String?
    public var clientKeyData: String?
    /// nil: valid for the life of this process.
    public var expiration: Date?
}

/// Runs exec credential plugins and caches each answer until its `expirationTimestamp`,
/// so a long chaos run does not spawn the plugin for every request.
// @unchecked Sendable: `cache` is guarded by `lock`; `timeout` is set before the runner is shared.
public final class KubeExecCredentialRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var cache: [KubeExecConfig: KubeExecCredential] = [:]
    /// Seconds the plugin may run before it is killed.
    public var timeout: Double = 30

    public init() {}

    /// The cached credential if still valid, else a fresh one from the plugin.
    public func credential(for config: KubeExecConfig, now: Date = Date()) throws -> KubeExecCredential {
        lock.lock()
        if let hit = cache[config], hit.expiration.map({ $0 > now }) ?? true {
            lock.unlock()
            return hit
        }
        lock.unlock()
        let fresh = try run(config)
        lock.lock(); cache[config] = fresh; lock.unlock()
        return fresh
    }

    /// Forget a cached credential (the server rejected it with 401).
    public func invalidate(_ config: KubeExecConfig) {
        lock.lock(); cache[config] = nil; lock.unlock()
    }

    private func failure(_ config: KubeExecConfig, _ what: String) -> ChaosError {
        ChaosError("kubeconfig \(config.sourceFile): users[\"\(config.user)\"].user.exec command '\(config.command)' \(what)",
                   exitCode: .unauthorized)
    }

    private func run(_ config: KubeExecConfig) throws -> KubeExecCredential {
        guard let executable = ExecutableSearch.locate(config.command, searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") else {
            throw failure(config, "was not found (not executable or not in PATH)")
        }
        var environment = ProcessInfo.processInfo.environment
        for pair in config.env { environment[pair.name] = pair.value }
        // client-go passes the request context; plugins may read it (we are never interactive).
        environment["KUBERNETES_EXEC_INFO"] =
            #"{"apiVersion":"\#(config.apiVersion)","kind":"ExecCredential","spec":{"interactive":false}}"#
        // ProcessRunner (not Foundation's Process, which passes on chaosctl's blocked SIGINT/SIGTERM
        // and ignored signals): the plugin starts with a clean signal state in its own group.
        let outcome: ProcessRunner.Outcome
        do {
            outcome = try ProcessRunner.run(argv: [executable] + config.args, timeout: timeout, environment: environment)
        } catch {
            throw failure(config, "could not start: \(error)")
        }
        guard let status = outcome.exitStatus else {
            throw failure(config, "did not finish within \(DurationParser.format(timeout))")
        }
        guard status == .exited(0) else {
            let why = outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            let how: String
            if case .exited(let code) = status { how = "exited with status \(code)" } else { how = "was \(status)" }
            throw failure(config, how + (why.isEmpty ? "" : ": \(why.prefix(300))"))
        }
        let stdout = Data(outcome.stdout.utf8)
        return try Self.parse(stdout, config: config, failure: failure)
    }

    static func parse(_ data: Data, config: KubeExecConfig,
                      failure: (KubeExecConfig, String) -> ChaosError) throws -> KubeExecCredential {
        guard let object = try? JSONDecoder().decode(KubeExecCredentialObject.self, from: data),
              object.kind == "ExecCredential" else {
            throw failure(config, "did not print an ExecCredential JSON object")
        }
        let status = object.status
        var credential = KubeExecCredential(token: status?.token,
                                            clientCertificateData: status?.clientCertificateData,
                                            clientKeyData: status?.clientKeyData)
        if let stamp = status?.expirationTimestamp {
            guard let date = ISO8601DateFormatter().date(from: stamp) else {
                throw failure(config, "printed an unparsable expirationTimestamp '\(stamp)'")
            }
            credential.expiration = date
        }
        guard credential.token != nil || (credential.clientCertificateData != nil && credential.clientKeyData != nil) else {
            throw failure(config, "printed an ExecCredential with neither status.token nor clientCertificateData+clientKeyData")
        }
        return credential
    }
}
