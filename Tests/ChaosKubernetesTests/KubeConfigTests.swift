import ChaosCore
import ChaosHTTP
import ChaosTargets
import Foundation
import XCTest

/// kubeconfig and in-cluster resolution, each variant proven by a real request to the double.
final class KubeConfigTests: XCTestCase {
    private static var sharedPKI: KubeTestPKI?
    private var double: KubeDouble?
    private var dir = ""

    override class func tearDown() {
        sharedPKI?.remove()
        sharedPKI = nil
    }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "chaoskube-cfg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        double?.stop()
        double = nil
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func start() throws -> KubeDouble {
        if Self.sharedPKI == nil { Self.sharedPKI = try KubeTestPKI.make() }
        let d = try KubeDouble(pki: Self.sharedPKI!, scenario: Scenario.standard())
        double = d
        return d
    }

    @discardableResult
    private func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    private func kubeconfig(server: String, cluster: String, user: String, namespace: String = "chaos",
                            current: String? = "test") -> String {
        """
        apiVersion: v1
        kind: Config
        \(current.map { "current-context: \($0)" } ?? "")
        clusters:
        - name: double
          cluster:
            server: \(server)
        \(cluster)
        users:
        - name: agent
          user:
        \(user)
        contexts:
        - name: test
          context:
            cluster: double
            user: agent
            namespace: \(namespace)
        """
    }

    private func apiPods(_ target: KubeTarget) throws -> Int {
        try KubeClient(target: target, timeout: 10).listPods(namespace: target.namespace, labelSelector: "app=api").pods.count
    }

    func testDataFieldsInMemoryWithClientCertificate() throws {
        let d = try start()
        let pki = d.pki
        let b64 = { (path: String) in try pki.read(path).base64EncodedString() }
        let path = try write("config", kubeconfig(
            server: d.server,
            cluster: "    certificate-authority-data: \(try b64(pki.caCert))",
            user: "    client-certificate-data: \(try b64(pki.clientCert))\n    client-key-data: \(try b64(pki.clientKey))"))
        let target = try KubeConfigLoader.resolve(kubeconfig: path, environment: [:])
        XCTAssertEqual(target.namespace, "chaos", "namespace defaults from the context")
        XCTAssertEqual(target.tls.certificateAuthority, .pem(try pki.read(pki.caCert)), "kept in memory, never written out")
        XCTAssertEqual(target.auth, .none)
        XCTAssertEqual(try apiPods(target), 3)
    }

    func testRelativeFilePathsAndToken() throws {
        let d = try start()
        let pki = d.pki
        try FileManager.default.copyItem(atPath: pki.caCert, toPath: dir + "/ca.pem")
        let path = try write("config", kubeconfig(server: d.server, cluster: "    certificate-authority: ca.pem",
                                                  user: "    token: \(Scenario.chaosToken)"))
        let target = try KubeConfigLoader.resolve(kubeconfig: path, environment: [:])
        XCTAssertEqual(target.tls.certificateAuthority, .file(dir + "/ca.pem"), "relative to the kubeconfig's directory")
        XCTAssertEqual(try apiPods(target), 3)
    }

    func testTokenFileIsReadBeforeEachRequest() throws {
        let d = try start()
        let tokenPath = try write("token", Scenario.chaosToken + "\n")
        let path = try write("config", kubeconfig(server: d.server, cluster: "    certificate-authority: \(d.pki.caCert)",
                                                  user: "    tokenFile: token"))
        let target = try KubeConfigLoader.resolve(kubeconfig: path, environment: [:])
        XCTAssertEqual(target.auth, .tokenFile(tokenPath))
        let client = KubeClient(target: target, timeout: 10)
        XCTAssertEqual(try client.listPods(namespace: "chaos").pods.count, 7)
        try write("token", "revoked-token")
        XCTAssertThrowsError(try client.listPods(namespace: "chaos")) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unauthorized, "the new file content was used")
        }
    }

    func testTokenFileWinsOverTokenWhenReadable() throws {
        let tokenPath = try write("token", "from-file")
        let both = try write("both.yaml", kubeconfig(server: "https://127.0.0.1:1", cluster: "",
                                                     user: "    token: static\n    tokenFile: token"))
        XCTAssertEqual(try KubeConfigLoader.resolve(kubeconfig: both, environment: [:]).auth, .tokenFile(tokenPath))
        try FileManager.default.removeItem(atPath: tokenPath)
        XCTAssertEqual(try KubeConfigLoader.resolve(kubeconfig: both, environment: [:]).auth, .token("static"),
                       "an unreadable tokenFile falls back to the static token")
        let onlyFile = try write("only.yaml", kubeconfig(server: "https://127.0.0.1:1", cluster: "", user: "    tokenFile: token"))
        XCTAssertThrowsError(try KubeConfigLoader.resolve(kubeconfig: onlyFile, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("users[\"agent\"].user.tokenFile file \(tokenPath) cannot be read"), "\(error)")
        }
    }

    func testExecPluginTokenIsCachedUntilExpiry() throws {
        let d = try start()
        let counter = dir + "/runs"
        try write("plugin.sh", """
        #!/bin/sh
        echo run >> '\(counter)'
        [ "$CHAOS_PLUGIN_MODE" = test ] || { echo "env not passed" >&2; exit 3; }
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' "$1" "$2"
        """, mode: 0o755)
        func config(expiry: String) throws -> String {
            try write("config", kubeconfig(server: d.server, cluster: "    certificate-authority: \(d.pki.caCert)", user: """
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./plugin.sh
                  args: [\(Scenario.chaosToken), "\(expiry)"]
                  env:
                  - name: CHAOS_PLUGIN_MODE
                    value: test
            """))
        }
        func runs() -> Int { ((try? String(contentsOfFile: counter, encoding: .utf8)) ?? "").split(separator: "\n").count }

        let fresh = try KubeConfigLoader.resolve(kubeconfig: try config(expiry: "2999-01-01T00:00:00Z"), environment: [:])
        guard case .exec(let exec) = fresh.auth else { return XCTFail("expected exec auth, got \(fresh.auth)") }
        XCTAssertEqual(exec.command, dir + "/./plugin.sh")
        let client = KubeClient(target: fresh, timeout: 10)
        XCTAssertEqual(try client.listPods(namespace: "chaos", labelSelector: "app=api").pods.count, 3)
        XCTAssertEqual(try client.listPods(namespace: "chaos", labelSelector: "app=api").pods.count, 3)
        XCTAssertEqual(runs(), 1, "cached until expirationTimestamp")

        let expired = try KubeConfigLoader.resolve(kubeconfig: try config(expiry: "2000-01-01T00:00:00Z"), environment: [:])
        let again = KubeClient(target: expired, timeout: 10)
        _ = try again.listPods(namespace: "chaos")
        _ = try again.listPods(namespace: "chaos")
        XCTAssertEqual(runs(), 3, "an expired credential is fetched again for each request")

        let failing = try write("fail.sh", "#!/bin/sh\necho 'login required' >&2\nexit 1\n", mode: 0o755)
        let broken = KubeTarget(server: d.server, tls: TLSOptions(certificateAuthority: .file(d.pki.caCert)),
                                auth: .exec(KubeExecConfig(command: failing, user: "agent", sourceFile: "cfg")))
        XCTAssertThrowsError(try KubeClient(target: broken).listPods(namespace: "chaos")) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unauthorized)
            XCTAssertTrue("\(error)".contains("exited with status 1: login required"), "\(error)")
        }
    }

    func testExecPluginClientCertificateAndRetryAfter401() throws {
        let d = try start()
        // A plugin answering with the client certificate and key as PEM text (CN chaos-agent).
        let certPlugin = try write("cert-plugin.py", """
        #!/usr/bin/env python3
        import json
        read = lambda p: open(p).read()
        print(json.dumps({"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                          "status": {"clientCertificateData": read("\(d.pki.clientCert)"),
                                     "clientKeyData": read("\(d.pki.clientKey)")}}))
        """, mode: 0o755)
        let tls = TLSOptions(certificateAuthority: .file(d.pki.caCert))
        let byCert = KubeTarget(server: d.server, tls: tls, auth: .exec(KubeExecConfig(command: certPlugin)), origin: "cert plugin")
        XCTAssertEqual(try KubeClient(target: byCert).listPods(namespace: "chaos", labelSelector: "app=api").pods.count, 3)
        XCTAssertThrowsError(try KubeClient(target: byCert).listPods(namespace: "other")) { error in
            XCTAssertTrue("\(error)".contains(#"User "chaos-agent""#), "authenticated by the plugin's certificate: \(error)")
        }

        // A plugin whose first token the server rejects: the 401 makes the client run it again.
        let counter = dir + "/token-runs"
        let rotating = try write("rotating.sh", """
        #!/bin/sh
        echo run >> '\(counter)'
        if [ "$(wc -l < '\(counter)')" -eq 1 ]; then token=revoked; else token=\(Scenario.chaosToken); fi
        printf '{"kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2999-01-01T00:00:00Z"}}' "$token"
        """, mode: 0o755)
        let byToken = KubeTarget(server: d.server, tls: tls, auth: .exec(KubeExecConfig(command: rotating)), origin: "token plugin")
        XCTAssertEqual(try KubeClient(target: byToken).listPods(namespace: "chaos", labelSelector: "app=api").pods.count, 3)
        XCTAssertEqual(((try? String(contentsOfFile: counter, encoding: .utf8)) ?? "").split(separator: "\n").count, 2)
    }

    func testKUBECONFIGListMergesFirstWins() throws {
        let d = try start()
        let first = try write("a.yaml", kubeconfig(server: d.server, cluster: "    certificate-authority: \(d.pki.caCert)",
                                                   user: "    token: \(Scenario.chaosToken)"))
        // Second file: another current-context and a same-named user with a bad token; both lose.
        let second = try write("b.yaml", """
        current-context: other
        users:
        - name: agent
          user:
            token: bogus
        contexts:
        - name: other
          context:
            cluster: double
            user: agent
            namespace: elsewhere
        """)
        let target = try KubeConfigLoader.resolve(environment: ["KUBECONFIG": "\(dir)/missing.yaml:\(first):\(second)"])
        XCTAssertEqual(target.auth, .token(Scenario.chaosToken))
        XCTAssertEqual(target.namespace, "chaos")
        XCTAssertEqual(try apiPods(target), 3)
        let other = try KubeConfigLoader.resolve(context: "other", environment: ["KUBECONFIG": "\(first):\(second)"])
        XCTAssertEqual(other.namespace, "elsewhere", "--context picks a context from any merged file")
        XCTAssertEqual(other.auth, .token(Scenario.chaosToken), "but user 'agent' is still the first file's")
    }

    func testClearErrorsForMissingContextUserAndFiles() throws {
        let noUser = try write("nouser.yaml", """
        current-context: test
        clusters:
        - name: double
          cluster: {server: "https://127.0.0.1:1"}
        contexts:
        - name: test
          context: {cluster: double, user: ghost}
        """)
        XCTAssertThrowsError(try KubeConfigLoader.resolve(kubeconfig: noUser, environment: [:])) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
            XCTAssertEqual("\(error)", "kubeconfig \(noUser): contexts[\"test\"].context.user names \"ghost\", which no users[] entry defines")
        }
        XCTAssertThrowsError(try KubeConfigLoader.resolve(kubeconfig: noUser, context: "prod", environment: [:])) { error in
            XCTAssertEqual("\(error)", "kubeconfig \(noUser): context \"prod\" not found (contexts: test)")
        }
        let badCA = try write("badca.yaml", kubeconfig(server: "https://127.0.0.1:1", cluster: "    certificate-authority: /nonexistent/ca.pem",
                                                       user: "    token: x"))
        XCTAssertThrowsError(try KubeConfigLoader.resolve(kubeconfig: badCA, environment: [:])) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
            XCTAssertTrue("\(error)".contains("clusters[\"double\"].cluster.certificate-authority file /nonexistent/ca.pem cannot be read"), "\(error)")
        }
        XCTAssertThrowsError(try KubeConfigLoader.resolve(kubeconfig: dir + "/absent", environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        XCTAssertThrowsError(try KubeConfigLoader.resolve(environment: ["HOME": dir])) { error in
            XCTAssertTrue("\(error)".contains("no kubeconfig found"), "\(error)")
        }
    }

    func testInClusterServiceAccount() throws {
        let d = try start()
        let sa = dir + "/serviceaccount"
        try FileManager.default.createDirectory(atPath: sa, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: d.pki.caCert, toPath: sa + "/ca.crt")
        try Scenario.chaosToken.write(toFile: sa + "/token", atomically: true, encoding: .utf8)
        try "chaos\n".write(toFile: sa + "/namespace", atomically: true, encoding: .utf8)
        // No kubeconfig anywhere (HOME has none), so the pod's service account is used.
        let env = ["HOME": dir, "KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(d.port)]
        let target = try KubeConfigLoader.resolve(environment: env, serviceAccountDirectory: sa)
        XCTAssertEqual(target.server, d.server)
        XCTAssertEqual(target.namespace, "chaos")
        let client = KubeClient(target: target, timeout: 10)
        XCTAssertEqual(try client.listPods(namespace: target.namespace, labelSelector: "app=api").pods.count, 3)
        // The kubelet rotates projected tokens: the next request must use the new file.
        try Scenario.nobodyToken.write(toFile: sa + "/token", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try client.listPods(namespace: "chaos")) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .forbidden)
            XCTAssertTrue("\(error)".contains(#"User "nobody""#), "\(error)")
        }
        XCTAssertThrowsError(try KubeConfigLoader.inCluster(environment: env, directory: dir + "/nowhere")) { error in
            XCTAssertTrue("\(error)".contains("service-account token \(dir)/nowhere/token cannot be read"), "\(error)")
        }
    }
}
