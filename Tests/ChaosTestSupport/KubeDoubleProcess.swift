import Foundation
import XCTest

/// The kube-apiserver double of ChaosKubernetesTests (Fixtures/kube_apiserver_double.py,
/// python3 with real TLS) as a child process on an ephemeral port, with a fresh CA and
/// serving certificate in `directory` and a kubeconfig there whose context `agent` (token
/// `chaos-token`, namespace `chaos`) reaches it. Stopped by its own pid.
public final class KubeDoubleProcess {
    public let port: Int
    public let kubeconfig: String
    private let process: Process

    /// - Parameter scenario: the double's scenario (pods, rules, tokens…), as its fixture reads it.
    public init(directory: String, scenario: [String: Any]) throws {
        let certificates = runProcess(["/bin/sh", "-c", """
        set -e; cd '\(directory)'
        printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=ca 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=apiserver 2>/dev/null
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile san.ext 2>/dev/null
        """])
        guard certificates.status == 0 else { throw fixtureUnavailable("openssl could not make certificates: \(certificates.output)") }
        try JSONSerialization.data(withJSONObject: scenario).write(to: URL(fileURLWithPath: directory + "/scenario.json"))
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ChaosKubernetesTests/Fixtures/kube_apiserver_double.py").standardizedFileURL.path
        process = Process()
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", fixture, "--cert", directory + "/server.pem", "--key", directory + "/server.key",
                             "--client-ca", directory + "/ca.pem", "--scenario", directory + "/scenario.json"]
        process.standardOutput = out
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("READY "), let port = Int(line.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            throw fixtureUnavailable("kube-apiserver double did not start: \(line)")
        }
        self.port = port
        kubeconfig = directory + "/kubeconfig"
        try """
        apiVersion: v1
        kind: Config
        current-context: agent
        clusters:
        - name: double
          cluster: {server: "https://127.0.0.1:\(port)", certificate-authority: ca.pem}
        users:
        - name: agent
          user: {token: chaos-token}
        contexts:
        - name: agent
          context: {cluster: double, user: agent, namespace: chaos}
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    deinit { stop() }
}
