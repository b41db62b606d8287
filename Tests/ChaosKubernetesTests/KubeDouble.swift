import ChaosCore
import ChaosTestSupport
import ChaosHTTP
import ChaosTargets
import Foundation
import XCTest

/// Throwaway certificates made with openssl: a CA, a server certificate for 127.0.0.1 and
/// a client certificate whose CN ("chaos-agent") the double takes as the user name.
struct KubeTestPKI {
    let directory: String
    var caCert: String { directory + "/ca.pem" }
    var serverCert: String { directory + "/server.pem" }
    var serverKey: String { directory + "/server.key" }
    var clientCert: String { directory + "/client.pem" }
    var clientKey: String { directory + "/client.key" }

    static func make() throws -> KubeTestPKI {
        let dir = NSTemporaryDirectory() + "chaoskube-pki-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
        set -e
        cd '\(dir)'
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=kube-double-ca 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=kube-apiserver 2>/dev/null
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=chaos-agent 2>/dev/null
        openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 2>/dev/null
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: dir)
            throw fixtureUnavailable("openssl could not make test certificates")
        }
        return KubeTestPKI(directory: dir)
    }

    func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

/// Test cases that run against a fresh double each (certificates shared by the class).
class KubeDoubleTestCase: XCTestCase {
    private static var sharedPKI: [ObjectIdentifier: KubeTestPKI] = [:]
    private var double: KubeDouble?
    private var stateDir: String?

    override class func tearDown() {
        sharedPKI.removeValue(forKey: ObjectIdentifier(self))?.remove()
    }

    override func tearDown() {
        double?.stop()
        double = nil
        if let stateDir { try? FileManager.default.removeItem(atPath: stateDir) }
    }

    func start(_ scenario: [String: Any] = Scenario.standard()) throws -> KubeDouble {
        let key = ObjectIdentifier(type(of: self))
        if Self.sharedPKI[key] == nil { Self.sharedPKI[key] = try KubeTestPKI.make() }
        let d = try KubeDouble(pki: Self.sharedPKI[key]!, scenario: scenario)
        double = d
        return d
    }

    func journal() -> FaultJournal {
        let dir = NSTemporaryDirectory() + "chaoskube-state-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        stateDir = dir
        return FaultJournal(directory: dir)
    }
}

/// One run of Fixtures/kube_apiserver_double.py with a scenario, stopped by PID.
final class KubeDouble {
    let process = Process()
    let scenarioPath: String
    private(set) var port = 0
    let pki: KubeTestPKI

    var server: String { "https://127.0.0.1:\(port)" }

    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/kube_apiserver_double.py").path
    }

    init(pki: KubeTestPKI, scenario: [String: Any]) throws {
        self.pki = pki
        scenarioPath = pki.directory + "/scenario-\(UInt32.random(in: 0...UInt32.max)).json"
        try JSONSerialization.data(withJSONObject: scenario).write(to: URL(fileURLWithPath: scenarioPath))
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.fixture, "--cert", pki.serverCert, "--key", pki.serverKey,
                             "--client-ca", pki.caCert, "--scenario", scenarioPath]
        process.standardOutput = out
        try process.run()
        // "READY <port>" first; bounded wait so a broken double fails fast.
        let handle = out.fileHandleForReading
        var buffer = Data()
        let deadline = Date().addingTimeInterval(15)
        while !buffer.contains(UInt8(ascii: "\n")) && Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("READY "), let p = Int(line.dropFirst(6)) else {
            stop()
            throw fixtureUnavailable("kube-apiserver double did not start (python3 missing?): \(line)")
        }
        port = p
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: scenarioPath)
    }

    deinit { stop() }

    /// A target authenticating with a bearer token.
    func target(token: String, namespace: String = "chaos") -> KubeTarget {
        KubeTarget(server: server, tls: TLSOptions(certificateAuthority: .file(pki.caCert)),
                   auth: .token(token), namespace: namespace, origin: "test double")
    }

    func client(token: String) -> KubeClient { KubeClient(target: target(token: token), timeout: 10) }
}

/// The scenario most tests use: users and RBAC as in the transcript (admin; chaos-agent
/// may get/list/watch/delete pods and create pods/eviction in namespace chaos only;
/// nobody may do nothing).
enum Scenario {
    static let adminToken = "admin-token"
    static let chaosToken = "chaos-token"
    static let nobodyToken = "nobody-token"

    static func base(pods: [[String: Any]], replicaSets: [[String: Any]] = [], pdbs: [[String: Any]] = [],
                     version: [String: String]? = nil) -> [String: Any] {
        var s: [String: Any] = [
            "tokens": [adminToken: "admin", chaosToken: "chaos-agent", nobodyToken: "nobody"],
            "admins": ["admin"],
            "rules": [
                ["user": "chaos-agent", "namespace": "chaos", "resource": "pods", "verbs": ["get", "list", "watch", "delete"]],
                ["user": "chaos-agent", "namespace": "chaos", "resource": "pods/eviction", "verbs": ["create"]],
            ],
            "pods": pods, "replicaSets": replicaSets, "pdbs": pdbs,
            "kubeletNodes": ["node-1"], "kubeletStopDelay": 0.2,
        ]
        if let version { s["version"] = version }
        return s
    }

    static func pod(_ name: String, ns: String = "chaos", app: String, phase: String = "Running", ready: Bool? = nil,
                    node: String? = "node-1", replicaSet: String? = nil) -> [String: Any] {
        var p: [String: Any] = ["namespace": ns, "name": name, "labels": ["app": app], "phase": phase,
                                "ready": ready ?? (phase == "Running")]
        if let node { p["nodeName"] = node }
        if let replicaSet { p["replicaSet"] = replicaSet }
        return p
    }

    /// Three api pods owned by a ReplicaSet, two web pods, one pending web pod, and pods in
    /// namespaces other and kube-system.
    static func standard(recreateDelay: Double = 0.03, runningDelay: Double = 0.1, readyDelay: Double = 0.3) -> [String: Any] {
        base(pods: [
            pod("api-1", app: "api", replicaSet: "api-rs"),
            pod("api-2", app: "api", replicaSet: "api-rs"),
            pod("api-3", app: "api", replicaSet: "api-rs"),
            pod("web-1", app: "web", node: "ghost-node"),
            pod("web-2", app: "web", node: "ghost-node"),
            pod("web-3", app: "web", phase: "Pending", node: nil),
            pod("db-0", app: "db"),
            pod("web-x", ns: "other", app: "web"),
            pod("coredns-1", ns: "kube-system", app: "dns"),
            pod("coredns-2", ns: "kube-system", app: "dns"),
            pod("coredns-3", ns: "kube-system", app: "dns"),
        ], replicaSets: [[
            "namespace": "chaos", "name": "api-rs", "labels": ["app": "api"],
            "recreateDelay": recreateDelay, "runningDelay": runningDelay, "readyDelay": readyDelay,
        ]])
    }
}
